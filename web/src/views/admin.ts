// The admin's text-to-SQL page, loaded only when an admin opens it (its own chunk). chat-api refuses anything but a
// read of allowed tables, and answers 403 to anyone but an admin; this page only shows what it answers.
import { ApiError, call, type SQLAnswer } from '../api';
import { h, mount } from '../dom';

export function showAdmin(app: Element): void {
  const question = h('input', { id: 'question', name: 'question', required: true, maxlength: '1000',
    placeholder: 'How many messages were sent today?', 'aria-label': 'Question' });
  const ask = h('button', { type: 'submit', id: 'ask' }, 'Ask');
  const error = h('p', { class: 'error', id: 'sql-error', role: 'alert' });
  const output = h('div', { id: 'sql-result', class: 'result' });
  const form = h('form', { class: 'composer' }, question, ask);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    output.replaceChildren();
    ask.disabled = true;
    try {
      const a = await call<SQLAnswer>('POST', '/api/admin/sql', { question: question.value });
      output.append(
        h('pre', { class: 'sql' }, a.sql),
        h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, ...a.columns.map((c) => h('th', {}, c)))),
          h('tbody', {}, ...a.rows.map((row) => h('tr', {}, ...row.map((v) => h('td', {}, v ?? 'NULL'))))))),
        h('p', { class: 'meta' }, `${a.row_count} row${a.row_count === 1 ? '' : 's'}${a.truncated ? ' (truncated)' : ''}`));
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 403 ? 'Only admins can run queries.'
        : e instanceof Error ? e.message : 'The query failed.';
    } finally {
      ask.disabled = false;
    }
  });
  mount(app, h('section', { class: 'card admin' },
    h('p', {}, h('a', { href: '#/chat' }, '← Back to chat')),
    h('h1', {}, 'Ask the database'), form, error, output));
}

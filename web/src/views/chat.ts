import { ApiError, call, type Message, role, type Session, streamChat } from '../api';
import { h, mount } from '../dom';

/** The signed-in screen: sessions on the side, the open session's history, a composer. */
export async function showChat(app: Element, sessionID: string | null, signOut: () => void): Promise<void> {
  const list = h('ul', { class: 'sessions', id: 'sessions' });
  const history = h('ol', { class: 'history', id: 'history' });
  const input = h('textarea', { id: 'message', name: 'message', rows: '2', maxlength: '4000', required: true,
    placeholder: 'Ask something…', 'aria-label': 'Message' });
  const send = h('button', { type: 'submit', id: 'send' }, 'Send');
  const status = h('p', { class: 'error', id: 'chat-error', role: 'alert' });
  const composer = h('form', { class: 'composer', id: 'composer' }, input, send);
  const nav = h('nav', { class: 'side' },
    h('a', { href: '#/chat', class: 'new', id: 'new-chat' }, '+ New chat'),
    list,
    role() === 'admin' ? h('a', { href: '#/admin', id: 'admin-link' }, 'Admin SQL') : null,
    h('button', { type: 'button', id: 'sign-out', class: 'link', onclick: signOut }, 'Sign out'));
  mount(app, h('div', { class: 'layout' }, nav, h('section', { class: 'chat' }, history, status, composer)));

  let current = sessionID;
  const add = (m: Pick<Message, 'role' | 'content'>, pending = false): HTMLLIElement => {
    const item = h('li', { class: `msg ${m.role}${pending ? ' pending' : ''}` }, h('p', {}, m.content));
    history.append(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  };

  const loadSessions = async (): Promise<void> => {
    const { sessions } = await call<{ sessions: Session[] }>('GET', '/api/sessions');
    list.replaceChildren(...sessions.map((s) => h('li', {},
      h('a', { href: `#/chat/${encodeURIComponent(s.id)}`, class: s.id === current ? 'active' : undefined },
        s.title || 'Untitled'))));
  };

  // The opened session's history, shown before anything sent from this screen (a message sent while it loads
  // waits for it, so the stored history never lands after, or twice beside, what was just sent).
  let loaded: Promise<void> = Promise.resolve();

  composer.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || send.disabled) return;
    send.disabled = true;
    await loaded;
    status.textContent = '';
    history.querySelector('.empty')?.remove();
    add({ role: 'user', content: text });
    input.value = '';
    const waiting = add({ role: 'assistant', content: '…' }, true);
    const fresh = !current;
    send.disabled = true;
    try {
      // The reply grows in its bubble as the model streams it; the stored reply replaces it at the end.
      const bubble = waiting.querySelector('p');
      let shown = '';
      const answer = await streamChat(text, current, (id) => { current = id; }, (piece) => {
        shown += piece;
        if (bubble) bubble.textContent = shown;
        waiting.scrollIntoView({ block: 'end' });
      });
      waiting.replaceWith(add(answer.reply));
    } catch (e) {
      waiting.remove();
      status.textContent = e instanceof ApiError && e.status === 429 ? 'Too many messages; wait a moment.'
        : e instanceof Error ? e.message : 'The message was not sent.';
      input.value = text;
    } finally {
      // A new session (made as soon as the message was stored, even when the model then failed) is listed.
      if (fresh && current) {
        window.history.replaceState(null, '', `#/chat/${encodeURIComponent(current)}`);
        await loadSessions().catch(() => undefined);
      }
      send.disabled = false;
      input.focus();
    }
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (!send.disabled) composer.requestSubmit(); // one message at a time
    }
  });
  // The listeners are in place before anything is awaited: a message sent while the history loads is not lost
  // to the form's own submission.
  loaded = (async () => {
    try {
      await loadSessions();
      if (sessionID) {
        const path = `/api/sessions/${encodeURIComponent(sessionID)}/messages`;
        const { messages } = await call<{ messages: Message[] }>('GET', path);
        messages.forEach((m) => add(m));
      } else if (history.children.length === 0) {
        history.append(h('li', { class: 'empty' }, 'Start a conversation below.'));
      }
    } catch (e) {
      status.textContent = e instanceof ApiError && e.status === 404 ? 'This conversation does not exist.'
        : e instanceof Error ? e.message : 'Could not load the conversation.';
    }
  })();
  await loaded;
}

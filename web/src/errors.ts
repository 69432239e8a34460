// The error boundary: an error no view caught (a throw in a listener, a rejected promise, console.error) shows a
// banner instead of a blank page, and is reported to chat-api (POST /api/client-errors), at most ten per page load.

import { apiBase, token } from './api';
import { h } from './dom';

const MAX_REPORTS = 10;
let reports = 0;

function report(kind: string, message: string, stack?: string): void {
  try {
    send(kind, message, stack);
  } catch {
    // Reporting must never raise an error of its own (a blocked storage, an odd value).
  }
}

function send(kind: string, message: string, stack?: string): void {
  if (reports >= MAX_REPORTS) return;
  reports += 1;
  const body = JSON.stringify({
    kind,
    message: message.slice(0, 1000),
    stack: (stack ?? '').slice(0, 4000),
    page: location.pathname + location.hash.replace(/#\/chat\/.*/, '#/chat'),
  });
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const auth = token();
  if (auth) headers['Authorization'] = `Bearer ${auth}`;
  // Fire and forget: a report that cannot be sent must not raise another error.
  fetch(apiBase() + '/api/client-errors', { method: 'POST', headers, body, keepalive: true }).catch(() => undefined);
}

function banner(): void {
  if (document.getElementById('crash')) return;
  document.body.prepend(
    h('div', { id: 'crash', role: 'alert', class: 'crash' },
      'Something went wrong. ',
      h('button', { type: 'button', onclick: () => location.reload() }, 'Reload')));
}

export function installErrorBoundary(): void {
  window.addEventListener('error', (event) => {
    report('error', event.message, event.error instanceof Error ? event.error.stack : undefined);
    banner();
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    report('rejection', reason instanceof Error ? reason.message : String(reason),
      reason instanceof Error ? reason.stack : undefined);
    banner();
  });
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    original(...args);
    try {
      report('console', args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    } catch {
      // An argument that cannot become text (Object.create(null)) is not worth an error of its own.
    }
  };
}

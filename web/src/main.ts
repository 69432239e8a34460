// chat-api's web app: sign in, sessions and their history, chat, the admin's SQL page, sign out. Routes live in the
// URL's hash (#/login, #/chat/ID, #/admin), so the server serves one page.
import { logout, token } from './api';
import { installErrorBoundary } from './errors';
import { showChat } from './views/chat';
import { showLogin } from './views/login';

installErrorBoundary();
const app = document.getElementById('app')!;

async function route(): Promise<void> {
  const path = location.hash.replace(/^#/, '') || '/chat';
  if (!token()) {
    if (path !== '/login') { location.hash = '#/login'; return; }
    showLogin(app, () => { location.hash = '#/chat'; });
    return;
  }
  if (path === '/login') { location.hash = '#/chat'; return; }
  if (path === '/admin') {
    // Shown to anyone signed in: chat-api itself refuses a user who is not an admin (403), and the page says so.
    const { showAdmin } = await import('./views/admin');
    showAdmin(app);
    return;
  }
  const match = /^\/chat\/(.+)$/.exec(path);
  let session: string | null = null;
  try {
    session = match ? decodeURIComponent(match[1]!) : null;
  } catch {
    session = null; // a malformed address: a new chat
  }
  await showChat(app, session, async () => {
    try {
      await logout();
    } catch {
      // Signed out here whatever the server said (the token is forgotten either way).
    } finally {
      location.hash = '#/login';
    }
  });
}

window.addEventListener('hashchange', () => { void route(); });
void route();

import { ApiError, login } from '../api';
import { h, mount } from '../dom';

export function showLogin(app: Element, done: () => void): void {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
  });
  const remember = h('input', { id: 'remember', name: 'remember', type: 'checkbox' });
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', id: 'login-submit' }, 'Sign in');
  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'username' }, 'Username'), username,
    h('label', { for: 'password' }, 'Password'), password,
    h('label', { class: 'check' }, remember, ' Keep me signed in'),
    submit, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!username.value || !password.value) {
      error.textContent = 'Enter your username and password.';
      return;
    }
    submit.disabled = true;
    try {
      await login(username.value, password.value, remember.checked);
      done();
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401 ? 'Wrong username or password.'
        : e instanceof ApiError && e.status === 429 ? 'Too many attempts; wait a minute.'
        : e instanceof Error ? e.message : 'Sign-in failed.';
    } finally {
      submit.disabled = false;
    }
  });
  mount(app, form);
  username.focus();
}

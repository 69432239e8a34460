// chat-api's HTTP API: its base URL comes from the page (chat-api writes its configured WEB_API_URL into the
// `chat-api` meta tag; empty means the page's own origin), the token from this tab's storage.

export interface Session { id: string; title: string; created_at: string }
export interface Message { id: number; session_id: string; role: string; content: string; created_at: string }
export interface Login { token: string; expires_in: number; role: string }
export interface ChatReply { session_id: string; message: Message; reply: Message; model: string; latency_ms: number }
export interface SQLAnswer {
  question: string; sql: string; columns: string[]; rows: (string | null)[][]; row_count: number; truncated: boolean;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

const TIMEOUT_MS = 30000;
const TOKEN = 'chat.token';
const ROLE = 'chat.role';

export function apiBase(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="chat-api"]');
  const base = meta?.content ?? '';
  return base.startsWith('%') ? '' : base.replace(/\/$/, '');
}

function store(remember: boolean): Storage { return remember ? localStorage : sessionStorage; }

export function token(): string | null { return sessionStorage.getItem(TOKEN) ?? localStorage.getItem(TOKEN); }
export function role(): string { return sessionStorage.getItem(ROLE) ?? localStorage.getItem(ROLE) ?? 'user'; }

function forget(): void {
  for (const s of [sessionStorage, localStorage]) { s.removeItem(TOKEN); s.removeItem(ROLE); }
}

/** A JSON request with the token, bounded in time; a non-2xx answer throws ApiError with the server's message. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const auth = token();
  if (auth) headers['Authorization'] = `Bearer ${auth}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const init: RequestInit = { method, headers, signal: controller.signal };
  if (body !== undefined) init.body = JSON.stringify(body);
  try {
    const response = await fetch(apiBase() + path, init);
    const text = await response.text();
    const data: unknown = text ? JSON.parse(text) : {};
    if (!response.ok) {
      // An expired or revoked token: forgotten, and the sign-in form shown (not for the sign-in itself).
      if (response.status === 401 && path !== '/api/auth/login') {
        forget();
        location.hash = '#/login';
      }
      const reason = (data as { reason?: string; error?: { message?: string } });
      throw new ApiError(response.status, reason.error?.message ?? reason.reason ?? `HTTP ${response.status}`);
    }
    return data as T;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof DOMException && error.name === 'AbortError') throw new ApiError(0, 'the server did not answer in time');
    throw new ApiError(0, 'the server cannot be reached');
  } finally {
    clearTimeout(timer);
  }
}

export async function login(username: string, password: string, remember: boolean): Promise<Login> {
  const answer = await call<Login>('POST', '/api/auth/login', { username, password, remember_me: remember });
  forget();
  store(remember).setItem(TOKEN, answer.token);
  store(remember).setItem(ROLE, answer.role);
  return answer;
}

export async function logout(): Promise<void> {
  try { await call('POST', '/api/auth/logout'); } finally { forget(); }
}

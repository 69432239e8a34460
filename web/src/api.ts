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
/** A streamed answer may take longer than one request: the longest LLM_TIMEOUT chat-api accepts (600 s), and some. */
const STREAM_TIMEOUT_MS = 660000;
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

function headers(json: boolean, accept = 'application/json'): Record<string, string> {
  const result: Record<string, string> = { Accept: accept };
  const auth = token();
  if (auth) result['Authorization'] = `Bearer ${auth}`;
  if (json) result['Content-Type'] = 'application/json';
  return result;
}

/** The error a non-2xx answer stands for; an expired or revoked token is forgotten and the sign-in form shown (not
 * for the sign-in itself). */
function refused(status: number, path: string, data: unknown): ApiError {
  if (status === 401 && path !== '/api/auth/login') {
    forget();
    location.hash = '#/login';
  }
  const reason = (data as { reason?: string; error?: { message?: string } });
  return new ApiError(status, reason.error?.message ?? reason.reason ?? `HTTP ${status}`);
}

/** A body as JSON; `{}` for an empty one or one that is not JSON (a proxy's own HTML error page). */
function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

function unreachable(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') return new ApiError(0, 'the server did not answer in time');
  return new ApiError(0, 'the server cannot be reached');
}

/** A JSON request with the token, bounded in time; a non-2xx answer throws ApiError with the server's message. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const init: RequestInit = { method, headers: headers(body !== undefined), signal: controller.signal };
  if (body !== undefined) init.body = JSON.stringify(body);
  try {
    const response = await fetch(apiBase() + path, init);
    const data = parse(await response.text());
    if (!response.ok) throw refused(response.status, path, data);
    return data as T;
  } catch (error) {
    throw unreachable(error);
  } finally {
    clearTimeout(timer);
  }
}

/** One server-sent event of `POST /api/chat/stream`. */
interface StreamEvent { event: string; data: string }

/** `POST /api/chat/stream`: each piece of the reply goes to `onDelta` as it arrives; resolves with the stored turn.
 * Refused before the stream starts, it throws as `call` does; the model failing during it throws ApiError(502). */
export async function streamChat(message: string, sessionID: string | null,
  onStart: (sessionID: string) => void, onDelta: (piece: string) => void): Promise<ChatReply> {
  const path = '/api/chat/stream';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), STREAM_TIMEOUT_MS);
  let reader: ReadableStreamDefaultReader<string> | undefined;
  try {
    const response = await fetch(apiBase() + path, {
      method: 'POST', headers: headers(true, 'text/event-stream'), signal: controller.signal,
      body: JSON.stringify({ message, session_id: sessionID ?? undefined }),
    });
    if (!response.ok || !response.body) throw refused(response.status, path, parse(await response.text()));
    reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    let carry = ''; // a CR that ended a chunk: its LF may start the next
    let start: { session_id: string; message: Message } | null = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let text = carry + value;
      carry = text.endsWith('\r') ? '\r' : '';
      if (carry) text = text.slice(0, -1);
      pending += text.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const e: StreamEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) e.event = line.slice(6).trim();
          else if (line.startsWith('data:')) e.data += line.slice(5).trim();
        }
        let data: unknown;
        try {
          data = JSON.parse(e.data || '{}');
        } catch {
          throw new ApiError(0, 'the server sent a malformed event; your message was saved');
        }
        if (e.event === 'message') {
          start = data as { session_id: string; message: Message };
          onStart(start.session_id);
        } else if (e.event === 'delta') {
          onDelta((data as { content: string }).content);
        } else if (e.event === 'error') {
          throw new ApiError(502, (data as { error: string }).error);
        } else if (e.event === 'done' && start) {
          const done = data as { reply: Message; model: string; latency_ms: number };
          return { session_id: start.session_id, message: start.message, ...done };
        }
      }
    }
    throw new ApiError(0, 'the answer broke off; your message was saved');
  } catch (error) {
    throw unreachable(error);
  } finally {
    clearTimeout(timer);
    // Returned or failed before the stream's end: its connection is let go.
    reader?.cancel().catch(() => undefined);
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

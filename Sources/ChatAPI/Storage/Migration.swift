/// One versioned schema change, written for each database engine. Applied changes are recorded in
/// `schema_migrations`, so `chat-api migrate` is safe to run again and `gonogo` can check that it ran.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    let sqlite: [String]
    let postgres: [String]

    /// Every migration, in order. Never edit one that has shipped: add the next.
    public static let all: [Migration] = [
        Migration(
            version: 1, name: "create users and auth tokens",
            sqlite: [
                """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    username TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
                    created_at TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE auth_tokens (
                    token_hash TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    created_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL,
                    revoked_at TEXT
                )
                """,
            ],
            postgres: [
                """
                CREATE TABLE users (
                    id BIGSERIAL PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE auth_tokens (
                    token_hash TEXT PRIMARY KEY,
                    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    expires_at TIMESTAMPTZ NOT NULL,
                    revoked_at TIMESTAMPTZ
                )
                """,
            ]),
        Migration(
            version: 2, name: "create chat sessions and messages",
            sqlite: [
                """
                CREATE TABLE chat_sessions (
                    id TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    title TEXT NOT NULL DEFAULT '',
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE chat_messages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
                    content TEXT NOT NULL,
                    model TEXT,
                    latency_ms INTEGER,
                    created_at TEXT NOT NULL
                )
                """,
            ],
            postgres: [
                """
                CREATE TABLE chat_sessions (
                    id UUID PRIMARY KEY,
                    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    title TEXT NOT NULL DEFAULT '',
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE chat_messages (
                    id BIGSERIAL PRIMARY KEY,
                    session_id UUID NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
                    content TEXT NOT NULL,
                    model TEXT,
                    latency_ms INTEGER,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
            ]),
        Migration(
            version: 3, name: "index history lookups",
            sqlite: Migration.indexes, postgres: Migration.indexes),
        Migration(
            version: 4, name: "a role that may only read chat sessions and messages (PostgreSQL)",
            sqlite: [],
            postgres: [
                // The admin SQL guard takes this role for its read-only transaction when it exists. Creating a role
                // needs CREATEROLE: without it the migration notes so and the guard relies on its other layers.
                """
                DO $$
                BEGIN
                    BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chat_sql_reader') THEN
                            CREATE ROLE chat_sql_reader NOLOGIN;
                        END IF;
                    EXCEPTION WHEN OTHERS THEN
                        RAISE NOTICE 'chat_sql_reader not created: %', SQLERRM;
                    END;
                    BEGIN
                        EXECUTE format('GRANT USAGE ON SCHEMA %I TO chat_sql_reader', current_schema());
                        GRANT SELECT ON chat_sessions, chat_messages TO chat_sql_reader;
                    EXCEPTION WHEN OTHERS THEN
                        RAISE NOTICE 'chat_sql_reader may not read the chat tables: %', SQLERRM;
                    END;
                    BEGIN
                        -- A separate block: membership is cluster-wide, and two databases migrating at once may
                        -- race on it; the table grants above must not be undone by that.
                        EXECUTE format('GRANT chat_sql_reader TO %I', current_user);
                    EXCEPTION WHEN OTHERS THEN
                        RAISE NOTICE 'chat_sql_reader not granted: %', SQLERRM;
                    END;
                END
                $$
                """
            ]),
        Migration(
            version: 5, name: "rate limit counters shared by every instance (PostgreSQL)",
            sqlite: [],
            postgres: [
                // Unlogged: counters need not survive a crash, and a hit then writes no WAL. IF NOT EXISTS: a backup
                // taken before this migration, restored over a database that has the table, leaves it in place.
                """
                CREATE UNLOGGED TABLE IF NOT EXISTS rate_limits (
                    bucket TEXT NOT NULL,
                    client TEXT NOT NULL,
                    window_start TIMESTAMPTZ NOT NULL,
                    hits INTEGER NOT NULL,
                    PRIMARY KEY (bucket, client)
                )
                """,
                "CREATE INDEX IF NOT EXISTS idx_rate_limits_window ON rate_limits(bucket, window_start)",
            ]),
    ]

    /// The three indexes the Sprint 5 checklist names; the same SQL on both engines.
    static let indexes = [
        "CREATE INDEX idx_chat_messages_session_id ON chat_messages(session_id)",
        "CREATE INDEX idx_chat_sessions_user_id ON chat_sessions(user_id)",
        "CREATE INDEX idx_chat_messages_created_at ON chat_messages(created_at)",
    ]
}

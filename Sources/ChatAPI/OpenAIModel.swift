import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A client of any OpenAI-compatible `/chat/completions` endpoint: bearer key, model, a timeout per attempt, and
/// retries with exponential backoff (honouring `Retry-After`) on 429, 5xx and connection failures.
public struct OpenAIClient: Sendable {
    public let baseURL: String
    let apiKey: String?
    public let model: String
    public let timeout: Duration
    public let attempts: Int
    let httpClient: HTTPClient

    public init(
        baseURL: String, apiKey: String?, model: String, timeout: Duration = .seconds(30), attempts: Int = 3,
        httpClient: HTTPClient = .shared
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.httpClient = httpClient
    }

    public struct Message: Codable, Sendable, Equatable {
        public let role: String
        public let content: String
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    struct Completion: Decodable {
        struct Choice: Decodable { let message: Message }
        let choices: [Choice]
    }

    /// The endpoint failed: the reason names the status or the fault, never the key or the prompt.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The assistant's answer to `messages`.
    public func complete(_ messages: [Message], logger: Logger) async throws -> String {
        struct Body: Encodable {
            let model: String
            let messages: [Message]
            let temperature: Double
        }
        var request = completionsRequest(accept: "application/json")
        let body = try JSONEncoder().encode(Body(model: model, messages: messages, temperature: 0))
        var lastFailure = Failure(description: "no attempt was made")
        for attempt in 1...attempts {
            request.body = .bytes(ByteBuffer(bytes: body))
            var retryAfter: Duration? = nil
            do {
                let response = try await httpClient.execute(
                    request, timeout: .milliseconds(Int64(timeout.wholeMilliseconds)))
                let data = try await response.body.collect(upTo: 4 << 20)
                switch response.status.code {
                case 200..<300:
                    guard let completion = try? JSONDecoder().decode(Completion.self, from: data),
                        let content = completion.choices.first?.message.content
                    else { throw Failure(description: "the model's answer is not a chat completion") }
                    return content
                default:
                    (lastFailure, retryAfter) = try Self.retryable(response)
                }
            } catch let failure as Failure {
                throw failure
            } catch let error as HTTPClientError where error == .deadlineExceeded {
                lastFailure = Failure(description: "the model did not answer within \(timeout)")
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastFailure = Failure(description: "the model could not be reached (\(Self.reason(error)))")
            }
            guard attempt < attempts else { break }
            try await backOff(after: attempt, lastFailure, retryAfter: retryAfter, logger: logger)
        }
        throw lastFailure
    }

    /// A non-2xx answer as a failure, with its `Retry-After` (at most 10 s) when asking again may help (429, 5xx);
    /// thrown when it will not (another 4xx: a wrong key, model or request).
    static func retryable(_ response: HTTPClientResponse) throws -> (Failure, Duration?) {
        let failure = Failure(description: "the model answered HTTP \(response.status.code)")
        guard response.status.code == 429 || (500...599).contains(response.status.code) else { throw failure }
        let after = response.headers.first(name: "Retry-After").flatMap { Int($0) }.map {
            Duration.seconds(min($0, 10))
        }
        return (failure, after)
    }

    /// The pause before attempt `attempt + 1`: `retryAfter`, else 200 ms doubled with each attempt.
    func backOff(after attempt: Int, _ failure: Failure, retryAfter: Duration?, logger: Logger) async throws {
        let backoff = retryAfter ?? .milliseconds(200 * (1 << (attempt - 1)))
        logger.warning(
            "model call failed; retrying",
            metadata: [
                "reason": "\(failure)", "attempt": "\(attempt)", "backoff_ms": "\(backoff.wholeMilliseconds)",
            ])
        try await Task.sleep(for: backoff)
    }

    /// A POST to the endpoint with the key (the body is the caller's).
    func completionsRequest(accept: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: accept)
        if let apiKey, !apiKey.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        return request
    }

    /// A connection fault in words (NIO's errors name the address, never a header).
    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return "\(type(of: error)): \(error)"
    }
}

/// The `openai` chat model: the session's recent history, with a short system prompt, to the endpoint.
public struct OpenAIModel: ChatModel {
    let client: OpenAIClient
    let logger: Logger
    public var name: String { client.model }

    public init(client: OpenAIClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func reply(to history: [ChatMessage]) async throws -> String {
        try await client.complete(Self.messages(history), logger: logger)
    }

    public func replyStream(to history: [ChatMessage]) -> AsyncThrowingStream<String, any Error> {
        client.stream(Self.messages(history), logger: logger)
    }

    static func messages(_ history: [ChatMessage]) -> [OpenAIClient.Message] {
        let system = OpenAIClient.Message(
            role: "system", content: "You are a helpful assistant in a chat application. Answer concisely.")
        return [system]
            + history.map {
                OpenAIClient.Message(role: $0.role == "assistant" ? "assistant" : "user", content: $0.content)
            }
    }
}

/// The `openai` translator: the schema and the rules in the prompt, the SQL taken from a fenced `sql` block or the
/// plain answer. What it returns is still only a proposal: the database's guard decides what runs.
public struct OpenAISQLTranslator: SQLTranslator {
    public enum Dialect: String, Sendable { case sqlite = "SQLite", postgres = "PostgreSQL" }

    let client: OpenAIClient
    let dialect: Dialect
    let logger: Logger

    public init(client: OpenAIClient, dialect: Dialect, logger: Logger) {
        self.client = client
        self.dialect = dialect
        self.logger = logger
    }

    public static func prompt(_ dialect: Dialect) -> String {
        let (id, key, time) =
            switch dialect {
            case .sqlite: ("TEXT", "INTEGER", "TEXT (ISO 8601, UTC)")
            case .postgres: ("UUID", "BIGINT", "TIMESTAMPTZ")
            }
        return """
            You translate an administrator's question about a chat service into one read-only \(dialect.rawValue) query.
            The only tables you may read:
              chat_sessions(id \(id) PRIMARY KEY, user_id \(key), title TEXT, created_at \(time), updated_at \(time))
              chat_messages(id \(key) PRIMARY KEY, session_id \(id) REFERENCES chat_sessions(id),
                            role TEXT ('user' or 'assistant'), content TEXT, model TEXT,
                            latency_ms INTEGER (the model's reply time), created_at \(time))
            Rules: one SELECT (or WITH … SELECT) statement; never write; at most 1000 rows.
            Answer with the SQL only, in a ```sql fenced block. If these tables cannot answer the question, answer NONE.
            """
    }

    public func sql(for question: String) async throws -> String? {
        let answer = try await client.complete(
            [.init(role: "system", content: Self.prompt(dialect)), .init(role: "user", content: question)],
            logger: logger)
        return Self.extractSQL(answer)
    }

    /// The SQL of a model's answer: the first fenced block (preferring one marked `sql`), else the whole answer.
    public static func extractSQL(_ answer: String) -> String? {
        var text = answer
        if let fence = answer.range(of: "```") {
            var rest = answer[fence.upperBound...]
            // Skip the info string (`sql`, `postgresql`…) up to the end of the line.
            if let newline = rest.firstIndex(of: "\n") { rest = rest[rest.index(after: newline)...] }
            if let close = rest.range(of: "```") {
                text = String(rest[..<close.lowerBound])
            } else {
                text = String(rest)
            }
        }
        let sql = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if sql.isEmpty || sql.uppercased() == "NONE" { return nil }
        return sql
    }
}

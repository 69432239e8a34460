import Foundation
import Hummingbird
import Metrics

/// `POST /api/chat` (and its streaming form, ChatController+Stream.swift), and the caller's sessions and their
/// history.
struct ChatController: Sendable {
    let services: ChatServices
    let model: any ChatModel

    struct ChatInput: Decodable {
        let message: String
        let sessionID: String?

        enum CodingKeys: String, CodingKey {
            case message
            case sessionID = "session_id"
        }
    }

    struct ChatOutput: ResponseEncodable {
        let sessionID: String
        let message: ChatMessage
        let reply: ChatMessage
        let model: String
        let latencyMS: Int

        enum CodingKeys: String, CodingKey {
            case message, reply, model
            case sessionID = "session_id"
            case latencyMS = "latency_ms"
        }
    }

    /// `{"session_id": …, "messages": [{"id", "session_id", "role", "content", "created_at"}, …]}`, written by hand
    /// (``JSONText``): the route every client polls.
    struct History: ResponseGenerator {
        let sessionID: String
        let messages: [ChatMessage]

        func response(from request: Request, context: some RequestContext) throws -> Response {
            var json = JSONText(capacity: 64 + messages.reduce(0) { $0 + $1.content.utf8.count + 160 })
            json.raw("{\"session_id\":")
            json.string(sessionID)
            json.raw(",\"messages\":[")
            for (i, m) in messages.enumerated() {
                json.raw(i == 0 ? "{\"id\":" : ",{\"id\":")
                json.number(m.id)
                json.raw(",\"session_id\":")
                json.string(m.sessionID)
                json.raw(",\"role\":")
                json.string(m.role)
                json.raw(",\"content\":")
                json.string(m.content)
                json.raw(",\"created_at\":")
                json.string(m.createdAt)
                json.raw("}")
            }
            json.raw("]}")
            return json.response()
        }
    }

    struct Sessions: ResponseEncodable {
        let sessions: [ChatSession]
    }

    /// The session `id` if it belongs to `user`; 404 otherwise, so other users' sessions are indistinguishable
    /// from sessions that do not exist.
    func ownedSession(_ id: String, _ user: User) async throws -> ChatSession {
        guard let session = try await services.store.session(id: id), session.userID == user.id else {
            throw HTTPError(.notFound, message: "no such session")
        }
        return session
    }

    /// A chat turn's start, for both chat routes: the caller's message checked, its session (a new one when none is
    /// given), the message stored before the model is asked (a model failure loses nothing), the recent history.
    func accept(
        _ request: Request, context: ChatRequestContext
    ) async throws -> (session: ChatSession, message: ChatMessage, history: [ChatMessage]) {
        let user = try context.requireUser()
        let input = try await request.json(ChatInput.self, context: context)
        let text = input.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 8000 else {
            throw HTTPError(.badRequest, message: "message must be 1 to 8000 characters")
        }
        let session: ChatSession
        if let id = input.sessionID {
            session = try await ownedSession(id, user)
        } else {
            session = try await services.store.createSession(
                id: UUID().uuidString.lowercased(), userID: user.id, title: String(text.prefix(60)))
        }
        let message = try await services.store.addMessage(
            sessionID: session.id, role: "user", content: text, model: nil, latencyMS: nil)
        let history = try await services.store.messages(sessionID: session.id, limit: 20, before: nil)
        return (session, message, history)
    }

    func register(on router: Router<ChatRequestContext>) {
        // Made once here, so /metrics shows the family (with zero counts) before the first chat.
        let modelLatency = Metrics.Timer(label: "chat_model_latency_seconds", dimensions: [("model", model.name)])
        registerStream(on: router, modelLatency: modelLatency)
        router.post("/api/chat") { request, context -> ChatOutput in
            let (session, message, history) = try await accept(request, context: context)
            let started = ContinuousClock.now
            let replyText: String
            do {
                replyText = try await model.reply(to: history)
            } catch {
                let reason = (error as? OpenAIClient.Failure)?.description ?? "\(type(of: error))"
                context.logger.error("model failed", metadata: ["model": "\(model.name)", "reason": "\(reason)"])
                throw HTTPError(.badGateway, message: "\(reason); your message was saved")
            }
            let elapsed = started.duration(to: .now)
            modelLatency.recordNanoseconds(elapsed.wholeNanoseconds)
            let latency = elapsed.wholeMilliseconds
            let reply = try await services.store.addMessage(
                sessionID: session.id, role: "assistant", content: replyText, model: model.name, latencyMS: latency)
            return ChatOutput(
                sessionID: session.id, message: message, reply: reply, model: model.name, latencyMS: latency)
        }
        router.get("/api/sessions") { _, context -> Sessions in
            let user = try context.requireUser()
            return Sessions(sessions: try await services.store.sessions(userID: user.id))
        }
        router.get("/api/sessions/{id}/messages") { request, context -> History in
            let user = try context.requireUser()
            let id = try context.parameters.require("id")
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 500)
            let before = request.uri.queryParameters.get("before", as: Int64.self)
            guard
                let messages = try await services.store.history(
                    sessionID: id, userID: user.id, limit: limit, before: before)
            else { throw HTTPError(.notFound, message: "no such session") }
            return History(sessionID: id, messages: messages)
        }
        router.delete("/api/sessions/{id}") { _, context -> HTTPResponse.Status in
            let user = try context.requireUser()
            let id = try context.parameters.require("id")
            _ = try await ownedSession(id, user)
            try await services.store.deleteSession(id: id)
            return .noContent
        }
    }
}

extension ChatMessage: ResponseEncodable {}
extension ChatSession: ResponseEncodable {}

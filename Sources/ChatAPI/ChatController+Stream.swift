import Foundation
import HTTPTypes
import Hummingbird
import Metrics

/// `POST /api/chat/stream`: the chat turn of `POST /api/chat`, its reply sent as the model produces it, as
/// server-sent events:
///
///     event: message   {"session_id", "message"}            the caller's message, stored
///     event: delta     {"content"}                          each piece of the reply, in order
///     event: done      {"reply", "model", "latency_ms"}     the whole reply, stored
///     event: error     {"error"}                            the model failed; the caller's message is kept
///
/// The status and the errors before the stream starts (401, 400, 404, 429) are those of `POST /api/chat`.
extension ChatController {
    /// A reply longer than this is cut off with an error (a model that never stops).
    static let maxReplyBytes = 1 << 20

    struct StreamStart: Encodable {
        let sessionID: String
        let message: ChatMessage
        enum CodingKeys: String, CodingKey {
            case message
            case sessionID = "session_id"
        }
    }

    struct StreamDone: Encodable {
        let reply: ChatMessage
        let model: String
        let latencyMS: Int
        enum CodingKeys: String, CodingKey {
            case reply, model
            case latencyMS = "latency_ms"
        }
    }

    func registerStream(on router: Router<ChatRequestContext>, modelLatency: Metrics.Timer) {
        router.post("/api/chat/stream") { request, context -> Response in
            let (session, message, history) = try await accept(request, context: context)
            let (store, model, logger) = (services.store, self.model, context.logger)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            // nginx passes each event on at once instead of buffering the answer (deploy/nginx/chat-api.conf).
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            let body = ResponseBody { writer in
                // A client that goes away (a phone losing signal) stops the events, not the answer: the model's
                // reply is still read to its end (bounded by LLM_TIMEOUT and the size cap) and stored.
                var clientGone = false
                func send(_ event: String, _ value: some Encodable) async {
                    guard !clientGone, let json = try? JSONEncoder().encode(value) else { return }
                    do {
                        try await writer.write(
                            ByteBuffer(string: "event: \(event)\ndata: \(String(decoding: json, as: UTF8.self))\n\n"))
                    } catch {
                        clientGone = true
                        logger.info("chat stream: the client went away; the reply is still stored")
                    }
                }
                await send("message", StreamStart(sessionID: session.id, message: message))
                let started = ContinuousClock.now
                var text = ""
                do {
                    for try await piece in model.replyStream(to: history) {
                        text += piece
                        guard text.utf8.count <= Self.maxReplyBytes else {
                            throw OpenAIClient.Failure(
                                description: "the model's reply is longer than \(Self.maxReplyBytes >> 20) MB")
                        }
                        await send("delta", ["content": piece])
                    }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    let reason = (error as? OpenAIClient.Failure)?.description ?? "\(type(of: error))"
                    logger.error("model failed", metadata: ["model": "\(model.name)", "reason": "\(reason)"])
                    await send("error", ["error": "\(reason); your message was saved"])
                    if !clientGone { try? await writer.finish(nil) }
                    return
                }
                let elapsed = started.duration(to: .now)
                modelLatency.recordNanoseconds(elapsed.wholeNanoseconds)
                let reply = try await store.addMessage(
                    sessionID: session.id, role: "assistant", content: text, model: model.name,
                    latencyMS: elapsed.wholeMilliseconds)
                await send("done", StreamDone(reply: reply, model: model.name, latencyMS: elapsed.wholeMilliseconds))
                if !clientGone { try? await writer.finish(nil) }
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}

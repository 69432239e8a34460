import Foundation
import TestSupport
import Testing

/// chat-api with `LLM_PROVIDER=openai`, against a fake OpenAI-compatible endpoint on loopback.
@Suite("chat-api with an OpenAI-compatible model")
struct LLMTests {
    static let key = "sk-canary-7f3a9c1e5b2d4f60"

    static func settings(_ fake: FakeOpenAI, _ more: [String: String] = [:]) -> [String: String] {
        ["LLM_BASE_URL": fake.baseURL, "LLM_API_KEY": key, "LLM_MODEL": "test-model", "LLM_TIMEOUT": "5"]
            .merging(more) { $1 }
    }

    @Test("the reply comes from the endpoint, sent the bearer key, the model and the history; the key is never logged")
    func reply() async throws {
        let fake = try await FakeOpenAI.start { request, _ in .init(content: "echo: \(request.lastUserMessage)") }
        let service = try await LiveService(Self.settings(fake))
        let token = try await service.login("alice")
        let first = try await service.call("POST", "/api/chat", token: token, body: ["message": "hello there"])
        #expect(first.status == 200)
        #expect((first.json["reply"] as? [String: Any])?["content"] as? String == "echo: hello there")
        #expect(first.json["model"] as? String == "test-model")
        let session = try #require(first.json["session_id"] as? String)
        let second = try await service.call(
            "POST", "/api/chat", token: token, body: ["message": "and again", "session_id": session])
        #expect(second.status == 200)

        let sent = fake.received
        #expect(sent.count == 2)
        #expect(sent.allSatisfy { $0.authorization == "Bearer \(Self.key)" && $0.model == "test-model" })
        // The second call carries the session's history, oldest first.
        #expect(
            sent[1].messages.filter { $0["role"] != "system" }.map { $0["content"] ?? "" }
                == ["hello there", "echo: hello there", "and again"])
        service.server.stop()
        #expect(!service.server.stderr.contains(Self.key))
        await fake.stop()
    }

    @Test("a streamed reply: the endpoint asked to stream, each piece sent on as an event, the whole reply stored")
    func streamed() async throws {
        let fake = try await FakeOpenAI.start { request, _ in
            .init(content: "streamed echo: \(request.lastUserMessage)")
        }
        let service = try await LiveService(Self.settings(fake))
        let token = try await service.login("alice")
        let answer = try await service.call("POST", "/api/chat/stream", token: token, body: ["message": "one two"])
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"]?.hasPrefix("text/event-stream") == true, "\(answer.headers)")
        let events = answer.events
        #expect(events.map(\.event) == ["message", "delta", "delta", "delta", "delta", "done"], "\(answer.text)")
        let pieces = events.filter { $0.event == "delta" }.compactMap { $0.data["content"] as? String }
        #expect(pieces == ["streamed", " echo:", " one", " two"])
        let done = try #require(events.last?.data)
        #expect((done["reply"] as? [String: Any])?["content"] as? String == pieces.joined())
        #expect(done["model"] as? String == "test-model")
        #expect(fake.received.count == 1 && fake.received[0].stream)
        // Stored as any reply is: the history has both messages.
        let session = try #require(events.first?.data["session_id"] as? String)
        let history = try await service.call("GET", "/api/sessions/\(session)/messages", token: token)
        let contents = (history.json["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
        #expect(contents == ["one two", "streamed echo: one two"])
        // Refused before the stream starts, as /api/chat is.
        let anonymous = try await service.call("POST", "/api/chat/stream", body: ["message": "hi"])
        #expect(anonymous.status == 401)
        await fake.stop()
    }

    @Test("a client that goes away mid-stream loses the events, not the reply: it is stored when the model ends")
    func streamClientGone() async throws {
        // The model answers after 3 s; the client gives up after 1 s, having had only the first event.
        let fake = try await FakeOpenAI.start { _, _ in .init(content: "worth keeping", delay: .seconds(3)) }
        let service = try await LiveService(Self.settings(fake, ["LLM_TIMEOUT": "20"]))
        let token = try await service.login("alice")
        let url = service.base + "/api/chat/stream"
        let cut = try await Blocking.run {
            try Shell.run(
                "curl",
                [
                    "-sN", "--max-time", "1", "-X", "POST", url, "-H",
                    "Authorization: Bearer \(token)", "-H", "Content-Type: application/json", "-d",
                    #"{"message":"are you there?"}"#,
                ])
        }
        #expect(cut.status == 28, "curl: \(cut.stderr)")  // its time limit, mid-stream
        let session = try #require(
            cut.stdout.firstMatch(of: /"session_id":"([^"]+)"/).map { String($0.1) }, "\(cut.stdout)")
        // The reply is stored once the model has answered: asked until it is, for at most a minute.
        var contents: [String] = []
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        while contents.count < 2, clock.now < deadline {
            let history = try await service.call("GET", "/api/sessions/\(session)/messages", token: token)
            contents = (history.json["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
            if contents.count < 2 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(contents == ["are you there?", "worth keeping"])
        await fake.stop()
    }

    @Test("a model failing during a stream: an error event with the reason, the caller's message kept, no reply")
    func streamFailure() async throws {
        let fake = try await FakeOpenAI.start { _, _ in .init(status: 500) }
        let service = try await LiveService(Self.settings(fake, ["LLM_TIMEOUT": "20"]))
        let token = try await service.login("alice")
        let answer = try await service.call("POST", "/api/chat/stream", token: token, body: ["message": "keep me"])
        #expect(answer.status == 200)
        let events = answer.events
        #expect(events.map(\.event) == ["message", "error"], "\(answer.text)")
        let reason = events.last?.data["error"] as? String ?? ""
        #expect(reason.contains("HTTP 500") && reason.contains("your message was saved"), "\(reason)")
        #expect(fake.received.count == 3)  // retried before the first piece, as /api/chat is
        let session = try #require(events.first?.data["session_id"] as? String)
        let history = try await service.call("GET", "/api/sessions/\(session)/messages", token: token)
        let contents = (history.json["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
        #expect(contents == ["keep me"])
        service.server.stop()
        #expect(!service.server.stderr.contains(Self.key))
        await fake.stop()
    }

    @Test("429 and 5xx are retried with backoff, honouring Retry-After; then the reply is served")
    func retries() async throws {
        let fake = try await FakeOpenAI.start { _, call in
            switch call {
            case 1: .init(status: 429, headers: ["Retry-After": "1"])
            case 2: .init(status: 503)
            default: .init(content: "third time lucky")
            }
        }
        let service = try await LiveService(Self.settings(fake))
        let token = try await service.login("alice")
        let started = ContinuousClock.now
        let answer = try await service.call("POST", "/api/chat", token: token, body: ["message": "hi"])
        #expect(answer.status == 200)
        #expect((answer.json["reply"] as? [String: Any])?["content"] as? String == "third time lucky")
        #expect(fake.received.count == 3)
        #expect(started.duration(to: .now) >= .seconds(1), "Retry-After: 1 was not waited for")
        await fake.stop()
    }

    @Test(
        "a model that keeps failing, refuses the key or is too slow: 502 with the reason, and the message is kept",
        arguments: [
            // A generous timeout where the reply is immediate: on a busy machine a short one would expire first and
            // be retried, and the count of calls would measure the machine, not the client.
            (FakeOpenAI.Reply(status: 500), "HTTP 500", 3, "20"),
            (FakeOpenAI.Reply(status: 401), "HTTP 401", 1, "20"),
            // Each attempt of the slow case must reach the server before it times out: 5 s each (on a busy machine,
            // the whole suite running, a 2-second attempt once expired before its request was delivered and went
            // uncounted).
            (FakeOpenAI.Reply(content: "late", delay: .seconds(30)), "did not answer within", 3, "5"),
        ] as [(FakeOpenAI.Reply, String, Int, String)])
    func failures(reply: FakeOpenAI.Reply, reason: String, calls: Int, timeout: String) async throws {
        let fake = try await FakeOpenAI.start { _, _ in reply }
        let service = try await LiveService(Self.settings(fake, ["LLM_TIMEOUT": timeout]))
        let token = try await service.login("alice")
        let answer = try await service.call("POST", "/api/chat", token: token, body: ["message": "keep me"])
        #expect(answer.status == 502)
        let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains(reason), "\(message)")
        #expect(message.contains("your message was saved"))
        #expect(fake.received.count == calls)
        let sessions = try await service.call("GET", "/api/sessions", token: token)
        let session = try #require((sessions.json["sessions"] as? [[String: Any]])?.first?["id"] as? String)
        let history = try await service.call("GET", "/api/sessions/\(session)/messages", token: token)
        let contents = (history.json["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
        #expect(contents == ["keep me"])
        await fake.stop()
    }

    @Test(
        "a hostile model's SQL is refused with 422 for each, and every table is unchanged",
        arguments: Backend.allCases)
    func hostileModel(backend: Backend) async throws {
        let hostile: [(String, String)] =
            (backend == .sqlite ? SQLGuardTests.hostile : PostgresGuardTests.hostile) + [
                (
                    "SELECT count(*) FROM chat_messages a, chat_messages b, chat_messages c, chat_messages d",
                    "time limit"
                )
            ]
        // Question N is answered with hostile SQL number N, in the fenced block the prompt asks for.
        let fake = try await FakeOpenAI.start { request, _ in
            let question = request.lastUserMessage
            if question == "how many messages?" {
                return .init(content: "Here you go:\n```sql\nSELECT COUNT(*) AS n FROM chat_messages\n```")
            }
            if question == "what is the weather?" { return .init(content: "NONE") }
            let n = Int(question.dropFirst("hostile ".count)) ?? 0
            return .init(content: "```sql\n\(hostile[n].0)\n```")
        }
        let service = try await LiveService(Self.settings(fake), backend: backend)
        let (environment, directory) = (service.environment, service.directory.path)
        let seeded = try await Blocking.run {
            try Executables.run(
                "chat-api", ["seed", "--sessions", "4", "--messages", "50"], environment: environment,
                directory: directory)
        }
        try #require(seeded.status == 0, "\(seeded.stderr)")
        let admin = try await service.login("root")
        let before = try await service.checksums()

        for n in hostile.indices {
            let answer = try await service.call(
                "POST", "/api/admin/sql", token: admin, body: ["question": "hostile \(n)"])
            let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(answer.status == 422, "\(hostile[n].0): \(answer.status) \(message)")
            #expect(message.hasPrefix("refused: "), "\(hostile[n].0): \(message)")
            #expect(answer.json["rows"] == nil)
        }
        #expect(try await service.checksums() == before)

        // The same path answers an honest question, and says so when the model finds no SQL.
        let honest = try await service.call(
            "POST", "/api/admin/sql", token: admin, body: ["question": "how many messages?"])
        #expect(honest.status == 200)
        #expect(honest.json["rows"] as? [[String]] == [["200"]])
        let none = try await service.call(
            "POST", "/api/admin/sql", token: admin, body: ["question": "what is the weather?"])
        #expect(none.status == 422)
        // The prompt gave the model the schema it may use, in the database's dialect.
        let system = try #require(fake.received.last?.system)
        #expect(system.contains("chat_messages(") && system.contains("chat_sessions("))
        #expect(system.contains(backend == .sqlite ? "SQLite" : "PostgreSQL"))
        #expect(!system.contains("auth_tokens"))
        await fake.stop()
    }
}

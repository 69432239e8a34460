import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("chat-api durability")
struct DurabilityTests {
    @Test(
        "kill -9 during a burst of chats, then a restart: every acknowledged message is there",
        arguments: Backend.allCases)
    func killDuringBurst(backend: Backend) async throws {
        let service = try await LiveService(backend: backend)
        let token = try await service.login("alice")
        let first = try await service.call("POST", "/api/chat", token: token, body: ["message": "start"])
        let session = try #require(first.json["session_id"] as? String)
        let base = service.base

        // Four clients chat as fast as they can; each records the messages the server acknowledged (200).
        let acknowledged = Acknowledged()
        let burst = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<4 {
                    group.addTask {
                        for i in 0..<500 {
                            var request = URLRequest(url: URL(string: base + "/api/chat")!)
                            request.httpMethod = "POST"
                            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                            request.httpBody = try? JSONSerialization.data(
                                withJSONObject: ["message": "c\(client)-m\(i)", "session_id": session])
                            guard let (data, response) = try? await URLSession.shared.data(for: request),
                                (response as? HTTPURLResponse)?.statusCode == 200,
                                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                                let message = json["message"] as? [String: Any], let id = message["id"] as? Int,
                                let reply = json["reply"] as? [String: Any], let replyID = reply["id"] as? Int
                            else { return }  // the server is gone
                            await acknowledged.add([id, replyID])
                        }
                    }
                }
            }
            await acknowledged.finish()  // wake the waiter even if the burst ended early
        }
        // Kill once some chats are acknowledged: no sleep, the count is the signal.
        await acknowledged.wait(atLeast: 40)
        service.server.kill()
        await burst.value
        let before = await acknowledged.ids
        #expect(before.count >= 40)
        #expect(before.count < 4 * 500 * 2, "the kill came after the burst had finished")

        try await service.restart()
        var stored: Set<Int> = []
        var cursor: Int? = nil
        repeat {
            let page = try await service.call(
                "GET", "/api/sessions/\(session)/messages?limit=500" + (cursor.map { "&before=\($0)" } ?? ""),
                token: token)
            let ids = (page.json["messages"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            stored.formUnion(ids)
            cursor = ids.count == 500 ? ids.min() : nil
        } while cursor != nil
        let lost = before.subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but lost after kill -9: \(lost.sorted().prefix(10))")
    }
}

/// The ids the server acknowledged, shared by the burst's clients.
actor Acknowledged {
    private(set) var ids: Set<Int> = []
    private var waiters: [(Int, CheckedContinuation<Void, Never>)] = []

    func add(_ new: [Int]) {
        ids.formUnion(new)
        let ready = waiters.filter { ids.count >= $0.0 }
        waiters.removeAll { ids.count >= $0.0 }
        for (_, continuation) in ready { continuation.resume() }
    }

    /// Wakes every waiter: the burst is over.
    func finish() {
        for (_, continuation) in waiters { continuation.resume() }
        waiters.removeAll()
    }

    func wait(atLeast count: Int) async {
        if ids.count >= count { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }
}

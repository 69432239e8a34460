import Foundation
import TestSupport
import Testing

@testable import Probes

/// chat-api's web app end to end in real headless Chromium (driven over the DevTools pipe, as gonogo's browser checks
/// are), against the built chat-api serving the build scripts/build-web made (`.build/web`), on a phone's viewport and
/// a desktop's: sign in, chat, the history after a reload, the admin page refused to a user and answered to an admin,
/// sign out; no console error on the way.
@Suite(.serialized) struct WebAppBrowserTests {
    static let web = Executables.repositoryRoot + "/.build/web"

    init() throws {
        try #require(
            FileManager.default.fileExists(atPath: Self.web + "/index.html"),
            "the web app is not built: scripts/test builds it (scripts/build-web)")
        try #require(Chromium.executable() != nil, "chromium is not installed: scripts/test installs it")
    }

    /// chat-api on a free loopback port with the web app, a user and an admin.
    static func serve() async throws -> (ServerProcess, String) {
        let dir = try Executables.temporaryDirectory("webapp")
        let env = [
            "PORT": "0", "HOST": "127.0.0.1", "DATABASE_URL": "sqlite:\(dir.path)/chat.db", "WEB_ROOT": web,
            "LOGIN_RATE_LIMIT_MAX": "50",
        ]
        return try await TestSupport.Blocking.run {
            for (name, role) in [("alice", "user"), ("root", "admin")] {
                let added = try Executables.run(
                    "chat-api", ["user", "add", "--username", name, "--role", role, "--password-stdin"],
                    environment: env, stdin: "pw-\(name)-123456", directory: dir.path)
                guard added.status == 0 else { throw ServerProcess.ServerError(description: added.stderr) }
            }
            let server = ServerProcess("chat-api", ["serve"], environment: env, directory: dir.path)
            return (server, "http://127.0.0.1:\(try server.start())")
        }
    }

    /// A page of `browser` at `width`×`height`, with helpers that wait for what the app shows.
    struct App {
        let page: BrowserPage
        let timeout: Duration = .seconds(60)

        /// Polls `condition` (a JS expression) until it is true, at most `timeout`.
        func wait(_ condition: String, _ what: String) async throws {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: timeout)
            while clock.now < deadline {
                // A page between two documents (a reload) has no context to evaluate in: asked again.
                if (try? await page.evaluate("!!(\(condition))", timeout: timeout)) as? Bool == true { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            let shown = try? await page.evaluate(
                #"document.body.innerText.slice(0, 600).split("\n").join(" / ")"#, timeout: .seconds(5))
            Issue.record("waited \(timeout) for \(what); the page shows: \(String(describing: shown ?? nil))")
            throw CancellationError()
        }

        func run(_ script: String) async throws -> Any? { try await page.evaluate(script, timeout: timeout) }

        /// Fills a field the way typing does (value set, `input` fired) and submits its form.
        func fill(_ fields: [String: String], submit form: String) async throws {
            var script = ""
            for (selector, value) in fields {
                let literal = String(decoding: try JSONSerialization.data(withJSONObject: [value]), as: UTF8.self)
                script += "{ const e = document.querySelector('\(selector)'); e.value = \(literal)[0];"
                script += " e.dispatchEvent(new Event('input', {bubbles: true})); }"
            }
            _ = try await run(script + " document.querySelector('\(form)').requestSubmit(); true")
        }

        func signIn(_ name: String) async throws {
            try await wait("document.querySelector('#username')", "the sign-in form")
            try await fill(["#username": name, "#password": "pw-\(name)-123456"], submit: "form.login")
            try await wait("document.querySelector('#composer')", "the chat after signing in as \(name)")
        }
    }

    // Two tests, not one with two arguments: the JUnit report (scripts/test writes it for gonogo's "E2E tests: N/N
    // passing" item) then counts each viewport as a test case.
    @Test("sign in, chat, history, admin refused to a user, sign out: on a phone (360×740)")
    func phone() async throws { try await journey(width: 360, height: 740) }

    @Test("sign in, chat, history, admin refused to a user, sign out: on a desktop (1366×768)")
    func desktop() async throws { try await journey(width: 1366, height: 768) }

    func journey(width: Int, height: Int) async throws {
        let (server, base) = try await Self.serve()
        defer { server.stop() }
        let browser = try await Chromium.launch(Chromium.executable()!, timeout: .seconds(60))
        let page = try await BrowserPage.open(in: browser, fresh: true, timeout: .seconds(60))
        try await page.send(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768], timeout: .seconds(60))
        let app = App(page: page)
        _ = try await page.load(base + "/", until: .now.advanced(by: .seconds(60)), timeout: .seconds(60))
        try await app.signIn("alice")

        // A chat: the message at once, then the model's reply; the session appears in the list.
        try await app.fill(["#message": "hello from the browser"], submit: "#composer")
        try await app.wait(
            "document.querySelectorAll('#history .msg.assistant:not(.pending)').length === 1", "the reply")
        try await app.wait("document.querySelectorAll('#sessions a').length === 1", "the new session in the list")
        let hash = try await app.run("location.hash") as? String ?? ""
        #expect(hash.hasPrefix("#/chat/"), "\(hash)")
        // The reply came streamed (POST /api/chat/stream, server-sent events), and is the built-in model's whole answer.
        let streamed = browser.record(of: page.session).all.filter { $0.url.hasSuffix("/api/chat/stream") }
        #expect(streamed.count == 1 && streamed.first?.status == 200, "\(streamed.map(\.url))")
        let shown = try await app.run("document.querySelector('#history .msg.assistant').textContent") as? String ?? ""
        #expect(shown.hasPrefix("Hello! I am chat-api's built-in model."), "\(shown)")

        // The history, read back from chat-api after a reload of the page.
        _ = try await app.run("window.beforeReload = true; location.reload(); true")
        try await app.wait(
            "!window.beforeReload && [...document.querySelectorAll('#history .msg.user')]"
                + ".some(m => m.textContent === 'hello from the browser')",
            "the history after a reload")
        #expect(try await app.run("document.querySelectorAll('#history .msg').length") as? Int == 2)
        // What was streamed is what chat-api stored.
        #expect(try await app.run("document.querySelector('#history .msg.assistant').textContent") as? String == shown)

        // The admin page: chat-api refuses a user.
        _ = try await app.run("location.hash = '#/admin'; true")
        try await app.wait("document.querySelector('#question')", "the admin page")
        try await app.fill(["#question": "how many messages?"], submit: "form.composer")
        try await app.wait(
            "document.querySelector('#sql-error').textContent === 'Only admins can run queries.'", "the refusal")
        #expect(try await app.run("document.querySelectorAll('#sql-result table').length") as? Int == 0)

        // Nothing overflows the viewport on the way.
        let wide = try await app.run("document.documentElement.scrollWidth") as? Int ?? .max
        #expect(wide <= width, "the page is \(wide) px wide at \(width) px")

        // Sign out: back to the form, the token forgotten.
        _ = try await app.run("location.hash = '#/chat'; true")
        try await app.wait("document.querySelector('#sign-out')", "the sign-out button")
        _ = try await app.run("document.querySelector('#sign-out').click(); true")
        try await app.wait("document.querySelector('#username')", "the sign-in form after signing out")
        #expect(try await app.run("sessionStorage.getItem('chat.token')") is NSNull)

        // An admin gets an answer on the same page.
        try await app.signIn("root")
        _ = try await app.run("location.hash = '#/admin'; true")
        try await app.wait("document.querySelector('#question')", "the admin page")
        try await app.fill(["#question": "how many messages?"], submit: "form.composer")
        try await app.wait("document.querySelectorAll('#sql-result td').length > 0", "the admin's answer")

        let record = browser.record(of: page.session)
        #expect(record.console.isEmpty, "\(record.console)")
        await page.close(timeout: .seconds(10))
        await browser.close()
    }
}

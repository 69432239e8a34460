import Foundation
import Testing

@testable import Catalog
@testable import Checklist

/// The repository's root, found from this file's path.
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/CatalogTests/File.swift
    return parts.joined(separator: "/")
}()

func loadPlan(_ relative: String) throws -> Plan {
    try Planner.plan(ChecklistLoader.load(path: repositoryRoot + "/" + relative))
}

@Suite("Sprint 5 checklist")
struct Sprint5Tests {
    let plan: Plan

    init() throws { plan = try loadPlan("checklists/sprint5-production.md") }

    func item(line: Int) -> PlannedItem { plan.items.first { $0.item.line == line }! }

    /// Every item of the checklist, by line, with the kind a reviewer agreed to defend to its author.
    static let expected: [(line: Int, kind: String, advisory: Bool)] = [
        (12, "command.run", false),  // All tests passing: pytest tests/ -v --cov=src
        (13, "artifact.coverage", false),  // Code coverage > 80%: pytest --cov-report=html
        (14, "command.run", false),  // No TypeScript errors: npm run type-check
        (15, "command.run", false),  // No ESLint errors: npm run lint
        (16, "command.run", false),  // No Python linting errors: pylint src/
        (19, "artifact.junit", false),  // Unit tests: 30/30 passing ✅
        (20, "artifact.junit", false),  // Integration tests: 16/16 passing ✅
        (21, "artifact.junit", false),  // Performance tests: 15/15 passing ✅
        (22, "postgres.migrations", false),  // Database migrations applied
        (25, "artifact.junit", false),  // E2E tests: 29/29 passing ✅
        (26, "artifact.junit", false),  // Component rendering tests passing
        (27, "browser.responsive", false),  // Responsive design verified (mobile/tablet/desktop)
        (28, "browser.dark_mode", true),  // Dark mode tested (if enabled)
        (31, "file.nonempty", false),  // API Contract complete: frontend/doc/api-contract.md
        (32, "file.nonempty", false),  // Architecture documented: docs/ARCHITECTURE_S5.md
        (33, "file.nonempty", false),  // Testing Guide complete: docs/TESTING_GUIDE_S5.md
        (34, "manual", false),  // a document a person judges: README updated with deployment instructions
        (35, "manual", false),  // a document a person judges: Known issues documented
        (42, "sqlite.database", false),  // Database file: data/messages.db
        (43, "sqlite.migrations", false),  // Tables created via migrations
        (44, "group", false),  // Indexes created:
        (45, "sqlite.index", false),  // idx_chat_messages_session_id
        (46, "sqlite.index", false),  // idx_chat_sessions_user_id
        (47, "sqlite.index", false),  // idx_chat_messages_created_at
        (48, "sqlite.journal_mode", false),  // WAL mode enabled
        (49, "sqlite.rows", true),  // Test data loaded (optional)
        (52, "postgres.privileges", false),  // Database created and permissions set
        (53, "postgres.pool", false),  // Connection pooling configured (min: 5, max: 20)
        (54, "postgres.index", false),  // Indexes created
        (55, "manual", false),  // Backups configured (daily automated)
        (56, "postgres.replication", true),  // Replication tested (if applicable)
        (57, "postgres.connect", false),  // Connection string: postgresql://user:***@host:5432/chat_db
        (60, "manual", false),  // a document a person judges: Backup strategy documented
        (61, "manual", false),  // Automated backup job scheduled
        (62, "manual", false),  // Backup retention policy: 30 days
        (63, "manual", false),  // Backup restoration tested
        (64, "manual", false),  // Encryption enabled for backups
        (71, "file.exists", false),  // .env.production created
        (72, "group", false),  // LLM API keys configured:
        (73, "env.set", false),  // LLM_API_KEY set
        (74, "env.set", false),  // LLM_MODEL specified (e.g., "gpt-4")
        (75, "env.set", true),  // LLM_BASE_URL set (if using custom endpoint): set, the sentence says nothing of its shape
        (76, "env.url", false),  // Database URL: DATABASE_URL
        (77, "env.url", true),  // Redis URL (if caching enabled): REDIS_URL
        (78, "env.equals", false),  // Debug mode disabled: DEBUG=false
        (79, "http.cors", false),  // CORS origins configured:
        (80, "env.not_wildcard", false),  // CORS_ORIGINS restricted to domain(s)
        (81, "http.rate_limit", false),  // Rate limiting configured:
        (82, "env.equals", false),  // RATE_LIMIT_WINDOW = 60 (seconds)
        (83, "env.equals", false),  // RATE_LIMIT_MAX_REQUESTS = 100
        (86, "manual", false),  // Secrets stored in secure vault (AWS Secrets Manager, HashiCo
        (87, "git.untracked", false),  // Never commit .env file to Git
        (88, "git.ignored", false),  // .gitignore includes environment files
        (89, "manual", false),  // a document a person judges: Secret rotation policy defined
        (90, "manual", false),  // Access logs for secret retrieval enabled
        (97, "group", false),  // Uvicorn configured:
        (98, "manual", false),  // Workers: 4 (for production)
        (99, "manual", false),  // Timeout: 120 seconds
        (100, "manual", false),  // Keep-alive: 65 seconds
        (101, "manual", false),  // ASGI server: Uvicorn or Gunicorn
        (102, "manual", false),  // Worker process manager: Supervisor or systemd
        (103, "manual", false),  // Port configured: 8000 (or custom)
        (104, "http.status", false),  // Health check endpoint: /health
        (107, "file.exists", false),  // nginx installed and configured
        (108, "tls.certificate", false),  // SSL/TLS certificates installed
        (109, "group", false),  // Proxy settings:
        (110, "file.contains", false),  // proxy_pass http://localhost:8000
        (111, "file.contains", false),  // proxy_set_header X-Real-IP $remote_addr
        (112, "file.contains", false),  // proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for
        (113, "http.compression", false),  // Gzip compression enabled
        (114, "http.cache_headers", false),  // Cache headers configured
        (115, "file.contains", false),  // Rate limiting: limit_req
        (118, "tls.certificate", false),  // Certificate installed (from Let's Encrypt or CA)
        (119, "manual", false),  // Certificate renewal automated (certbot)
        (120, "tls.protocols", false),  // SSL protocols: TLSv1.2 minimum
        (121, "http.redirect_https", false),  // HTTPS redirect enabled
        (122, "http.hsts", false),  // HSTS header: Strict-Transport-Security: max-age=31536000
        (129, "command.run", false),  // Production build: npm run build
        (130, "command.run", false),  // Build verification: npm run lint && npm run type-check
        (131, "manual", false),  // No build errors or warnings
        (132, "artifact.lighthouse", false),  // Build artifacts optimized (tree-shaking, code-splitting)
        (133, "file.exists", false),  // Source maps generated for debugging
        (136, "browser.assets", false),  // Public assets accessible: /public/*
        (137, "group", true),  // CDN configured (optional):
        (138, "manual", true),  // CloudFront, Cloudflare, or similar
        (139, "http.cache_headers", true),  // Cache policy: 1 year for versioned files
        (140, "manual", false),  // Static site generation (SSG) for static pages
        (143, "file.nonempty", false),  // Frontend .env updated:
        (144, "env.equals", false),  // NEXT_PUBLIC_API_URL = https://api.example.com
        (145, "manual", false),  // Correct API endpoints configured
        (146, "http.cors", false),  // CORS headers from backend match frontend domain
        (147, "browser.https_only", false),  // API calls use HTTPS in production
        (150, "artifact.lighthouse", false),  // Image optimization enabled
        (151, "artifact.lighthouse", false),  // Font optimization configured
        (152, "command.run", false),  // Bundle size analyzed: npm run analyze
        (153, "artifact.lighthouse", false),  // Lighthouse score > 90
        (154, "browser.vitals", false),  // Core Web Vitals targets met
        (161, "group", false),  // Logging configured:
        (162, "manual", false),  // Format: JSON (for ELK/Splunk compatibility)
        (163, "manual", false),  // Level: INFO (production)
        (164, "manual", false),  // Output: Stdout or log file
        (165, "manual", false),  // Log rotation configured
        (166, "manual", false),  // Sensitive data (passwords, tokens) not logged
        (167, "group", false),  // Error tracking service: Sentry or similar
        (168, "env.set", false),  // DSN configured
        (169, "env.set", false),  // Release tracking enabled
        (172, "manual", false),  // Console errors captured
        (173, "manual", false),  // User interactions tracked (analytics)
        (174, "manual", false),  // Performance metrics sent to backend
        (175, "manual", false),  // Error boundary configured
        (178, "manual", false),  // a metric tracked, none named (the configs name it): API response time tracked
        (179, "manual", false),  // a metric tracked, none named (the configs name it): Error rate monitored (threshold: > 1%)
        (180, "manual", false),  // a metric tracked, none named (the configs name it): Database query performance tracked
        (181, "manual", false),  // a metric tracked, none named (the configs name it): LLM API latency monitored
        (182, "manual", false),  // a metric tracked, none named (the configs name it): Memory usage monitored
        (183, "manual", false),  // Disk space monitored
        (186, "group", false),  // Alert rules configured:
        (187, "manual", false),  // High error rate (> 5%)
        (188, "manual", false),  // Database connection pool exhausted
        (189, "manual", false),  // API response time > 10s
        (190, "manual", false),  // Disk space < 10%
        (191, "group", false),  // Notification channels configured:
        (192, "manual", false),  // Email alerts
        (193, "manual", false),  // Slack/Teams webhooks
        (194, "manual", false),  // PagerDuty (for critical alerts)
        (201, "http.rate_limit", false),  // Rate limiting on login endpoints
        (202, "manual", false),  // CSRF protection enabled
        (203, "manual", false),  // Session timeout configured: 1 hour
        (204, "manual", false),  // Remember-me tokens: 30 days TTL
        (205, "manual", true),  // JWT token rotation enabled (if using JWT)
        (208, "http.auth_required", false),  // Admin endpoints protected
        (209, "manual", false),  // access control, not an endpoint (the configs name the role check): Role-based access control (RBAC) tested
        (210, "group", false),  // a flow the config defines: SQL injection prevention verified:
        (211, "manual", false),  // Parameterized queries
        (212, "manual", false),  // Input validation
        (213, "manual", false),  // SQL keyword whitelisting
        (214, "manual", false),  // protection in general, no header named (the configs check the security headers): XSS protection enabled
        (217, "http.redirect_https", false),  // Encryption in transit: HTTPS only
        (218, "manual", false),  // Encryption at rest: Database encryption enabled
        (219, "group", false),  // Sensitive data fields encrypted:
        (220, "manual", false),  // API keys
        (221, "manual", false),  // Passwords (hashed)
        (222, "manual", false),  // User tokens
        (223, "manual", false),  // PII data handling compliant
        (226, "manual", false),  // Firewall rules configured
        (227, "manual", false),  // SSH key-based auth (no passwords)
        (228, "group", false),  // Security groups configured:
        (229, "manual", false),  // API server: port 8000 from LB only
        (230, "manual", false),  // Database: port 5432 from API only
        (231, "manual", false),  // LB: ports 80/443 from internet
        (232, "manual", true),  // DDoS mitigation enabled (optional)
        (239, "manual", false),  // Query performance baseline established
        (240, "postgres.setting", false),  // Slow query log enabled
        (241, "postgres.pool", false),  // Connection pool tuned
        (242, "manual", true),  // Caching layer active (Redis optional)
        (245, "group", false),  // Response time targets met:
        (246, "latency.request", false),  // LLM response < 3s
        (247, "latency.request", false),  // Text-to-SQL < 2s
        (248, "latency.request", false),  // History retrieval < 500ms
        (249, "http.compression", false),  // Compression enabled (gzip)
        (250, "http.cache_headers", false),  // Request/response caching configured
        (253, "browser.vitals", false),  // Page load time < 3s
        (254, "browser.vitals", false),  // Time to Interactive (TTI) < 5s
        (255, "browser.vitals", false),  // Largest Contentful Paint (LCP) < 2.5s
        (256, "browser.vitals", false),  // Cumulative Layout Shift (CLS) < 0.1
        (263, "git.tag", false),  // Git tag created: v1.0.0-s5
        (264, "manual", false),  // a document a person judges: Release notes published
        (265, "manual", true),  // Docker image tagged (if using containers)
        (268, "git.tag", false),  // Previous version accessible
        (269, "manual", false),  // Database rollback script tested
        (270, "manual", false),  // Estimated rollback time < 15 minutes
        (271, "manual", false),  // Team trained on rollback procedure
        (274, "manual", false),  // Database backup restored successfully
        (275, "manual", false),  // Recovery Time Objective (RTO): < 1 hour
        (276, "manual", false),  // Recovery Point Objective (RPO): < 1 hour
        (277, "manual", false),  // DR drill completed successfully
        (284, "manual", false),  // no endpoint named (the configs name it): API health check passes
        (285, "manual", false),  // a flow the config defines: Chat message flow works
        (286, "manual", false),  // a flow the config defines: Admin mode (Text-to-SQL) works
        (287, "manual", false),  // a flow the config defines: History persistence verified
        (288, "postgres.connect", false),  // Database connectivity verified
        (289, "manual", false),  // a dependency: the config names the check (the configs name it): LLM API connectivity verified
        (292, "manual", false),  // Critical user flows tested
        (293, "manual", false),  // Edge cases verified
        (294, "manual", false),  // Performance acceptable to users
        (295, "manual", false),  // UI renders correctly on target browsers
        (298, "manual", false),  // a document a person judges: Deployment guide updated
        (299, "manual", false),  // a document a person judges: Runbook created for operations team
        (300, "manual", false),  // a document a person judges: Known issues documented
        (301, "manual", false),  // a document a person judges: Contact information for support
        (304, "manual", false),  // Team notified of deployment
        (305, "manual", false),  // Stakeholders informed
        (306, "manual", true),  // Status page updated (if applicable)
        (307, "manual", false),  // a document a person judges: Release notes published

    ]

    @Test("all 194 items, in file order, each with the expected kind and severity")
    func kinds() {
        #expect(plan.items.count == 194)
        #expect(plan.items.map(\.item.line) == plan.items.map(\.item.line).sorted())
        #expect(plan.items.map(\.item.line) == Self.expected.map(\.line))
        for (p, e) in zip(plan.items, Self.expected) {
            #expect(p.kind.description == e.kind, "line \(e.line): \(p.item.text)")
            #expect((p.severity == .advisory) == e.advisory, "line \(e.line) severity: \(p.item.text)")
        }
    }

    @Test("ids are unique and readable")
    func ids() {
        #expect(Set(plan.items.map(\.id)).count == 194)
        #expect(item(line: 48).id == "database-preparation/sqlite-development/wal-mode-enabled")
        #expect(
            item(line: 45).id == "database-preparation/sqlite-development/indexes-created/idx-chat-messages-session-id")
        #expect(item(line: 45).parentID == "database-preparation/sqlite-development/indexes-created")
    }

    // 61% before precision came first: documents that name no file, metrics that name none, health checks and
    // dependencies that name no endpoint, flows the sentence does not spell out are manual now (a sentence's words
    // are no evidence). The demo and production
    // configs name those files, metrics and endpoints, so they are still checked there.
    // Precision before reach: settings named only in words (no variable), renewal "automated" and the production
    // host's SSH configuration are manual (docs/checklist-syntax.md); the demo's config names chat-api's variables.
    @Test("at least 43% of the items run automatically")
    func automatedShare() {
        #expect(Double(plan.automatedCount) / Double(plan.items.count) >= 0.43)
    }

    @Test("the checks the issue names carry the right params")
    func params() {
        #expect(item(line: 48).params.string("mode") == "wal")
        #expect(item(line: 45).params.string("name") == "idx_chat_messages_session_id")
        #expect(item(line: 54).kind == Kind(.postgres, "index"))
        #expect(item(line: 73).params.string("name") == "LLM_API_KEY")
        #expect(item(line: 73).params["secret"] == .bool(true))
        #expect(item(line: 78).params.string("name") == "DEBUG")
        #expect(item(line: 78).params.string("value") == "false")
        #expect(item(line: 82).params.string("value") == "60")
        #expect(item(line: 104).params.string("path") == "/health")
        #expect(item(line: 120).params.string("min") == "1.2")
        #expect(item(line: 120).params["refuse"] == .list(["1.0", "1.1"]))
        #expect(item(line: 122).params.int("max_age") == 31_536_000)
        #expect(item(line: 248).params.threshold == Threshold(metric: "p95", op: "<", value: 500, unit: "ms"))
        #expect(item(line: 246).params.threshold?.value == 3000)
        #expect(item(line: 247).params.threshold?.value == 2000)
        #expect(item(line: 13).params.threshold == Threshold(metric: "line", op: ">", value: 80, unit: "%"))
        #expect(item(line: 19).params.int("tests") == 30)
        #expect(item(line: 263).params.string("name") == "v1.0.0-s5")
        #expect(item(line: 87).params.string("path") == ".env")
        #expect(item(line: 12).params.string("command") == "pytest tests/ -v --cov=src")
        #expect(item(line: 271).kind == .manual)
        #expect(item(line: 28).severity == .advisory)
        #expect(
            item(line: 255).params.threshold == Threshold(metric: "lcp", op: "<", value: 2500, unit: "ms"))
        #expect(item(line: 255).params.string("metric") == "lcp")
        #expect(item(line: 256).params.threshold == Threshold(metric: "cls", op: "<", value: 0.1, unit: ""))
        #expect(item(line: 253).params.string("metric") == "load")
        #expect(item(line: 27).params.strings("viewports") == ["mobile", "tablet", "desktop"])
    }

    @Test("roles come from the sign-off table")
    func roles() {
        #expect(plan.document.roles == ["Developer", "QA Lead", "DevOps Lead", "Product Manager"])
    }

    @Test("no secret from the checklist reaches the plan")
    func noPassword() {
        let json = plan.json.serialized()
        #expect(!json.contains("user:pass@"))
        #expect(json.contains("user:***@"))
    }
}

@Suite("A long checklist, read on every core")
struct ConcurrentPlanTests {
    /// Sprint 5's items twelve times over (2,328 items, three chunks and more), under one title.
    static func longChecklist() throws -> ChecklistDocument {
        let sprint5 = try String(contentsOfFile: repositoryRoot + "/checklists/sprint5-production.md", encoding: .utf8)
        let body = sprint5.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("# ") }.joined(separator: "\n")
        let text = "# Twelve sprints\n\n" + Array(repeating: body, count: 12).joined(separator: "\n\n")
        return try ChecklistParser.parse(text, path: "long.md")
    }

    @Test("chunks on several threads give the plan one pass gives: kinds, params, rules, evidence, severities, ids")
    func sameAsOnePass() throws {
        let document = try Self.longChecklist()
        #expect(document.items.count > 2 * Concurrent.chunkSize)
        let chunked = try Planner.plan(document)
        let onePass = try Planner.plan(document, chunkSize: Int.max)
        #expect(chunked.items.count == onePass.items.count)
        #expect(chunked.json.serialized() == onePass.json.serialized())
        // Each copy of Sprint 5 is read the same way: the chunks' evidence and phrase caches do not leak.
        let per = document.items.count / 12
        for i in per..<chunked.items.count {
            #expect(chunked.items[i].kind == chunked.items[i % per].kind, "item \(i)")
            #expect(chunked.items[i].evidence == chunked.items[i % per].evidence, "item \(i)")
        }
        #expect(chunked.automatedCount > document.items.count / 3)
    }

    @Test("the JSON of a long plan, written in chunks, is one array of every item in order")
    func jsonInOrder() throws {
        let plan = try Planner.plan(Self.longChecklist())
        let bytes = plan.json.serializedBytes()
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let items = try #require(parsed["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == plan.items.map(\.id))
        #expect(String(decoding: bytes, as: UTF8.self) == plan.json.serialized())
        // What `gonogo plan --format json` writes: the same bytes, in pieces (the items' chunks), without the tree.
        let pieces = plan.jsonPieces(notApplicable: [:])
        #expect(pieces.count > 2)
        #expect(Array(pieces.joined()) == bytes)
    }
}

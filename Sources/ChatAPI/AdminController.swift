import Foundation
import Hummingbird

/// `POST /api/admin/sql`: an admin's question, translated to SQL and run through the database's guard (``SQLiteGuard`` or ``PostgresGuard``).
struct AdminController: Sendable {
    let services: ChatServices
    let translator: any SQLTranslator

    struct Question: Decodable { let question: String }

    struct Answer: ResponseEncodable {
        let question: String
        let sql: String
        let columns: [String]
        let rows: [[String?]]
        let rowCount: Int
        let truncated: Bool
        let latencyMS: Int

        enum CodingKeys: String, CodingKey {
            case question, sql, columns, rows, truncated
            case rowCount = "row_count"
            case latencyMS = "latency_ms"
        }
    }

    func register(on router: Router<ChatRequestContext>) {
        router.post("/api/admin/sql") { request, context -> Answer in
            let user = try context.requireUser()
            guard user.role == .admin else { throw HTTPError(.forbidden, message: "admins only") }
            let input = try await request.json(Question.self, context: context)
            let proposed: String?
            do {
                proposed = try await translator.sql(for: input.question)
            } catch let failure as OpenAIClient.Failure {
                context.logger.error("translator failed", metadata: ["reason": "\(failure)"])
                throw HTTPError(.badGateway, message: "\(failure)")
            }
            guard let sql = proposed else {
                throw HTTPError(
                    .unprocessableContent,
                    message: "cannot turn this question into SQL; try: "
                        + BuiltinSQLTranslator.examples.joined(separator: "; "))
            }
            let started = ContinuousClock.now
            let result: SQLiteGuard.Result
            do {
                result = try await services.sqlGuard.answer(sql)
            } catch let refused as SQLRefused {
                context.logger.warning("admin SQL refused", metadata: ["reason": "\(refused)"])
                throw HTTPError(.unprocessableContent, message: "refused: \(refused)")
            }
            let elapsed = started.duration(to: .now)
            return Answer(
                question: input.question, sql: sql, columns: result.columns, rows: result.rows,
                rowCount: result.rows.count, truncated: result.truncated,
                latencyMS: elapsed.wholeMilliseconds)
        }
    }
}

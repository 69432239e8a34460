/// Database indexes (split from Recognizers+Database.swift).
extension Recognizers {
    /// An index: named in a code span, or "indexes created" under a database heading.
    static func databaseIndex(_ c: ItemContext) -> Recognition? {
        // An index: named in a code span, or "indexes created" under a database heading.
        let indexWords = ["index", "indexes", "indices"]
        // Search engines, web pages and files have indexes too: a bare "index" needs a database nearby.
        let otherIndex =
            c.own.hasAny([
                "elasticsearch", "opensearch", "solr", "algolia", "google", "search engine",
                "seo", "sitemap", "indexed by", "crawl", "crawled", "lucene", "meilisearch", "typesense",
            ])
            || c.code.contains { $0.lowercased().hasPrefix("index.") }
        let codeIndex =
            c.code.first(where: CodeSpan.isIndexName)
            ?? (c.parent.hasAny(indexWords) ? c.code.first(where: CodeSpan.isIdentifier) : nil)
            // A name right after the word ("the unique index `payments_key_unique`"), not a search engine's.
            ?? c.code.first { span in
                let lower = c.text.lowercased()
                guard !otherIndex, CodeSpan.isIdentifier(span),
                    let at = lower.firstRange(of: "index \(span.lowercased())")
                else { return false }
                return lower[at.upperBound...].first.map { !$0.isLetter && !$0.isNumber && $0 != "_" } ?? true
            }
        let nearEngine =
            Engine.named(in: c.own, code: c.code) ?? Engine.named(in: c.ancestors)
            ?? Engine.named(in: c.section)
        let ownIndex =
            c.own.hasAny(indexWords) && !otherIndex
            && (nearEngine != nil || c.own.hasAny(["database", "db", "table", "tables", "column", "columns", "sql"]))
        // "Indexes on frequently queried columns": which columns is a judgement, not a name to look up.
        let judged = c.own.hasAny([
            "frequently", "appropriate", "appropriately", "needed", "necessary", "proper", "properly", "optimized",
            "optimised", "reviewed", "where",
        ])
        // A migration file's statement ("`V4_12_2__refund_idx.sql` uses `CREATE INDEX CONCURRENTLY`"): the file's
        // text, not an index in the database.
        if codeIndex == nil, c.code.contains(where: { CodeSpan.isFilePath($0) && $0.lowercased().hasSuffix(".sql") }) {
            return nil
        }
        if ownIndex && !judged || codeIndex != nil, let engine = c.engine {
            var params: [(String, Params.Value)] = []
            if let name = codeIndex { params.append(("name", .string(name))) }
            return Recognition(Kind(engine.family, "index"), params, rule: "index")
        }
        return nil
    }
}

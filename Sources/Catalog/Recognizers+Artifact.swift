/// CI artifacts: JUnit counts, coverage, Lighthouse.
extension Recognizers {
    /// Lighthouse metrics by their names and abbreviations, with the audit id and unit of their threshold.
    static let lighthouseMetrics: [(phrases: CompiledPhrases, id: String, unit: String)] = [
        (["lcp", "largest contentful paint"], "largest-contentful-paint", "ms"),
        (["cls", "cumulative layout shift"], "cumulative-layout-shift", ""),
        (["tti", "time to interactive"], "interactive", "ms"),
        (["fcp", "first contentful paint"], "first-contentful-paint", "ms"),
        (["tbt", "total blocking time"], "total-blocking-time", "ms"),
        (["speed index"], "speed-index", "ms"),
    ].map { (Vocabulary.compile($0.0), $0.1, $0.2) }

    static let lighthouseCategories: [(CompiledPhrases, String)] = [
        (["accessibility"], "accessibility"), (["best practices"], "best-practices"), (["seo"], "seo"),
        (["pwa"], "pwa"),
    ].map { (Vocabulary.compile($0.0), $0.1) }

    /// Front-end practices and the Lighthouse audit that evidences each.
    static let lighthouseAudits: [(CompiledPhrases, String)] = [
        (
            ["image optimization", "images optimized", "optimized images", "image optimisation", "images compressed"],
            "uses-optimized-images"
        ),
        (["font optimization", "font display", "fonts optimized", "font optimisation"], "font-display"),
        (["tree shaking", "code splitting", "unused javascript", "dead code"], "unused-javascript"),
        (["minified", "minification", "minify"], "unminified-javascript"),
        (["text compression"], "uses-text-compression"),
        (["responsive images", "properly sized images"], "uses-responsive-images"),
    ].map { (Vocabulary.compile($0.0), $0.1) }

    /// "Code coverage > 80%", "coverage at least 85%", "Branch coverage: 70%".
    static func coverage(_ c: ItemContext) -> Recognition? {
        // Coverage of documentation, of dbt models or of requirements is not a coverage report's.
        guard c.own.has("coverage"), !c.own.hasAny(["documentation", "docs", "doc", "model", "models", "requirements"])
        else { return nil }
        // "Test coverage >90%" in a dbt project or a data warehouse's checklist is the models' test coverage.
        let dataModels =
            c.dataModels || c.scope.hasAny(["dbt", "model", "models", "warehouse", "snowflake", "data quality"])
        let report = c.code.first { span in
            let l = span.lowercased()
            return CodeSpan.isFilePath(span)
                && (l.hasSuffix("coverage.xml") || l.hasSuffix("lcov.info") || l.hasSuffix("cobertura.xml")
                    || l.hasSuffix("jacoco.xml") || l.hasSuffix("clover.xml"))
        }
        let codeCoverage =
            report != nil
            || c.own.hasAny([
                "code", "unit", "line", "lines", "branch", "statement",
                "statements", "function", "functions", "lcov", "cobertura", "jacoco", "pytest", "istanbul", "nyc",
            ]) || !dataModels && c.own.hasAny(["test", "tests", "%", "percent"])
        guard codeCoverage else { return nil }
        // A JaCoCo or Clover report: not a format gonogo reads (Cobertura XML and LCOV), so a person reads the figure.
        let unread = report.map { r in ["jacoco.xml", "clover.xml"].contains { r.lowercased().hasSuffix($0) } }
        if c.own.hasAny(["jacoco", "clover"]) || unread == true {
            return Recognition(.manual, rule: "a coverage report gonogo cannot read")
        }
        let metrics = [
            ("branch", "branch"), ("instruction", "instruction"), ("statement", "statement"),
            ("method", "method"), ("function", "function"), ("functions", "function"),
        ]
        let metric = metrics.first { c.own.contains($0.0) }?.1 ?? "line"
        var params: [(String, Params.Value)] = []
        if let bound = ThresholdParser(tokens: c.own).first() {
            var t = bound.threshold(metric: metric)
            if t.unit.isEmpty { t.unit = "%" }
            params.append(("threshold", .threshold(t)))
        } else if let i = c.own.words.firstIndex(where: Tokens.isNumber), i + 1 < c.own.words.count,
            c.own.words[i + 1] == "%" || c.own.words[i + 1] == "percent", let v = Double(c.own.words[i])
        {
            // "Coverage: 85%" states a floor.
            params.append(("threshold", .threshold(Threshold(metric: metric, op: ">=", value: v, unit: "%"))))
        }
        // Without a figure the sentence names no bar to check ("audit the implementation with tests coverage").
        guard !params.isEmpty else { return nil }
        if let report { params.insert(("path", .string(report)), at: 0) }
        return Recognition(Kind(.artifact, "coverage"), params, rule: "coverage")
    }

    /// "Unit tests: 30/30 passing", "Integration tests passing", "E2E suite green (29 of 29)".
    static func junit(_ c: ItemContext) -> Recognition? {
        let w = c.own.words
        // A JUnit report named in a code span: "`jest-junit.xml` has no failures".
        if let report = c.code.first(where: { f in
            let l = f.lowercased()
            return l.hasSuffix(".xml")
                && (l.includes("junit") || l.includes("test") || l.includes("surefire") || l.includes("results")
                    || c.own.hasAny(["junit", "test report", "test results"]))
        }),
            c.own.hasAny([
                "failures", "failure", "failing", "failed", "passing", "passed", "pass", "green", "errors",
            ])
                // "`e2e-junit.xml` shows all 148 tests": every test counted is the claim.
                || c.own.has("all") && junitCount(w) != nil
        {
            // `--junitxml=reports/pytest.xml` names the file after its option.
            let path = report.split(separator: "=").last.map(String.init) ?? report
            var params: [(String, Params.Value)] = [("path", .string(path))]
            // "`reports/junit.xml`: 412 tests, all green": the count is part of the claim.
            if let n = junitCount(w) { params.append(("tests", .int(n))) }
            return Recognition(Kind(.artifact, "junit"), params + [("failures", .int(0))], rule: "test results")
        }
        guard
            let testAt = w.firstIndex(where: {
                ["test", "tests", "specs", "spec", "suite", "suites", "examples"].contains($0)
            })
        else { return nil }
        // Tests a person runs once (a penetration test, a load test, a failover drill) leave no JUnit report.
        if c.own.hasAny([
            "penetration", "pen", "pentest", "load", "stress", "soak", "failover", "restore", "drill",
            "chaos", "usability", "acceptance", "uat", "manual", "manually", "exploratory", "dr",
            // Smoke and validation tests run against the deployment, after CI, and leave no report of CI's.
            "smoke", "validate", "validation", "staging",
            // Data checks run against production data, not a CI suite's report: "Great Expectations suite … passes
            // on the first prod run".
            "expectations", "prod run", "production run",
        ]) {
            return nil
        }
        // N/N or N of N
        var counts: (Int, Int)?
        for i in w.indices where i + 2 < w.count && Tokens.isNumber(w[i]) && Tokens.isNumber(w[i + 2]) {
            if w[i + 1] == "/" || w[i + 1] == "of", let a = Int(w[i]), let b = Int(w[i + 2]) { counts = (a, b) }
        }
        // "all 2,310 tests", "1,284 examples, zero failures"
        if counts == nil, testAt > 0, let n = Int(w[testAt - 1]),
            c.own.hasAny(["all", "zero failures", "0 failures", "no failures", "passing", "passed", "pass", "green"])
        {
            counts = (n, n)
        }
        let passing = c.own.hasAny([
            "passing", "passed", "pass", "passes", "green", "succeed", "succeeds", "successful", "no failures",
            "no failing", "0 failures", "zero failures",
        ])
        guard counts != nil || passing && w[testAt] != "test" else { return nil }
        // A named command runs the tests itself; that is a command check.
        if counts == nil, c.code.contains(where: CodeSpan.isCommand) { return nil }
        let suiteWords = w[..<testAt].filter {
            !["all", "the", "every", "our", "of", "/", "our", "and"].contains($0) && $0.contains(where: \.isLetter)
        }
        // "All tests passing" names no suite and no count: which report would say so is the team's to attest.
        guard counts != nil || !suiteWords.isEmpty else { return nil }
        var params: [(String, Params.Value)] = []
        if !suiteWords.isEmpty { params.append(("suite", .string(suiteWords.suffix(3).joined(separator: " ")))) }
        if let (passed, total) = counts {
            params.append(("tests", .int(total)))
            params.append(("passed", .int(passed)))
        }
        params.append(("failures", .int(0)))
        return Recognition(Kind(.artifact, "junit"), params, rule: "test results")
    }

    /// The number of tests a sentence counts: "412 tests".
    static func junitCount(_ w: [String]) -> Int? {
        guard let at = w.firstIndex(where: { $0 == "tests" || $0 == "test cases" }), at > 0 else { return nil }
        return Int(w[at - 1])
    }

    /// Lighthouse scores, Core Web Vitals and the audits behind "images optimised" or "code splitting".
    static func lighthouse(_ c: ItemContext) -> Recognition? {
        let kind = Kind(.artifact, "lighthouse")
        // The report the item or its parent names: "Lighthouse CI on the home page (`.lighthouseci/lhr-home.json`):"
        // over "LCP < 2.5 s".
        let report = (c.code + c.parentCode).first { span in
            let l = span.lowercased()
            return l.hasSuffix(".json") && CodeSpan.isFilePath(span)
                && (l.includes("lhr") || l.includes("lighthouse")
                    // (Under a Lighthouse heading, the parent's report: "Home page, `lhci/home.json`:".)
                    || c.scope.has("lighthouse") && c.parentCode.contains(span))
        }
        let path: [(String, Params.Value)] = report.map { [("path", .string($0))] } ?? []
        for m in lighthouseMetrics where c.own.matches(m.phrases) {
            var params: [(String, Params.Value)] = path + [("metric", .string(m.id))]
            if let bound = ThresholdParser(tokens: c.own).first() {
                var t = bound.threshold(metric: m.id)
                if m.unit.isEmpty { t.unit = "" }
                params.append(("threshold", .threshold(t)))
            }
            return Recognition(kind, params, rule: "web vital")
        }
        if c.own.has("core web vitals") {
            return Recognition(kind, path + [("metric", .string("core-web-vitals"))], rule: "web vital")
        }
        // A run that leaves no report gonogo can read ("scored with an authenticated Lighthouse run (no report in CI
        // yet — to run locally)"): a person reads the score.
        if c.own.has("lighthouse"), c.own.hasAny(["no report", "run locally", "locally", "authenticated"]) {
            return Recognition(.manual, rule: "no report to read")
        }
        // Under a Lighthouse heading, a category and its score ("Accessibility ≥ 95", "Performance score ≥ 90").
        let scored =
            c.scope.has("lighthouse") && ThresholdParser(tokens: c.own).first() != nil
            && (lighthouseCategories.contains { c.own.matches($0.0) } || c.own.has("performance score"))
        if c.own.has("lighthouse") || scored {
            let category = lighthouseCategories.first { c.own.matches($0.0) }?.1 ?? "performance"
            var params: [(String, Params.Value)] = path + [("category", .string(category))]
            if let bound = ThresholdParser(tokens: c.own).first() {
                params.append(("threshold", .threshold(bound.threshold(metric: "score"))))
            } else if c.own.hasAny(["decent", "acceptable", "reasonable", "looks"]) {
                // A score judged by eye ("Lighthouse accessibility looks decent"): no bound to hold it to.
                return Recognition(.manual, rule: "a score judged by eye")
            }
            return Recognition(kind, params, rule: "lighthouse score")
        }
        // Audits only where the item is about a web front end.
        let web =
            c.scope.hasAny(["frontend", "front end", "web", "ui", "site", "page", "pages", "browser", "next js"])
            || c.scope.hasPrefix("react") || c.scope.hasPrefix("next")
        guard web || report != nil else { return nil }
        for (phrases, id) in lighthouseAudits where c.own.matches(phrases) {
            return Recognition(kind, path + [("audit", .string(id))], rule: "lighthouse audit")
        }
        return nil
    }
}

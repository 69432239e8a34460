/// Sentences that name a file but ask something of it no file check answers: where a change was made, a branch, a
/// path on users' machines, a pull request, a comparison. Read by the file rule (Recognizers+Files.swift).
extension Recognizers {
    /// The item, judged by a person, when the file it names is not what the sentence asks about; nil otherwise.
    /// `plain` is the sentence without its asides, `prose` its words outside code spans.
    static func fileNamedForPerson(_ c: ItemContext, path: String, plain: String, prose: Tokens) -> Recognition? {
        // A branch or a release ref shaped like a path ("CI green on `release/0.9`"): git's, not a file.
        if CodeSpan.isVersionTag(path) {
            return Recognition(.manual, rule: "a branch or tag, not a file")
        }
        // A path in a user's home or behind a variable (`~/Library/Caches/app`, `$XDG_CACHE_HOME/app`): where the
        // program writes on users' machines, not a file of the repository or the host gonogo checks.
        if path.hasPrefix("~") || path.hasPrefix("$") {
            return Recognition(.manual, rule: "a path on users' machines")
        }
        // The means something is done by ("Fonts self-hosted via `next/font`"): a module or tool, not a file asked
        // to exist or be absent.
        if let at = plain.firstRange(of: path),
            plain[..<at.lowerBound].split(separator: " ").last.map({ $0.lowercased() }) == "via"
        {
            return Recognition(.manual, rule: "the means, not a file")
        }
        if !plain.contains(path), let aside = c.asides.first(where: { $0.contains(path) }) {
            // Named in an aside as where a behaviour comes from ("`/old/*` → `/new/*` (permanent, from `redirects()`
            // in `next.config.js`)"): the sentence is the behaviour, not the file.
            let head = aside.firstRange(of: path).map { String(aside[..<$0.lowerBound]) } ?? ""
            if Tokens(head).has("from") { return Recognition(.manual, rule: "a file named in passing") }
            // A test named as where a behaviour is tested ("v3 cache upgrades cleanly (`tests/upgrade_v3.rs`)"): the
            // test file existing says nothing of whether the behaviour holds.
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let first = path.split(separator: "/").first.map(String.init) ?? ""
            if ["tests", "test", "spec", "specs", "__tests__"].contains(first) || name.hasPrefix("test_")
                || [".test.", ".spec.", "_test.", "_spec."].contains(where: name.contains)
            {
                return Recognition(.manual, rule: "a test named for a behaviour")
            }
        }
        // A file on a website ("`install.sh` on the website serves 0.9.0"): what the site serves, not the repository's.
        if c.own.hasAny(["on the website", "on the web site", "on the site", "from the website"]) {
            return Recognition(.manual, rule: "a file a website serves")
        }
        // A change in review or merged in another repository ("PR to `org/tap` bumping `Formula/x.rb` merged"), a
        // comparison of values ("Formula `sha256` values match `dist/SHA256SUMS`"), an agreement ("Budgets in
        // `lighthouserc.json` agreed with design"), or what a config's matcher skips: a person's to judge.
        if prose.hasAny([
            "pr", "prs", "pull request", "merge request", "bumping", "match", "values match", "agreed with",
            "agreed on", "agreed by", "skips", "skip", "bypasses", "matcher",
        ]) {
            return Recognition(.manual, rule: "a person judges the file")
        }
        // One file per other file ("Every archive has a matching `.sig` file"): which files and how many is the
        // release's, and a file named by its extension alone is no path.
        if c.own.hasAny([
            "a matching", "every archive", "each archive", "every binary", "each binary", "every artifact",
            "each artifact",
        ]) {
            return Recognition(.manual, rule: "a claim about every part of a file")
        }
        return nil
    }

    /// The item, judged by a person, when the text a file should contain is not literal text gonogo can find in it.
    static func patternNotLiteral(_ c: ItemContext, path: String, pattern: String) -> Recognition? {
        // A value the sentence refuses ("pinned by digest, not `latest`"): the file must not hold it, the opposite of
        // a contents check.
        if let at = c.text.firstRange(of: pattern),
            let before = c.text[..<at.lowerBound].split(separator: " ").last,
            ["not", "no", "never", "without"].contains(before.lowercased().trimmingCharacters(in: ",;:("))
        {
            return Recognition(.manual, rule: "a value the file must not hold")
        }
        // A nested key named in an aside of a YAML, JSON or TOML file ("reserves the GPU
        // (`deploy.resources.reservations.devices`)"): a path through the structure, not a line of the file's text.
        let structured = [".yml", ".yaml", ".json", ".toml"].contains { path.lowercased().hasSuffix($0) }
        let parts = pattern.split(separator: ".", omittingEmptySubsequences: false)
        if structured, parts.count >= 2, parts.allSatisfy({ $0.first?.isLetter == true }),
            pattern.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }),
            c.asides.contains(where: { $0.contains(pattern) })
        {
            return Recognition(.manual, rule: "a nested key, not the file's text")
        }
        return nil
    }

    /// A Java properties line (`spring.datasource.hikari.maximum-pool-size=30`) under the item that names its
    /// `.properties` file ("`config/application-prod.properties`:"): a line the file must contain, like a server's
    /// directive, not a pool, a setting or a variable.
    static func propertiesLine(_ line: String, _ c: ItemContext) -> Bool {
        guard let eq = line.firstIndex(of: "="), !line.contains(" "),
            c.parentCode.contains(where: { $0.hasSuffix(".properties") && CodeSpan.isFilePath($0) })
        else { return false }
        let key = line[..<eq]
        let value = line[line.index(after: eq)...]
        return key.contains(".") && key.first?.isLetter == true && !value.isEmpty
            && key.allSatisfy { ($0.isLetter && $0.isASCII) || $0.isNumber || "._-".contains($0) }
    }
}

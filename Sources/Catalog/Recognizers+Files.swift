/// Files in the repository or on the host, and documentation. Commands: Recognizers+Commands.swift.
extension Recognizers {
    /// "`.env.production` created", "Architecture documented: `docs/ARCHITECTURE.md`", "`config.yml` contains `tls: on`".
    static func filePath(_ c: ItemContext) -> Recognition? {
        guard let path = c.code.first(where: CodeSpan.isFilePath), !CodeSpan.isCommand(path),
            !c.own.hasAny(["branch", "branches"]),
            // "`bundle exec rubocop` passes. Don't add offenses to `.rubocop_todo.yml`": the command's sentence.
            c.code.first.map(CodeSpan.isCommand) != true
        else { return nil }
        // Editing a file ("Bump `version.txt`", "Edit `docs/conf.py` so that…", a bare path under "Update the
        // version in:"): that the file exists says nothing about the edit.
        // Judged on the words outside code spans, with the verb opening the sentence: "`docs/change-log.md`
        // reviewed" is not an edit, "Bump `version.txt`" is.
        // Asides ("(`version` at the top)") say where in the file; they are not the sentence.
        var plain = c.text
        for aside in c.asides { plain = plain.replacing("(\(aside))", with: " ") }
        let prose = c.prose(plain)
        // Named only in a labelled aside ("Post the release notes (template: `docs/notes.md`)", "(see …)"): the file
        // is not what the sentence asks for. An unlabelled aside is the claim's own ("Unit installed
        // (`deploy/app.service`)", "No keystores (`**/*.jks` matches nothing)").
        if !plain.contains(path), let aside = c.asides.first(where: { $0.contains(path) }),
            let head = aside.components(separatedBy: path).first?.lowercased().trimmingCharacters(in: " `"),
            head.hasSuffix(":") || ["see ", "e.g.", "eg ", "like ", "cf."].contains(where: head.hasPrefix)
        {
            return Recognition(.manual, rule: "a file named in passing")
        }
        // A service unit's state ("`app.service` enabled so it starts on boot", "`worker.service` active"): the
        // init system's, not the unit file's presence.
        let unitSuffixes = [".service", ".timer", ".socket", ".target"]
        if unitSuffixes.contains(where: path.hasSuffix),
            prose.hasAny(["enabled", "enable", "active", "running", "started", "start", "starts", "restarts", "boot"])
        {
            return Recognition(.manual, rule: "a unit's state")
        }
        // A branch, a user's path, a means, a change in review: see Recognizers+FileClaims.swift.
        if let judged = fileNamedForPerson(c, path: path, plain: plain, prose: prose) { return judged }
        let editVerbs: Set<String> = [
            "bump", "modify", "edit", "change", "update", "add", "remove", "delete", "rename", "move",
        ]
        let editing =
            prose.words.first.map(editVerbs.contains) == true
            || prose.hasAny([
                "update the version", "version number", "should have the correct", "should be updated",
                "must be updated", "needs to be updated", "to be updated", "copy across", "copy", "copy over",
                // Where a change was made: "Version bumped in `Cargo.toml` and `Cargo.lock`".
                "bumped", "bumped in",
                // Made again or changed in place ("`db/structure.sql` regenerated", "timeout raised to 26 s in
                // `netlify.toml`"): the file was there before.
                "regenerate", "regenerated", "raised to", "lowered to", "increased to", "reduced to",
            ])
        let barePath = prose.words.count <= 1
        if editing
            || barePath
                && (c.parent.hasAny(Array(editVerbs)) || Tokens(c.item.section.last ?? "").hasAny(Array(editVerbs)))
        {
            return Recognition(.manual, rule: "editing a file")
        }
        // What a person judges about a file (its permissions and owner, whether it was proofread or approved, what it
        // must not hold without naming it: "Secrets … none in `values-prod.yaml`"), or a directory named for what
        // happens under it ("review on every change under `risk-engine/`", "`tests/data/` stays out of the wheel").
        if TextPatterns.fileMode(c.text) || c.own.has("perms")
            || c.own.hasAny([
                "owner", "owned", "permissions", "chmod", "chown", "writable", "readable", "root owned",
                "proofread", "reviewed by", "approved by", "signed off by", "none in", "nothing in",
            ])
            // What the file does or says, not that it is there: "`search.ts` doesn't log the raw query", "README
            // says why `.env` stays out of git", "`robots.txt` no longer has …", "Row counts documented in
            // `README.md`" (but "`x.pem` does not exist" is the file's absence).
            || prose.hasAny([
                "doesn t", "does not", "don t", "do not", "no longer", "says why", "explains", "documented in",
            ]) && !prose.hasAny(["exist", "exists"])
            || path.hasSuffix("/") && !c.own.hasAny(["exists", "exist", "present", "created", "in place"])
        {
            return Recognition(.manual, rule: "a person judges the file")
        }
        // An address on the service, not a file: "`/.well-known/assetlinks.json` returns 200".
        if path.hasPrefix("/"), c.own.hasAny(["returns", "responds", "answers", "serves", "served"]) { return nil }
        // Coverage of a part of the code ("Coverage of `internal/resolver` improved") is not that part's existence.
        if c.own.has("coverage"), !(path.split(separator: "/").last ?? "").contains(".") {
            return Recognition(.manual, rule: "coverage of a part of the code")
        }
        // Left out of what is shipped ("`publish/appsettings.Development.json` is not in the package"): absent where
        // the path is the built output's; a source file left out of an image or a package is still in the repository.
        if prose.hasAny(["not in the", "not included", "excluded from", "left out of"]),
            !prose.hasAny(["not in sync", "not in use"])
        {
            let built = ["publish/", "dist/", "build/", "out/", "target/", "bin/", "release/"]
            guard built.contains(where: path.hasPrefix) else {
                return Recognition(.manual, rule: "what a package leaves out")
            }
            return Recognition(Kind(.file, "absent"), [("path", .string(path))], rule: "file absent")
        }
        if prose.hasAny([
            "absent", "not present", "not exist", "must not exist", "removed", "not shipped",
            "never shipped", "not deployed", "not committed", "no",
        ]) && !prose.hasAny(["no errors", "no warnings", "no failures"]) {
            return Recognition(Kind(.file, "absent"), [("path", .string(path))], rule: "file absent")
        }
        // "`.env` is listed in `.dockerignore`": the second file holds the first's name.
        let paths = c.code.filter(CodeSpan.isFilePath)
        if paths.count == 2, paths[1].hasSuffix("/"), c.own.hasAny(["is in", "present in", "in"]) {
            // "`robots.txt` is present in `public/`": that file in that folder.
            return Recognition(Kind(.file, "exists"), [("path", .string(paths[1] + paths[0]))], rule: "file")
        }
        if paths.count == 2, c.own.hasAny(["listed in", "is in", "included in", "present in", "mentioned in"]) {
            return Recognition(
                Kind(.file, "contains"), [("path", .string(paths[1])), ("pattern", .string(paths[0]))],
                rule: "file contents")
        }
        // "`restart: unless-stopped` on every service": one match anywhere in the file would pass it.
        if c.own.hasAny([
            "on every", "for every", "in every", "every service", "each service", "all services", "lists every",
            "every variable", "each variable", "all variables",
        ]) {
            return Recognition(.manual, rule: "a claim about every part of a file")
        }
        // "A runbook at `docs/runbook.md` with a `## Processor outage` section": that heading in the file.
        if c.own.hasAny(["section", "heading"]), !c.own.hasAny(["without", "no", "not", "removed", "never"]),
            let heading = c.code.first(where: { TextPatterns.markdownHeading($0) })
        {
            return Recognition(
                Kind(.file, "contains"), [("path", .string(path)), ("pattern", .string(heading))], rule: "file contents"
            )
        }
        if c.own.hasAny([
            "contains", "includes", "mentions", "lists", "references", "has", "in", "set in", "says", "requires",
            "pins", "declares", "specifies", "sets", "uses",
        ]),
            // (A setting before the section it sits in: "`[deploy]` section has `release_command = …`".)
            let pattern = c.code.first(where: { $0 != path && !CodeSpan.isFilePath($0) && !isSection($0) })
                ?? c.code.first(where: { $0 != path && !CodeSpan.isFilePath($0) })
        {
            // A refused value or a nested key is no text to find in the file.
            if let judged = patternNotLiteral(c, path: path, pattern: pattern) { return judged }
            return Recognition(
                Kind(.file, "contains"), [("path", .string(path)), ("pattern", .string(pattern))], rule: "file contents"
            )
        }
        // "Secret key regenerated since the staging `.env` ended up in a chat": the file is in a clause about what
        // happened, not what the sentence asks to be there.
        if let at = plain.firstRange(of: path),
            c.tokens(String(plain[..<at.lowerBound])).hasAny([
                "since", "because", "after", "when", "until", "ever since", "once",
            ])
        {
            return Recognition(.manual, rule: "a file named in passing")
        }
        let written = c.own.hasAny([
            "complete", "completed", "documented", "written", "filled", "updated", "up to date", "reviewed",
            "populated",
            "finished", "current", "not empty", "non empty", "nonempty", "isn t empty", "is not empty", "not an empty",
        ])
        return Recognition(Kind(.file, written ? "nonempty" : "exists"), [("path", .string(path))], rule: "file")
    }

    /// A TOML or INI section header: `[deploy]`, `[env.production.vars]`.
    static func isSection(_ span: String) -> Bool {
        span.count > 2 && span.first == "[" && span.last == "]" && !span.dropFirst().dropLast().contains(" ")
    }

    /// "`fly.toml` has `force_https = true`": a line of a named file (not an env file), the file rule's to check,
    /// not the behaviour the setting configures.
    static func settingInNamedFile(_ c: ItemContext) -> Bool {
        c.code.contains { CodeSpan.isFilePath($0) && !CodeSpan.isEnvFile($0) && $0.contains(".") && !isSection($0) }
            && c.code.contains { $0.contains(" = ") || $0.contains(": ") }
    }

    /// A line of a config file, under the item that names the file: "In `deploy/nginx/snippets/tls.conf`:" over
    /// `ssl_session_tickets off;`, "Transport settings in `app/settings/production.py`:" over
    /// `SECURE_HSTS_SECONDS = 31536000`. The item is the line and nothing else; the file must contain it. (An env
    /// file's lines are variables: the environment rule's.)
    static func configLine(_ c: ItemContext) -> Recognition? {
        guard c.code.count == 1, let line = c.code.first,
            c.text.trimmingCharacters(in: " .,") == line || c.text.trimmingCharacters(in: " .,;") == line,
            CodeSpan.isServerDirective(line) || CodeSpan.envAssignment(line) != nil || line.contains(": ")
                || propertiesLine(line, c),
            c.parentCode.isEmpty || c.parent.hasAny(["in", "contains", "contain", "includes", "include", "has"])
                || propertiesLine(line, c)
        else { return nil }
        // The file the parent names, or the heading above when there is no parent: "## Values
        // (`deploy/helm/values-prod.yaml`)" over `replicaCount: 6`.
        let heading =
            c.item.section.last.map { $0.split(whereSeparator: { " ()`,:;".contains($0) }).map(String.init) } ?? []
        // (Under a heading, `NAME=value` stays a variable: a chart's values set the environment.)
        if c.parentCode.isEmpty, CodeSpan.envAssignment(line) != nil { return nil }
        // (A heading's word is a file only with a folder or a config file's extension: not "Next.js".)
        let configExtensions = [".yaml", ".yml", ".toml", ".json", ".conf", ".ini", ".cfg", ".properties"]
        let headingFiles = heading.filter { w in w.contains("/") || configExtensions.contains(where: w.hasSuffix) }
        let files = (c.parentCode.isEmpty ? headingFiles : c.parentCode).filter {
            CodeSpan.isFilePath($0) && !CodeSpan.isServerDirective($0)
        }
        guard files.count == 1, !CodeSpan.isEnvFile(files[0]) else { return nil }
        return Recognition(
            Kind(.file, "contains"), [("path", .string(files[0])), ("pattern", .string(line))], rule: "config line")
    }

    /// "Known issues documented", "Runbook created", "README updated with deployment instructions", any item under a
    /// "Documentation" heading that names no file: a person judges a document, and words of the sentence are no
    /// evidence that it says what it should. `manual`, so no later rule reads it as something else; a config names the
    /// file and what it must contain when a deployment wants it checked (`items:` in gonogo.yml).
    static func documentation(_ c: ItemContext) -> Recognition? {
        let docVerbs = [
            "documented", "runbook", "runbooks", "playbook", "release notes", "changelog", "guide",
            "policy defined", "policies defined", "wiki", "readme", "contact information", "procedure documented",
        ]
        let inDocs = c.section.hasAny(["documentation", "docs"]) || c.parent.hasAny(["documentation", "docs"])
        guard c.own.hasAny(docVerbs) || inDocs else { return nil }
        // A command to run ("`mkdocs build --strict` succeeds") is the command rule's.
        if c.code.contains(where: CodeSpan.isCommand) { return nil }
        // A file named in plain words ("README.md exists", "CHANGELOG.md updated"): that file.
        let plain = c.text.split(separator: " ").map { $0.trimmingCharacters(in: "`,;:()\"'") }
        if let path = plain.first(where: { CodeSpan.isFilePath($0) && $0.contains(".") }) {
            let written = c.own.hasAny(["updated", "written", "complete", "completed", "documented", "populated"])
            return Recognition(Kind(.file, written ? "nonempty" : "exists"), [("path", .string(path))], rule: "file")
        }
        return Recognition(.manual, rule: "documentation")
    }

    /// Files whose location is common knowledge: source maps of a web build. (SSH's server configuration is the
    /// production host's, not the machine gonogo runs on: "SSH key-based auth" stays manual unless a config names
    /// the file with `items:`.)
    static func knownFiles(_ c: ItemContext) -> Recognition? {
        if c.own.hasAny(["source maps", "source map", "sourcemaps", "sourcemap"]) {
            // Maps uploaded to an error tracker ("source maps uploaded privately"): the tracker's, not the build's.
            if c.own.hasAny(["uploaded", "upload", "uploads"]) { return Recognition(.manual, rule: "seen elsewhere") }
            let absent = c.own.hasAny(["not", "no", "never", "removed", "stripped", "excluded", "disabled", "without"])
            return Recognition(
                Kind(.file, absent ? "absent" : "exists"), [("path", .string("**/*.map"))], rule: "source maps")
        }
        return nil
    }
}

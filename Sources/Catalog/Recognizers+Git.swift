/// Git: tags, files that must stay out of the repository, ignore rules.
extension Recognizers {
    static func git(_ c: ItemContext) -> Recognition? {
        let paths = c.code.filter { CodeSpan.isFilePath($0) && $0 != ".gitignore" }
        // Never commit / not tracked
        let untracked = c.own.hasAny([
            "never commit", "never committed", "not committed", "do not commit", "don t commit", "not tracked",
            "untracked", "not in git", "not checked in", "never checked in", "excluded from git",
            "not in version control",
            "not in the repository", "not in the repo", "kept out of git",
            // Contracted: "`.env.production` isn't tracked in git".
            "isn t tracked", "aren t tracked", "isn t committed", "isn t checked in",
        ])
        if untracked {
            if let path = paths.first ?? wordPath(c) {
                return Recognition(Kind(.git, "untracked"), [("path", .string(path))], rule: "not tracked")
            }
            return nil
        }
        // .gitignore includes …
        let ignoreFile = c.code.contains(".gitignore") || c.own.has("gitignore")
        if ignoreFile
            && c.own.hasAny([
                "includes", "contains", "lists", "covers", "ignores", "has", "excludes",
                "listed", "in", "added", "ignored",
            ])
            || c.own.hasAny(["ignored by git", "gitignored", "git ignored", "is ignored", "are ignored"])
        {
            if let path = paths.first ?? wordPath(c) {
                return Recognition(Kind(.git, "ignored"), [("path", .string(path))], rule: "ignored by git")
            }
        }
        // Tags
        if c.own.hasAny(["tag", "tagged", "tags"]) && !c.own.hasAny(["docker", "image", "container", "images"]) {
            // A signed tag (its signature is not checked), a tag to annotate or remove, a tag given as an example
            // ("e.g. v2.1"), or no tag named: not "this tag exists".
            if c.own.hasAny([
                "signed", "pgp", "gpg", "signature", "removed", "remove", "delete", "deleted", "e g",
                "for example",
            ]) {
                return Recognition(.manual, rule: "not a tag's existence")
            }
            let plain = c.text.split(separator: " ").map { $0.trimmingCharacters(in: "`,;:()") }
            // (Or any name the sentence calls a tag: "Tag `docs-2025-06-14` pushed".)
            let afterTag: Int? = plain.indices.dropLast().first { i in
                // (A concrete name with a date or a number in it, not `latest`, `$VERSION` or `vX.Y`.)
                plain[i].lowercased() == "tag" && c.code.contains(plain[i + 1])
                    && plain[i + 1].contains(where: \.isNumber) && plain[i + 1].contains("-")
                    && plain[i + 1].allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }
            }
            let called: String? = afterTag.map { plain[$0 + 1] }
            if let tag = c.code.first(where: CodeSpan.isVersionTag) ?? plain.first(where: CodeSpan.isVersionTag)
                ?? called
            {
                return Recognition(Kind(.git, "tag"), [("name", .string(tag))], rule: "git tag")
            }
            if c.own.has("git") || c.scope.hasAny(["versioning", "release", "releases"]) {
                return Recognition(.manual, rule: "no tag named")
            }
        }
        // The previous release's tag is there to go back to ("Previous version accessible"); not a judgement of it
        // ("Previous version was stable") nor a changelog's range ("changes since the last release").
        // A previous model, package, build or database is another store's, not a git tag.
        if c.own.hasAny(["previous version", "previous release", "last release", "prior release", "previous tag"])
            && !c.own.hasAny([
                "docker", "image", "model", "models", "package", "apk", "build", "binary", "database", "container",
                "chart", "bundle", "app store", "play store",
            ])
            && c.own.hasAny(["accessible", "available", "exists", "tagged", "tag", "kept", "retained", "checkout"])
        {
            return Recognition(Kind(.git, "tag"), [("previous", .bool(true))], rule: "previous release")
        }
        return nil
    }

    /// A path named in words: "environment files" -> `.env`.
    static func wordPath(_ c: ItemContext) -> String? {
        if c.own.hasAny(["env file", "env files", "environment file", "environment files", "dotenv", "env"]) {
            return ".env"
        }
        if c.own.hasAny(["private key", "private keys"]) { return "*.key" }
        return nil
    }
}

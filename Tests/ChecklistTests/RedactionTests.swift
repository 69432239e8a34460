import Testing

@testable import Checklist

@Suite struct RedactionTests {
    @Test("a credential after Bearer, Basic or Token is masked; an ordinary word after them is not")
    func schemes() {
        #expect(Redaction.redacting("Authorization: Bearer sk_live_51HqAbC") == "Authorization: Bearer ***")
        #expect(Redaction.redacting("Basic dXNlcjpwYXNzd29yZA== works") == "Basic *** works")
        #expect(Redaction.redacting("Token ghp_16C7e42F292c6912E7710c8") == "Token ***")
        #expect(Redaction.redacting("Basic Functionality") == "Basic Functionality")
        #expect(Redaction.redacting("Token rotation support") == "Token rotation support")
        #expect(Redaction.redacting("Bearer token required") == "Bearer token required")
    }
}

@Suite struct MalformedAnnotationTests {
    @Test("an annotation without its colon is an error at its line, not a comment ignored")
    func missingColon() throws {
        for markdown in [
            "# R\n- [ ] CSP set <!-- gonogo http.header name=Content-Security-Policy -->\n",
            "# R\n- [ ] CSP set\n  <!-- gonogo http.header name=Content-Security-Policy -->\n",
        ] {
            do {
                _ = try ChecklistParser.parse(markdown, path: "c.md")
                Issue.record("accepted: \(markdown)")
            } catch let error as ChecklistError {
                #expect(error.description.contains("c.md:"), "\(error.description)")
                #expect(error.description.contains("needs a colon after gonogo"), "\(error.description)")
            }
        }
        // Other comments stay comments; the right form is an annotation.
        let fine = try ChecklistParser.parse(
            "- [ ] a <!-- gonogo-ignore: later -->\n- [ ] b <!-- gonogo: manual -->\n", path: "c.md")
        #expect(fine.items[0].annotations.isEmpty && fine.items[1].annotations.count == 1)
    }
}

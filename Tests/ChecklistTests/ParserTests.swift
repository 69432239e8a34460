import Testing

@testable import Checklist

@Suite("Parser")
struct ParserTests {
    func parse(_ md: String) throws -> ChecklistDocument { try ChecklistParser.parse(md, path: "test.md") }

    @Test("nested items know their parent, children, lines and sections")
    func nesting() throws {
        let doc = try parse(
            """
            # Title

            ## Database
            ### SQLite
            - [ ] Indexes created:
              - [ ] `idx_a`
                - [x] deeper
              - [ ] `idx_b`
            - [ ] WAL mode enabled
            """)
        #expect(doc.title == "Title")
        #expect(doc.items.map(\.text) == ["Indexes created:", "idx_a", "deeper", "idx_b", "WAL mode enabled"])
        #expect(doc.items.map(\.line) == [5, 6, 7, 8, 9])
        #expect(doc.items.map(\.parent) == [nil, 0, 1, 0, nil])
        #expect(doc.items[0].children == [1, 3])
        #expect(doc.items[1].children == [2])
        #expect(doc.items.allSatisfy { $0.section == ["Database", "SQLite"] })
        #expect(doc.items.map(\.checked) == [false, false, true, false, false])
        #expect(doc.items[1].id == "database/sqlite/indexes-created/idx-a")
        #expect(doc.items[2].id == "database/sqlite/indexes-created/idx-a/deeper")
    }

    @Test("checked boxes in either case, all bullet kinds and ordered lists are items; plain items are not")
    func markers() throws {
        let doc = try parse(
            """
            - [x] lower x
            - [X] upper X
            * [ ] star
            + [ ] plus
            1. [ ] ordered one
            2) [x] ordered two
            - plain item, not a task
            - [ ]not a task either (no space)
            """)
        #expect(doc.items.map(\.text) == ["lower x", "upper X", "star", "plus", "ordered one", "ordered two"])
        #expect(doc.items.map(\.checked) == [true, true, false, false, false, true])
    }

    @Test("CRLF line endings keep the same lines and text")
    func crlf() throws {
        let lf = try parse("# T\n\n## S\n- [ ] one\n  - [ ] two\n- [x] three\n")
        let crlf = try parse("# T\r\n\r\n## S\r\n- [ ] one\r\n  - [ ] two\r\n- [x] three\r\n")
        #expect(lf.items.map(\.line) == crlf.items.map(\.line))
        #expect(lf.items.map(\.text) == crlf.items.map(\.text))
        #expect(crlf.items.map(\.text) == ["one", "two", "three"])
        #expect(crlf.items[1].parent == 0)
    }

    @Test("tab-indented children nest under their parent")
    func tabs() throws {
        let doc = try parse("- [ ] parent\n\t- [ ] child\tone\n")
        #expect(doc.items.count == 2)
        #expect(doc.items[1].parent == 0)
        #expect(doc.items[1].text == "child one")
    }

    @Test("code spans keep their literal text, double backticks included")
    func codeSpans() throws {
        let doc = try parse("- [ ] Run `` echo `date` `` then `npm run lint` and **bold** _em_ [link](http://x)\n")
        #expect(doc.items[0].codeSpans == ["echo `date`", "npm run lint"])
        #expect(doc.items[0].text == "Run echo `date` then npm run lint and bold em link")
    }

    @Test("HTML comments are not text; gonogo annotations are kept with their line")
    func htmlComments() throws {
        let doc = try parse(
            """
            <!-- - [ ] commented-out item -->
            - [ ] WAL on <!-- a note --> <!-- gonogo: sqlite.journal_mode mode=wal -->
            - [ ] next
              <!-- gonogo: env.set name=X -->
            """)
        #expect(doc.items.map(\.text) == ["WAL on", "next"])
        #expect(doc.items[0].annotations == [RawAnnotation(body: "sqlite.journal_mode mode=wal", line: 2)])
        #expect(doc.items[1].annotations == [RawAnnotation(body: "env.set name=X", line: 4)])
    }

    @Test("an annotation attached to no item is an error naming its line")
    func strayAnnotation() throws {
        #expect(throws: ChecklistError.self) {
            try parse("- [ ] item\n\n<!-- gonogo: env.set name=X -->\n")
        }
        do {
            _ = try parse("- [ ] item\n\n<!-- gonogo: env.set name=X -->\n")
        } catch let error as ChecklistError {
            #expect(error.line == 3)
            #expect(error.description.contains("test.md:3"))
        }
    }

    @Test("an annotation on an item's second line is reported at that line")
    func annotationLine() throws {
        let doc = try parse("- [ ] first\n- [ ] second\n  continued <!-- gonogo: manual -->\n")
        #expect(doc.items[1].annotations.map(\.line) == [3])
    }

    @Test("YAML front matter is neither a section nor part of ids, and lines stay the file's")
    func frontMatter() throws {
        let doc = try parse("---\ntitle: Release\nowner: sre\n---\n# Release\n## Ops\n- [ ] Backups\n")
        #expect(doc.title == "Release")
        #expect(doc.items[0].section == ["Ops"])
        #expect(doc.items[0].id == "ops/backups")
        #expect(doc.items[0].line == 7)
    }

    @Test("an annotation under a task item in a block quote belongs to it")
    func quotedAnnotation() throws {
        let doc = try parse("> - [ ] quoted WAL\n>   <!-- gonogo: sqlite.journal_mode mode=wal -->\n")
        #expect(doc.items[0].annotations.map(\.body) == ["sqlite.journal_mode mode=wal"])
    }

    @Test("ids keep letters of other scripts")
    func unicodeIDs() throws {
        let doc = try parse("## Выпуск\n- [ ] Развёртывание проверено\n- [ ] 部署完成\n")
        #expect(doc.items.map(\.id) == ["выпуск/развёртывание-проверено", "выпуск/部署完成"])
    }

    @Test("headings, assignments and query strings lose their secrets")
    func moreRedaction() throws {
        let doc = try parse(
            "## Deploy to postgres://admin:TopSecret1@db/x\n- [ ] `API_TOKEN=abc123` and https://h/x?token=zzz9&a=1\n")
        #expect(doc.headings[0].text == "Deploy to postgres://admin:***@db/x")
        #expect(doc.items[0].codeSpans == ["API_TOKEN=***"])
        #expect(doc.items[0].text == "API_TOKEN=*** and https://h/x?token=***&a=1")
    }

    @Test("items inside block quotes count and are marked")
    func blockQuotes() throws {
        let doc = try parse("> - [ ] quoted\n>   - [x] quoted child\n\n- [ ] outside\n")
        #expect(doc.items.map(\.text) == ["quoted", "quoted child", "outside"])
        #expect(doc.items.map(\.inBlockQuote) == [true, true, false])
        #expect(doc.items[1].parent == 0)
    }

    @Test("fenced code blocks hold no items")
    func fencedCode() throws {
        let doc = try parse("```\n- [ ] not an item\n```\n~~~md\n- [x] nor this\n~~~\n- [ ] real\n")
        #expect(doc.items.map(\.text) == ["real"])
        #expect(doc.items[0].line == 7)
    }

    @Test("the sign-off table gives the roles; other tables do not")
    func roles() throws {
        let doc = try parse(
            """
            - [ ] x

            | Metric | Value |
            |---|---|
            | Role | nope |

            | Role | Name | Date |
            |------|------|------|
            | Developer | __________ | _____ |
            | **QA Lead** | | |
            | ___ | | |
            """)
        #expect(doc.roles == ["Developer", "QA Lead"])
    }

    @Test("several level-1 headings are all sections; one is the title")
    func titles() throws {
        let one = try parse("# Only\n## A\n- [ ] x\n")
        #expect(one.title == "Only")
        #expect(one.items[0].section == ["A"])
        let two = try parse("# First\n- [ ] x\n# Second\n## Sub\n- [ ] y\n")
        #expect(two.title == nil)
        #expect(two.items.map(\.section) == [["First"], ["Second", "Sub"]])
    }

    @Test("ids are unique: repeats get -2, -3")
    func duplicateIDs() throws {
        let doc = try parse("## S\n- [ ] Same\n- [ ] Same\n- [ ] Same\n- [ ] Same 2\n")
        #expect(doc.items.map(\.id) == ["s/same", "s/same-2", "s/same-3", "s/same-2-2"])
        #expect(Set(doc.items.map(\.id)).count == doc.items.count)
    }

    @Test("passwords in connection strings are redacted from text and code spans")
    func redaction() throws {
        let doc = try parse("- [ ] Connection string: `postgresql://app:hunter2@db:5432/x`\n")
        #expect(!doc.items[0].text.contains("hunter2"))
        #expect(doc.items[0].codeSpans == ["postgresql://app:***@db:5432/x"])
        #expect(!doc.items[0].id.contains("hunter2"))
    }

    @Test("a document without task items is refused")
    func noItems() {
        #expect(throws: ChecklistError.noItems("test.md")) { try parse("# T\n\n- plain\n") }
    }

    @Test("5,000 levels of nesting parse without overflowing the stack, with bounded ids")
    func deepNesting() throws {
        var md = ""
        for i in 0..<5000 { md += String(repeating: " ", count: 2 * i) + "- [ ] level \(i)\n" }
        let doc = try parse(md)
        #expect(doc.items.count == 5000)
        #expect(doc.items[4999].parent == 4998)
        #expect(doc.items.allSatisfy { $0.id.count < 600 })
        #expect(Set(doc.items.map(\.id)).count == 5000)
    }
}

import Crypto
import Foundation
import Reports
import Signing
import TestSupport
import Testing

@Suite("gonogo signed reports: DSSE, in-toto, verify-report")
struct SignedReportTests {
    /// A signed run of the small release checklist, in `dir/out`.
    static func signedRun() async throws -> (dir: URL, out: String) {
        let dir = try await SignoffFixture.make()
        let out = dir.path + "/out"
        let run = try await SignoffFixture.verify(
            dir, ["--gate", "ci", "--out", out, "--sign-key", dir.path + "/release.key"])
        #expect(run.status == 1)  // the CHANGELOG is missing: NO-GO, signed all the same
        #expect(run.stdout.contains(out + "/report.intoto.json"))
        return (dir, out)
    }

    @Test("the DSSE specification's test vector: its PAE, and its signature verifies")
    func specVector() throws {
        // protocol.md, "Test Vectors": ECDSA P-256 / SHA-256, the signature as raw r‖s.
        let pae = DSSE.pae(payloadType: "http://example.com/HelloWorld", payload: Data("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
        let x = "46950820868899156662930047687818585632848591499744589407958293238635476079160"
        let y = "5640078356564379163099075877009565129882514886557779369047442380624545832820"
        let key = try P256.Signing.PublicKey(rawRepresentation: Self.bytes(x) + Self.bytes(y))
        let envelope = Data(
            """
            {"payload": "aGVsbG8gd29ybGQ=",
             "payloadType": "http://example.com/HelloWorld",
             "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}
            """.utf8)
        let verified = try DSSE.verify(envelope: envelope, key: key)
        #expect(String(decoding: verified.payload, as: UTF8.self) == "hello world")
        // One bit of the payload changed, and the vector no longer verifies.
        let altered = Data(
            String(decoding: envelope, as: UTF8.self).replacingOccurrences(of: "aGVsbG8", with: "aGVsbG9").utf8)
        #expect(throws: DSSE.Failure.self) { try DSSE.verify(envelope: altered, key: key) }
    }

    @Test("a signature gonogo writes verifies with Python's cryptography and with openssl, over the DSSE encoding")
    func independent() async throws {
        let (dir, out) = try await Self.signedRun()
        let python = try await Shell.run(
            "python3",
            [
                Executables.repositoryRoot + "/fixtures/scripts/dsse_verify.py", out + "/report.intoto.json",
                dir.path + "/release.pub", out + "/report.json",
            ])
        #expect(python.status == 0, "\(python.stdout) \(python.stderr)")
        #expect(python.stdout.contains("signature: valid; report digest matches; result FAILED"))

        // openssl: the PAE and the DER signature written out, then `openssl dgst -verify`.
        let envelope =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: out + "/report.intoto.json"))) as? [String: Any]
        let payload = try #require(
            Data(base64Encoded: envelope?["payloadType"] == nil ? "" : envelope?["payload"] as? String ?? ""))
        let sig = try #require(
            Data(base64Encoded: (envelope?["signatures"] as? [[String: Any]])?.first?["sig"] as? String ?? ""))
        try DSSE.pae(payloadType: envelope?["payloadType"] as? String ?? "", payload: payload)
            .write(to: dir.appendingPathComponent("pae.bin"))
        try sig.write(to: dir.appendingPathComponent("sig.der"))
        let openssl = try await Shell.run(
            "openssl",
            [
                "dgst", "-sha256", "-verify", dir.path + "/release.pub", "-signature", dir.path + "/sig.der",
                dir.path + "/pae.bin",
            ])
        #expect(openssl.stdout.contains("Verified OK"), "\(openssl.stdout) \(openssl.stderr)")
        // The statement: in-toto v1, the test-result predicate, report.json by its sha256.
        let statement = try JSONSerialization.jsonObject(with: payload) as? [String: Any]
        #expect(statement?["_type"] as? String == "https://in-toto.io/Statement/v1")
        #expect(statement?["predicateType"] as? String == "https://in-toto.io/attestation/test-result/v0.1")
        let predicate = statement?["predicate"] as? [String: Any]
        #expect(predicate?["failedTests"] as? [String] == [SignoffFixture.failing])
        #expect((predicate?["passedTests"] as? [String])?.contains("build/readme-present") == true)

        let ok = try await gonogo(["verify-report", out + "/report.intoto.json", "--key", dir.path + "/release.pub"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(
            ok.stdout.contains(
                "verifies: signed by \(SigningKeys.envelopeKeyID(try SigningKeys.loadPublic(path: dir.path + "/release.pub")))"
            ))
        #expect(ok.stdout.contains("verdict  NO-GO (in-toto result FAILED)"))
        let wrongKey = try await gonogo(["verify-report", out + "/report.intoto.json", "--key", dir.path + "/qa.pub"])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("names key "), "\(wrongKey.stderr)")
        let noKey = try await gonogo(["verify-report", out + "/report.intoto.json", "--key", dir.path + "/nope.pub"])
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("nope.pub: cannot be read"))
    }

    @Test("changing any single byte of report.json or of the envelope makes verification fail, with a reason")
    func tamper() async throws {
        let (dir, out) = try await Self.signedRun()
        let key = try SigningKeys.loadPublic(path: dir.path + "/release.pub")
        let report = try Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))
        let envelope = try Data(contentsOf: URL(fileURLWithPath: out + "/report.intoto.json"))
        _ = try SignedReport.verify(envelope: envelope, report: report, key: key)
        #expect(report.count > 1000 && envelope.count > 1000)
        // Every position, two different changes each: one bit flipped, and the byte replaced by a space.
        var accepted: [String] = []
        for (name, data) in [("report.json", report), ("envelope", envelope)] {
            for i in data.indices {
                for change in [{ (b: UInt8) in b ^ 0x01 }, { (b: UInt8) in b == 0x20 ? 0x09 : 0x20 }] {
                    var altered = data
                    altered[i] = change(data[i])
                    let r = name == "report.json" ? altered : report
                    let e = name == "envelope" ? altered : envelope
                    if (try? SignedReport.verify(envelope: e, report: r, key: key)) != nil {
                        accepted.append("\(name)[\(i)] \(data[i]) -> \(altered[i])")
                    }
                }
            }
        }
        #expect(accepted.isEmpty, "accepted after a change: \(accepted.prefix(10))")

        // Through the command: the reason names what is wrong.
        var altered = report
        altered[altered.count / 2] ^= 0x01
        try altered.write(to: URL(fileURLWithPath: out + "/report.json"))
        let changed = try await gonogo([
            "verify-report", out + "/report.intoto.json", "--key", dir.path + "/release.pub",
        ])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("the report does not match the signature"), "\(changed.stderr)")
        try report.write(to: URL(fileURLWithPath: out + "/report.json"))
        var text = String(decoding: envelope, as: UTF8.self)
        text = text.replacingOccurrences(of: "application/vnd.in-toto+json", with: "application/vnd.in-toto+jsoN")
        try Data(text.utf8).write(to: URL(fileURLWithPath: out + "/report.intoto.json"))
        let retyped = try await gonogo([
            "verify-report", out + "/report.intoto.json", "--key", dir.path + "/release.pub",
        ])
        #expect(retyped.status == 1)
        #expect(
            retyped.stderr.contains("does not verify with this key over the payload and its type"), "\(retyped.stderr)")
    }

    @Test(
        "JUnit validates against jenkins-junit.xsd, SARIF against the SARIF 2.1.0 schema, the HTML renders in Chromium")
    func schemas() async throws {
        let (dir, out) = try await Self.signedRun()
        let formats = ["--format", "junit", "--format", "sarif", "--format", "html", "--format", "markdown"]
        // With a waiver and an attestation too, so that every status shape appears.
        try Data(
            """
            waivers:
              - item: \(SignoffFixture.failing)
                justification: ships in the release notes
                expires: 2099-01-01
                approved_by: Priya

            """.utf8
        ).write(to: dir.appendingPathComponent("waivers.yml"))
        #expect(
            try await SignoffFixture.attest(
                dir, ["--item", SignoffFixture.manual[0], "--role", "QA Lead", "--name", "Sam"]
            )
            .status == 0)
        let full = dir.path + "/full"
        let run = try await SignoffFixture.verify(
            dir,
            [
                "--out", full, "--waivers", dir.path + "/waivers.yml", "--attestations", dir.path + "/attestations.yml",
                "--sarif-passes",
            ] + formats)
        #expect(run.status == 1)  // the release gate: one manual item and both roles still missing
        // The first run's directory, NO-GO under the ci gate, gets every format too.
        #expect(try await SignoffFixture.verify(dir, ["--gate", "ci", "--out", out] + formats).status == 1)
        for report in [out, full] {
            let xmllint = try await Shell.run(
                "xmllint",
                [
                    "--noout", "--schema", Executables.repositoryRoot + "/fixtures/schemas/jenkins-junit.xsd",
                    report + "/report.junit.xml",
                ])
            #expect(xmllint.status == 0, "\(xmllint.stderr)")
            // SARIF against SARIF 2.1.0's schema; report.json, with its attestations, waivers, sign-off and notes,
            // against the project's own.
            for (document, schema) in [
                ("report.sarif", "fixtures/schemas/sarif-2.1.0.json"), ("report.json", "docs/report.schema.json"),
            ] {
                let check = try await Self.validate(
                    report + "/" + document, schema: Executables.repositoryRoot + "/" + schema)
                #expect(check.stdout == "valid\n", "\(document): \(check.stderr)")
            }
        }
        let junit = try String(contentsOfFile: full + "/report.junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuite name=\"Build\" tests=\"2\""))
        #expect(junit.contains("classname=\"Operations\""))
        #expect(junit.contains("<failure message=\"awaiting attestation"))  // the manual item left, under release
        let sarif =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: full + "/report.sarif")))
            as? [String: Any]
        let results = ((sarif?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        #expect(Set(results.compactMap { $0["kind"] as? String }) == ["pass", "fail", "review"])
        // By default only what needs attention: no pass, no skipped item; the failure and the awaited item stay.
        let attention =
            ((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.sarif")))
            as? [String: Any])?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []
        #expect(Set(attention.compactMap { $0["kind"] as? String }) == ["fail", "review"], "\(attention)")
        // What GitHub code scanning documents as required or used: rules with a full description, help and a help
        // URI; a location per result with a relative URI and its base; fingerprints; automationDetails.id; and
        // suppressions on every result or on none (SARIF 3.27.23).
        let sarifRun = (sarif?["runs"] as? [[String: Any]])?.first ?? [:]
        let rules =
            ((sarifRun["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        #expect(!rules.isEmpty)
        for rule in rules {
            for key in ["id", "shortDescription", "fullDescription", "help", "helpUri"] {
                #expect(rule[key] != nil, "rule \(rule["id"] ?? "?") has no \(key)")
            }
        }
        #expect(((sarifRun["automationDetails"] as? [String: Any])?["id"] as? String)?.hasPrefix("gonogo/") == true)
        let bases = sarifRun["originalUriBaseIds"] as? [String: [String: String]] ?? [:]
        for result in results {
            #expect(result["suppressions"] is [Any], "\(result["ruleId"] ?? "?"): no suppressions array")
            let fingerprints = result["partialFingerprints"] as? [String: String] ?? [:]
            #expect(fingerprints["primaryLocationLineHash"] != nil && fingerprints["gonogoItemId/v1"] != nil)
            let location =
                ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?[
                    "artifactLocation"] as? [String: String] ?? [:]
            #expect(location["uri"].map { !$0.hasPrefix("file:") && !$0.hasPrefix("/") } == true, "\(location)")
            #expect(location["uriBaseId"].flatMap { bases[$0]?["uri"] }?.hasPrefix("file:///") == true, "\(location)")
        }
        let markdown = try String(contentsOfFile: full + "/report.md", encoding: .utf8)
        #expect(
            markdown.contains("- [x] Load test reviewed by the team — **✍️ attested**: attested passed by Sam (QA Lead)")
        )
        #expect(markdown.contains("| QA Lead | — | — |"))

        // Headless Chromium opens the file on its own (no network), runs its script, and draws it.
        let chromium = ["chromium", "chromium-browser"].first { Shell.which($0) != nil }
        try #require(chromium != nil, "chromium is not installed: scripts/test installs it (apt package chromium)")
        let flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--user-data-dir=\(dir.path)/chromium",
        ]
        let dom = try await Shell.run(chromium!, flags + ["--dump-dom", "file://\(full)/report.html"])
        #expect(
            dom.stdout.contains("data-filter=\"all\""), "the report's script did not run: \(dom.stderr.suffix(500))")
        #expect(dom.stdout.contains("class=\"banner nogo\""))
        let png = dir.path + "/report.png"
        let shot = try await Shell.run(
            chromium!, flags + ["--screenshot=\(png)", "--window-size=390,844", "file://\(full)/report.html"])
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(shot.stderr.suffix(500))")
        #expect(image.count > 10_000)
    }

    /// Python's jsonschema, with the validator the schema's `$schema` names: prints `valid`, or fails with the error.
    static func validate(_ document: String, schema: String) throws -> Run {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[2]))
            jsonschema.validators.validator_for(schema)(schema).validate(json.load(open(sys.argv[1])))
            print("valid")
            """
        return try Shell.run("python3", ["-c", script, document, schema])
    }

    /// A decimal number as 32 big-endian bytes.
    static func bytes(_ decimal: String) -> Data {
        var out = [UInt8](repeating: 0, count: 32)
        for digit in decimal.compactMap({ $0.wholeNumberValue }) {
            var carry = digit
            for i in out.indices.reversed() {
                let v = Int(out[i]) * 10 + carry
                out[i] = UInt8(v & 0xFF)
                carry = v >> 8
            }
        }
        return Data(out)
    }
}

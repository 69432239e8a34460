/// TLS protocol versions (SSL and TLS) and HSTS. The certificate: Recognizers+Certificates.swift.
extension Recognizers {
    /// The TLS versions an item mentions: "TLSv1.2", "TLS 1.0 and 1.1", "tls1.3".
    static func tlsVersions(in text: String) -> [String] {
        let lower = Array(text.lowercased().utf8)
        var found: [String] = []
        var i = 0
        while i + 2 < lower.count {
            if lower[i] == UInt8(ascii: "1"), lower[i + 1] == UInt8(ascii: "."),
                (0x30...0x33).contains(lower[i + 2]),
                i == 0 || !(0x30...0x39).contains(lower[i - 1]) && lower[i - 1] != UInt8(ascii: "."),
                i + 3 >= lower.count || !(0x30...0x39).contains(lower[i + 3]) && lower[i + 3] != UInt8(ascii: ".")
            {
                let v = "1.\(Character(UnicodeScalar(lower[i + 2])))"
                if !found.contains(v) { found.append(v) }
                i += 3
                continue
            }
            i += 1
        }
        return found
    }

    /// "SSL protocols: TLSv1.2 minimum", "TLS 1.0 and 1.1 disabled", "Only TLS 1.3 accepted".
    static func tlsProtocols(_ c: ItemContext) -> Recognition? {
        guard c.own.hasAny(["tls", "ssl"]) || c.own.hasPrefix("tlsv") || c.own.hasPrefix("sslv") else { return nil }
        // "SSLv2 and SSLv3 disabled": those refused (gonogo tries both by hand-made hellos); no TLS floor is asked.
        guard !tlsVersions(in: c.text).isEmpty || !sslVersions(in: c.text).isEmpty else { return nil }
        // A server directive that names versions (`ssl_protocols TLSv1.2 TLSv1.3;`) is a line of the server's config:
        // the server-directive rule's, which checks that file.
        if c.code.contains(where: { CodeSpan.isServerDirective($0) && !tlsVersions(in: $0).isEmpty }) { return nil }
        // Read clause by clause: "Only TLS 1.3 and 1.2 negotiated; 1.1 and below rejected" accepts 1.2 and 1.3 and
        // refuses 1.1 and older.
        let all = ["1.0", "1.1", "1.2", "1.3"]
        var accepted: [String] = []
        var refused: [String] = []
        // Versions that must be accepted, with no floor: "TLS 1.3 supported" (TLS 1.2 may be too).
        var supported: [String] = []
        // "… supported, older versions disabled": a clause that names no version but refuses the older ones.
        var olderRefused = false
        // SSL versions refused, and whether a clause allows one ("SSLv3 allowed for legacy clients": not checked).
        var sslRefused: [String] = []
        var sslAllowed = false
        // Versions of a clause with no verb of its own ("TLS 1.0, TLS 1.1 disabled"): the next clause's verb is theirs.
        var pendingTLS: [String] = []
        var pendingSSL: [String] = []
        let sentences = c.text.split(separator: ". ").joined(separator: ";")  // not the dot of "1.2"
        let clauses = sentences.split(whereSeparator: { ";,".contains($0) }).map(String.init)
        for (index, clause) in clauses.enumerated() {
            var found = tlsVersions(in: clause)
            let ssl = sslVersions(in: clause)
            let words = Tokens(clause)
            // (A verb of refusal too, "refuse TLS 1.0 and TLS 1.1", unless a floor is named: "TLS 1.2 minimum: the
            // edge rejects older clients" asks for the floor.)
            let refusing =
                words.hasAny(refusingWords)
                || words.hasAny(["refuse", "refuses", "reject", "rejects"])
                    && !words.hasAny(["minimum", "min", "at least", "or higher", "or later", "or above", "and above"])
            if !refusing, index + 1 < clauses.count, !(found.isEmpty && ssl.isEmpty),
                !words.hasAny([
                    "only", "accepted", "accept", "allowed", "allow", "enforced", "enforce", "required", "require",
                    "use", "used", "uses", "enabled", "enable", "negotiated", "preferred", "minimum", "min",
                    "at least", "or higher", "or later", "or above", "and above", "and later", "supported",
                    "support", "available", "offered",
                ])
            {
                pendingTLS += found
                pendingSSL += ssl
                continue
            }
            if !(pendingSSL + ssl).isEmpty {
                if refusing { sslRefused += pendingSSL + ssl } else { sslAllowed = true }
            }
            pendingSSL = []
            found = pendingTLS + found
            pendingTLS = []
            guard !found.isEmpty else {
                if words.hasAny(["nothing older", "nothing else", "nothing below", "nothing lower"])
                    || words.hasAny(["disabled", "disable", "off", "refused", "rejected", "removed", "no", "not"])
                        && words.hasAny(["older", "below", "lower", "earlier", "legacy", "other", "others"])
                {
                    olderRefused = true
                }
                continue
            }
            let andBelow = words.hasAny(["and below", "or below", "and older", "or older", "and lower", "or lower"])
            // "use TLS 1.2 and disable all other schemes": the named version is the one kept.
            if refusing && words.hasAny(["all other", "other", "everything else"]) {
                accepted += found
                continue
            }
            // "Disable TLS < 1.2", "versions older than 1.2 disabled": the ones below the named version (the word
            // right before it: "TLS 1.1 disabled before go-live" refuses 1.1).
            let belowNamed = !andBelow && Self.belowVersion(words)
            if refusing {
                refused +=
                    andBelow
                    ? all.filter { $0 <= found.max()! } : belowNamed ? all.filter { $0 < found.min()! } : found
            } else {
                let floor = words.hasAny([
                    "minimum", "min", "at least", "or higher", "or later", "or above",
                    "and above", "and later", "+", "required",
                ])
                // ("TLS 1.3 on": switched on, said of that version alone; "on all endpoints" is a place.)
                let offered =
                    !floor && !words.has("only")
                    && (words.hasAny([
                        "supported", "support", "enabled", "enable", "available", "offered", "accepted",
                    ])
                        || words.words.last == "on")
                if offered {
                    supported += found
                } else {
                    accepted += floor ? all.filter { $0 >= found.min()! } : found
                }
            }
        }
        if sslAllowed { return Recognition(.manual, rule: "an SSL version allowed") }
        let sslRefuse = Array(Set(sslRefused)).sorted()
        var params: [(String, Params.Value)] = []
        if accepted.isEmpty && refused.isEmpty && !olderRefused {
            if supported.isEmpty {
                // SSL versions alone: those refused, nothing else asked.
                guard !sslRefuse.isEmpty else { return Recognition(.manual, rule: "no version refused or asked for") }
                return Recognition(Kind(.tls, "protocols"), [("refuse", .list(sslRefuse))], rule: "ssl versions")
            }
            // Only "supported" versions: each must be accepted, and nothing else is asked but SSL versions refused.
            params.append(("accept", .list(Array(Set(supported)).sorted())))
            if !sslRefuse.isEmpty { params.append(("refuse", .list(sslRefuse))) }
            return Recognition(Kind(.tls, "protocols"), params, rule: "tls versions")
        }
        // A supported version is never refused: the floor counts it ("TLS 1.2 supported; TLS 1.3 preferred").
        let floor: String
        if let lowest = accepted.min() {
            floor = Swift.min(lowest, supported.min() ?? lowest)
        } else if let highest = refused.max() {
            let above = all.first { $0 > highest } ?? "1.3"
            floor = Swift.min(above, supported.min() ?? above)
        } else {
            floor = supported.min() ?? "1.2"  // "… supported, older versions disabled"
        }
        let min = floor
        let refuseTLS = Set(all.filter { $0 < min } + refused).subtracting(supported).sorted()
        params.append(("min", .string(min)))
        // "SSLv3, TLS 1.0 and 1.1 disabled": below the floor anyway, and named as refused.
        let refuse = sslRefuse + refuseTLS
        if !refuse.isEmpty { params.append(("refuse", .list(refuse))) }
        if !supported.isEmpty { params.append(("accept", .list(Array(Set(supported)).sorted()))) }
        return Recognition(Kind(.tls, "protocols"), params, rule: "tls versions")
    }

    static let refusingWords = [
        "disabled", "disable", "off", "refused", "rejected", "not accepted", "not supported", "deprecated",
        "removed", "no", "not allowed", "forbidden", "blocked", "no longer", "never",
    ]

    /// The SSL versions a text names: "SSLv2", "SSLv3", "SSL 3.0", "ssl3" (as `ssl2`, `ssl3`); not "OpenSSL 3",
    /// "SSL 3rd-party", "SSL 2-way".
    static func sslVersions(in text: String) -> [String] {
        let b = Array(text.lowercased().utf8)
        func isWordByte(_ x: UInt8) -> Bool { (0x61...0x7A).contains(x) || (0x30...0x39).contains(x) }
        var found: [String] = []
        var i = 0
        while i + 3 < b.count {
            defer { i += 1 }
            guard b[i] == UInt8(ascii: "s"), b[i + 1] == UInt8(ascii: "s"), b[i + 2] == UInt8(ascii: "l"),
                i == 0 || !isWordByte(b[i - 1])
            else { continue }
            var j = i + 3
            if j < b.count, b[j] == UInt8(ascii: "v") { j += 1 }
            if j < b.count, b[j] == UInt8(ascii: " ") { j += 1 }
            guard j < b.count, b[j] == UInt8(ascii: "2") || b[j] == UInt8(ascii: "3") else { continue }
            let digit = b[j]
            j += 1
            if j + 1 < b.count, b[j] == UInt8(ascii: "."), b[j + 1] == UInt8(ascii: "0") { j += 2 }
            guard j >= b.count || !isWordByte(b[j]) && b[j] != UInt8(ascii: "-") && b[j] != UInt8(ascii: ".") else {
                continue
            }
            let version = digit == UInt8(ascii: "2") ? "ssl2" : "ssl3"
            if !found.contains(version) { found.append(version) }
        }
        return found.sorted()
    }

    /// Whether the words right before a clause's first version say "below it": `<`, below, before, under, older
    /// than, lower than, prior to, earlier than (past `TLS`, `version`).
    static func belowVersion(_ words: Tokens) -> Bool {
        let w = words.words
        guard let at = w.firstIndex(where: { tlsVersions(in: $0) != [] }) else { return false }
        var i = at - 1
        while i >= 0, ["tls", "tlsv", "ssl", "v", "version", "versions"].contains(w[i]) { i -= 1 }
        guard i >= 0 else { return false }
        if ["<", "below", "before", "under"].contains(w[i]) { return true }
        return i >= 1 && w[i] == "than" && ["older", "lower", "earlier"].contains(w[i - 1])
            || i >= 1 && w[i] == "to" && w[i - 1] == "prior"
    }

    /// "HSTS header: `Strict-Transport-Security: max-age=31536000`", "HSTS with includeSubDomains, 1 year".
    static func hsts(_ c: ItemContext) -> Recognition? {
        guard c.own.has("hsts") || c.own.has("strict transport security") else { return nil }
        // Submitting a domain to the browsers' preload list is a form a person fills in.
        if c.own.has("preload list") { return Recognition(.manual, rule: "a process, not a header") }
        let all = ([c.text] + c.code).joined(separator: " ").lowercased()
        var params: [(String, Params.Value)] = []
        if let r = all.firstRange(of: "max-age=") {
            let digits = all[r.upperBound...].prefix { $0.isNumber }
            if let v = Int(digits) { params.append(("max_age", .int(v))) }
        } else if let seconds = ThresholdParser.firstDurationSeconds(in: c.own) {
            params.append(("max_age", .int(seconds)))
        } else if let age = c.own.words.firstIndex(of: "age"), age > 0, c.own.words[age - 1] == "max",
            let v = c.own.words[(age + 1)...].prefix(5).lazy.compactMap({ Int($0) }).first
        {
            // "a max-age of at least 31536000": seconds, as the header counts them.
            params.append(("max_age", .int(v)))
        }
        if all.includes("includesubdomains") || c.own.has("subdomains") {
            params.append(("include_subdomains", .bool(true)))
        }
        if c.own.has("preload") { params.append(("preload", .bool(true))) }
        return Recognition(Kind(.http, "hsts"), params, rule: "hsts")
    }
}

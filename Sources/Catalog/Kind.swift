/// A family of checks (`sqlite`, `http`…), as docs/checklist-syntax.md names them. A struct, not an enum: a family declared
/// outside the catalog (``FamilyDeclaration``) is one more value, and nothing that switches over families breaks.
public struct Family: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let manual = Family(rawValue: "manual")
    public static let group = Family(rawValue: "group")
    public static let command = Family(rawValue: "command")
    public static let artifact = Family(rawValue: "artifact")
    public static let file = Family(rawValue: "file")
    public static let git = Family(rawValue: "git")
    public static let env = Family(rawValue: "env")
    public static let sqlite = Family(rawValue: "sqlite")
    public static let postgres = Family(rawValue: "postgres")
    public static let http = Family(rawValue: "http")
    public static let tls = Family(rawValue: "tls")
    public static let latency = Family(rawValue: "latency")
    public static let browser = Family(rawValue: "browser")

    /// Every family, in the order of `Kind.registry` (the built-in ones, then those registered).
    public static var allCases: [Family] {
        var seen: Set<Family> = []
        return Kind.registry.map(\.kind.family).filter { seen.insert($0).inserted }
    }

    public var description: String { rawValue }

    /// Whether items of this family run without a person.
    public var isAutomated: Bool { self != .manual && self != .group }
}

/// A check kind, `family.name` (`sqlite.journal_mode`); `manual` and `group` stand alone.
public struct Kind: Sendable, Hashable, CustomStringConvertible, Comparable {
    public let family: Family
    public let name: String?

    public init(_ family: Family, _ name: String? = nil) {
        self.family = family
        self.name = name
    }

    /// Parses `family.name` against the registry; `nil` for a kind gonogo does not know.
    public init?(parsing text: String) {
        guard let known = Kind.all.first(where: { $0.description == text }) else { return nil }
        self = known
    }

    public var description: String { name.map { "\(family.rawValue).\($0)" } ?? family.rawValue }

    public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.description < rhs.description }

    public static let manual = Kind(.manual)
    public static let group = Kind(.group)

    public static var all: [Kind] { registry.map(\.kind) }

    /// The declaration of `kind`, nil for a kind gonogo does not know.
    /// (Looked up for every planned item: the built-in kinds by a table made once, then the registered families'.)
    public static func spec(of kind: Kind) -> KindSpec? {
        if let builtin = builtinSpecs[kind] { return builtin }
        return FamilyRegistry.declarations.lazy.flatMap(\.kinds).first { $0.kind == kind }
    }

    private static let builtinSpecs: [Kind: KindSpec] = Dictionary(
        builtin.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })

    /// The params a check of `kind` reads, in the registry's order.
    public static func parameters(of kind: Kind) -> [String] {
        spec(of: kind)?.params.map(\.name) ?? []
    }

    /// Why `key` cannot be a param of `kind` (with the nearest one it takes), or nil when it can.
    public static func unknownParameter(_ key: String, of kind: Kind) -> String? {
        let known = parameters(of: kind)
        guard !known.contains(key) else { return nil }
        guard !known.isEmpty else { return "\(kind) takes no parameters, not `\(key)`" }
        let near = known.map { ($0, AnnotationParser.editDistance($0, key)) }
            .filter { $0.1 <= max(2, key.count / 3) }.min { $0.1 < $1.1 }
        return "`\(key)` is not a parameter of \(kind) (it takes: \(known.joined(separator: ", ")))"
            + (near.map { "; did you mean `\($0.0)`?" } ?? "")
    }
}

/// `blocker` items decide the verdict; `advisory` ones (optional, "if applicable"…) only warn.
public enum Severity: String, Sendable {
    case blocker, advisory
}

/// Where an item's kind came from.
public enum Source: String, Sendable {
    /// An explicit `<!-- gonogo: … -->` annotation.
    case annotation
    /// Recognised from the item's words by the catalog.
    case catalog
    /// Neither: a person attests it.
    case none
}

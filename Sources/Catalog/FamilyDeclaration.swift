import Synchronization

/// A family of checks declared in one place, outside the catalog: its kinds and the rules that recognise its items.
/// The family's probe carries it (`Probe.declaration`), and `ProbeTable.bootstrap()` registers every probe's, so a
/// new family is one new file (its declaration and its probe) and its row in `ProbeTable`: see docs/architecture.md.
public struct FamilyDeclaration: Sendable {
    public typealias Rule = @Sendable (ItemContext) -> Recognition?

    public let family: Family
    public let kinds: [KindSpec]
    /// Tried after the built-in families' own rules and before the generic ones (a file path, a document, a
    /// command), in the order given: a rule answers only for sentences that name what its kind checks.
    public let rules: [Rule]

    public init(family: Family, kinds: [KindSpec], rules: [Rule] = []) {
        self.family = family
        self.kinds = kinds
        self.rules = rules
    }
}

/// The families the catalog knows beyond its own, registered once at startup (as swift-log's `LoggingSystem` is
/// bootstrapped): the kinds `Kind.registry` lists and the rules recognition tries. Registering a family again
/// replaces it, so a test and the executable can both bootstrap.
public enum FamilyRegistry {
    private static let registered = Mutex<[FamilyDeclaration]>([])

    /// Adds `declarations` (or replaces those of the same families).
    public static func register(_ declarations: [FamilyDeclaration]) {
        registered.withLock { current in
            for declaration in declarations {
                current.removeAll { $0.family == declaration.family }
                current.append(declaration)
            }
        }
    }

    /// Removes `family`'s declaration (a test that registered one for its own use).
    public static func remove(_ family: Family) {
        registered.withLock { $0.removeAll { $0.family == family } }
    }

    static var declarations: [FamilyDeclaration] { registered.withLock { $0 } }

    /// The built-in kinds, then every registered family's.
    static var kinds: [KindSpec] { Kind.builtin + declarations.flatMap(\.kinds) }

    /// Every registered family's rules, in registration order.
    static var rules: [FamilyDeclaration.Rule] { declarations.flatMap(\.rules) }
}

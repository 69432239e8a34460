/// "Did you mean" for a name someone mistyped: the nearest known name, when it is near enough to be a slip.
public enum Suggestion {
    /// The name of `known` nearest to `typed`, within a third of its length (at least two edits); nil when none is.
    public static func nearest(to typed: String, in known: [String]) -> String? {
        known.map { ($0, AnnotationParser.editDistance($0, typed)) }
            .filter { $0.1 <= max(2, typed.count / 3) }
            .min { $0.1 < $1.1 }?.0
    }

    /// `; did you mean `name`?`, or nothing.
    public static func hint(for typed: String, in known: [String]) -> String {
        nearest(to: typed, in: known).map { "; did you mean `\($0)`?" } ?? ""
    }
}

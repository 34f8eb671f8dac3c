/// One thing wrong with a tree, phrased for the person who has to fix it: which file, which
/// package, which field, what is wrong, and what to do about it.
public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var package: String?
    public var field: String?
    public var message: String
    public var hint: String?

    public init(file: String? = nil, package: String? = nil, field: String? = nil,
                _ message: String, hint: String? = nil) {
        self.file = file
        self.package = package
        self.field = field
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var where_: [String] = []
        if let file { where_.append(file) }
        if let package { where_.append("package '\(package)'") }
        if let field { where_.append("field '\(field)'") }
        let location = where_.isEmpty ? "" : where_.joined(separator: ": ") + ": "
        return location + message + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}

/// Every problem found in one pass over a tree. pkgtree reports them all at once, so that a
/// release engineer fixes a broken tree in one round instead of one error per run.
public struct Problems: Error, Sendable, CustomStringConvertible {
    public var all: [Problem]

    public init(_ all: [Problem]) { self.all = all }

    public var description: String {
        all.map { "error: \($0)" }.joined(separator: "\n")
    }
}

/// Collects problems while loading or resolving; the stage ends by throwing them all.
struct ProblemCollector {
    private(set) var problems: [Problem] = []
    private var seen: Set<Problem> = []

    var isEmpty: Bool { problems.isEmpty }

    mutating func add(_ problem: Problem) {
        if seen.insert(problem).inserted { problems.append(problem) }
    }

    mutating func add(contentsOf other: [Problem]) {
        other.forEach { add($0) }
    }

    /// Throws everything collected so far, if anything was.
    func throwIfAny() throws(Problems) {
        if !problems.isEmpty { throw Problems(problems) }
    }
}

extension [Planner.Result] {
    /// The warnings of every plan, each once: one that every architecture's plan carries (a
    /// mutable image tag) is said once.
    public var uniqueWarnings: [Problem] {
        var seen = Set<Problem>()
        return flatMap(\.plan.warnings).filter { seen.insert($0).inserted }
    }
}

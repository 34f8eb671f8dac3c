/// A deterministic build order (every package after what it requires) by depth-first search
/// over names in sorted order, as pkgpanda orders its builds; and every dependency cycle,
/// each printed once as `a -> b -> c -> a`.
struct DependencyOrder {
    private(set) var order: [String] = []
    private(set) var cycles: [[String]] = []

    /// `requires` maps each package to the packages it requires (all of them keys).
    init(_ requires: [String: [String]]) {
        var state: [String: Bool] = [:]  // false: on the current path; true: finished
        var seenCycles = Set<[String]>()
        for root in requires.keys.sorted() where state[root] == nil {
            // An explicit stack, because a deep tree would overflow the call stack.
            var path: [(name: String, children: [String], next: Int)] = []
            state[root] = false
            path.append((root, requires[root, default: []].sorted(), 0))
            while !path.isEmpty {
                let top = path.count - 1
                guard path[top].next < path[top].children.count else {
                    state[path[top].name] = true
                    order.append(path.removeLast().name)
                    continue
                }
                let child = path[top].children[path[top].next]
                path[top].next += 1
                switch state[child] {
                case nil:
                    state[child] = false
                    path.append((child, requires[child, default: []].sorted(), 0))
                case false?:
                    let start = path.firstIndex { $0.name == child }!
                    let cycle = Self.rotatedToSmallest(path[start...].map(\.name))
                    if seenCycles.insert(cycle).inserted { cycles.append(cycle) }
                case true?:
                    continue
                }
            }
        }
    }

    /// The same cycle found from different entry points prints the same way.
    private static func rotatedToSmallest(_ cycle: [String]) -> [String] {
        let start = cycle.indices.min { cycle[$0] < cycle[$1] }!
        return Array(cycle[start...] + cycle[..<start])
    }

    static func describe(_ cycle: [String]) -> String {
        (cycle + [cycle[0]]).joined(separator: " -> ")
    }
}

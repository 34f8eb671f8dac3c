import Crypto

/// Package ids: `<name>--[<version_extra>-]<hash>`, where the hash is the first 40 hex digits
/// of SHA-256 over the canonical JSON of the package's inputs plus the sorted ids of all its
/// transitive requirements. Computed level by level (a package after all it requires), each
/// level in parallel.
enum PackageIDs {
    static let hashLength = 40

    struct Node: Sendable {
        var name: String
        var versionExtra: String?
        var inputs: JSONValue
        /// Indices (into the node list, which is in build order) of direct requirements.
        var requires: [Int]
    }

    /// The id of every node; `nodes` must be in build order.
    static func compute(_ nodes: [Node]) -> [String] {
        let transitive = TransitiveSets(nodes)
        var ids = [String](repeating: "", count: nodes.count)
        for level in levels(nodes) {
            let known = ids
            let computed = ParallelMap.map(level) { index in
                id(of: nodes[index], requirementIDs: transitive.members(of: index).map { known[$0] })
            }
            for (index, id) in zip(level, computed) { ids[index] = id }
        }
        return ids
    }

    static func id(of node: Node, requirementIDs: [String]) -> String {
        guard case .object(var fields) = node.inputs else { preconditionFailure("inputs are an object") }
        fields["requires"] = .array(requirementIDs.map(JSONValue.string))
        let digest = SHA256.hash(data: CanonicalJSON.bytes(.object(fields))).hexString.prefix(hashLength)
        return "\(node.name)--\(node.versionExtra.map { "\($0)-" } ?? "")\(digest)"
    }

    /// Groups node indices by depth: level 0 requires nothing, level k only lower levels.
    private static func levels(_ nodes: [Node]) -> [[Int]] {
        var depth = [Int](repeating: 0, count: nodes.count)
        var levels: [[Int]] = []
        for index in nodes.indices {
            depth[index] = (nodes[index].requires.map { depth[$0] + 1 }.max() ?? 0)
            if depth[index] == levels.count { levels.append([]) }
            levels[depth[index]].append(index)
        }
        return levels
    }
}

/// The transitive requirements of every node as bit sets, one bit per node, ordered so that
/// walking the bits yields ids in sorted order. Within a closure names are unique, and
/// `name--` strings sort exactly as the ids do (a name never contains `--`), so the order is
/// known before any id is.
private struct TransitiveSets {
    private let words: Int
    private var bits: [UInt64]
    private let rankToNode: [Int]

    init(_ nodes: [PackageIDs.Node]) {
        let byID = nodes.indices.sorted { (nodes[$0].name + "--").utf8.lexicographicallyPrecedes((nodes[$1].name + "--").utf8) }
        var rank = [Int](repeating: 0, count: nodes.count)
        for (position, node) in byID.enumerated() { rank[node] = position }
        rankToNode = byID
        words = (nodes.count + 63) / 64
        bits = [UInt64](repeating: 0, count: nodes.count * words)
        for index in nodes.indices {
            for requirement in nodes[index].requires {
                bits[index * words + rank[requirement] / 64] |= 1 << UInt64(rank[requirement] % 64)
                for word in 0..<words { bits[index * words + word] |= bits[requirement * words + word] }
            }
        }
    }

    /// Node indices of everything `index` requires, in id order.
    func members(of index: Int) -> [Int] {
        var result: [Int] = []
        for word in 0..<words {
            var value = bits[index * words + word]
            while value != 0 {
                let bit = value.trailingZeroBitCount
                result.append(rankToNode[word * 64 + bit])
                value &= value - 1
            }
        }
        return result
    }
}

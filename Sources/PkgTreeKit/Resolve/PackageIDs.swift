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
        // Each id as canonical JSON bytes, encoded once: a deep package lists thousands.
        var encoded = [[UInt8]](repeating: [], count: nodes.count)
        for level in levels(nodes) {
            let known = encoded
            let computed = ParallelMap.map(level) { index in
                id(of: nodes[index], encodedRequirementIDs: transitive.members(of: index).lazy.map { known[$0] })
            }
            for (index, id) in zip(level, computed) {
                ids[index] = id
                CanonicalJSON.writeString(id, into: &encoded[index])
            }
        }
        return ids
    }

    static func id(of node: Node, requirementIDs: [String]) -> String {
        id(of: node, encodedRequirementIDs: requirementIDs.map { id in
            var bytes: [UInt8] = []
            CanonicalJSON.writeString(id, into: &bytes)
            return bytes
        })
    }

    /// The id, given the sorted requirement ids already encoded as JSON strings.
    private static func id(of node: Node, encodedRequirementIDs: some Collection<[UInt8]>) -> String {
        guard case .object(let fields) = node.inputs else { preconditionFailure("inputs are an object") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024 + encodedRequirementIDs.count * 64)
        CanonicalJSON.writeObject(fields, extraKey: "requires", writeExtra: { output in
            output.append(UInt8(ascii: "["))
            for (position, id) in encodedRequirementIDs.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: id)
            }
            output.append(UInt8(ascii: "]"))
        }, into: &bytes)
        let digest = SHA256.hash(data: bytes).hexString.prefix(hashLength)
        return PackageID(name: node.name, versionExtra: node.versionExtra, hash: String(digest)).description
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

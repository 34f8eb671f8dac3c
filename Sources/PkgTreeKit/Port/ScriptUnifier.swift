/// Makes one build script out of this tree's (for `base`) and a fork's (for `target`) when
/// they differ only in how they spell the architecture: each differing name becomes the
/// `PKG_*` variable that holds it for both (`${PKG_TRIPLET}` for `x86_64-linux-gnu` /
/// `aarch64-linux-gnu`), or a name of `PortNameBlock` when no variable does (`x64` /
/// `arm64v8`). The result is checked by expansion: read for `base` it is this tree's script,
/// read for `target` the fork's, and read for an architecture an earlier port gave its own
/// names, what it was; otherwise it is refused.
struct ScriptUnifier {
    /// One name the shared script writes as a variable.
    struct Substitution: Sendable, Hashable {
        /// 1-based line and column in this tree's script.
        var line: Int
        var column: Int
        var original: String
        var fork: String
        var variable: String
    }

    struct Unified: Sendable {
        var text: String
        var substitutions: [Substitution]
    }

    struct Refusal: Error, Sendable {
        /// 1-based, in this tree's script.
        var line: Int
        var reason: String
    }

    let base: Architecture
    let target: Architecture

    func unify(original: String, fork: String) -> Result<Unified, Refusal> {
        let body = ScriptBody(original)
        let ours = ScriptLines(body.text, names: Set(Architecture.buildVariableNames + body.block.variables))
        let theirs = ScriptLines(fork, names: Set(Architecture.buildVariableNames))
        guard ours.lines.count == theirs.lines.count else {
            let first = Array(zip(ours.lines, theirs.lines)).firstIndex { $0 != $1 } ?? min(ours.lines.count, theirs.lines.count)
            return .failure(Refusal(line: body.lineInOriginal(first), reason: "the fork adds or removes lines"))
        }
        var pairing = ScriptPairing(base: base, target: target, block: body.block)
        var lines: [String] = []
        for index in ours.lines.indices {
            guard ours.lines[index] != theirs.lines[index] else {
                lines.append(String(ours.lines[index]))
                continue
            }
            switch pairing.merge(ours.line(index), theirs.line(index), line: body.lineInOriginal(index),
                                 contexts: ours.contexts, lineStart: ours.starts[index]) {
            case .success(let merged): lines.append(merged)
            case .failure(let refusal): return .failure(refusal)
            }
        }
        if !pairing.block.variables.isEmpty {
            let at = body.blockLine ?? (lines.first?.hasPrefix("#!") == true ? 1 : 0)
            lines.insert(String(pairing.block.text.dropLast()), at: at)
        }
        let text = lines.joined(separator: "\n")
        return verify(text, original: original, fork: fork, earlierPorts: body.found ? body.block : nil)
            .map { Unified(text: text, substitutions: pairing.substitutions) }
    }

    /// The shared script reads back as each tree's script, and as what the architectures an
    /// earlier port named read before.
    private func verify(_ text: String, original: String, fork: String, earlierPorts: PortNameBlock?) -> Result<Void, Refusal> {
        var checks = [(base, original), (target, fork)]
        for arm in earlierPorts?.arms ?? [] {
            if let arch = Architecture(name: arm.pattern), arch != target, arch != base { checks.append((arch, original)) }
        }
        for (arch, expected) in checks where ArchVariables.expand(text, for: arch) != ArchVariables.expand(expected, for: arch) {
            return .failure(Refusal(line: 1, reason: "the shared script would not read as \(arch)'s script did; kept apart to be safe"))
        }
        return .success(())
    }
}

/// A script without its `PortNameBlock`, and where the block stood.
private struct ScriptBody {
    let text: String
    /// The script's block (empty when it has none).
    let block: PortNameBlock
    let found: Bool
    /// 0-based line the block started on, and how many lines it had.
    let blockLine: Int?
    let blockLines: Int

    init(_ script: String) {
        guard let (block, range) = PortNameBlock.find(in: script) else {
            (text, self.block, found, blockLine, blockLines) = (script, PortNameBlock(), false, nil, 0)
            return
        }
        var text = script
        text.removeSubrange(range)
        (self.text, self.block, found) = (text, block, true)
        blockLine = script[..<range.lowerBound].count { $0 == "\n" }
        blockLines = script[range].count { $0 == "\n" }
    }

    /// The 1-based line of the script that body line `index` (0-based) is.
    func lineInOriginal(_ index: Int) -> Int {
        index + (blockLine.map { index >= $0 ? blockLines : 0 } ?? 0) + 1
    }
}

/// A script cut into lines, with where each starts, how the shell reads each byte, and the
/// variable references in it.
private struct ScriptLines {
    let lines: [Substring]
    let starts: [Int]
    let contexts: ShellContexts
    private let references: [ArchVariables.Reference]

    init(_ text: String, names: Set<String>) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var offset = 0
        starts = lines.map { line in
            defer { offset += line.utf8.count + 1 }
            return offset
        }
        let bytes = Array(text.utf8)
        contexts = ShellContexts(bytes)
        references = ArchVariables.references(in: bytes, names: names, contexts: contexts)
    }

    func line(_ index: Int) -> ScriptLine {
        let range = starts[index]..<(starts[index] + lines[index].utf8.count)
        return ScriptLine(Array(lines[index].utf8), lineStart: starts[index],
                          references: references.filter { range.contains($0.range.lowerBound) })
    }
}

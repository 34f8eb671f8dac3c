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
        let found = PortNameBlock.find(in: original)
        var block = found?.block ?? PortNameBlock()
        var body = original
        var blockLine: Int?
        var blockLines = 0
        if let (_, range) = found {
            blockLine = original[..<range.lowerBound].count { $0 == "\n" }
            blockLines = original[range].count { $0 == "\n" }
            body.removeSubrange(range)
        }
        let lineInOriginal = { (index: Int) in index + (blockLine.map { index >= $0 ? blockLines : 0 } ?? 0) + 1 }
        let originalLines = body.split(separator: "\n", omittingEmptySubsequences: false)
        let forkLines = fork.split(separator: "\n", omittingEmptySubsequences: false)
        guard originalLines.count == forkLines.count else {
            let first = Array(zip(originalLines, forkLines)).firstIndex { $0 != $1 } ?? min(originalLines.count, forkLines.count)
            return .failure(Refusal(line: lineInOriginal(first), reason: "the fork adds or removes lines"))
        }
        let bytes = Array(body.utf8)
        let contexts = ShellContexts(bytes)
        let names = Set(Architecture.buildVariableNames + block.variables)
        let originalReferences = ArchVariables.references(in: bytes, names: names, contexts: contexts)
        let forkBytes = Array(fork.utf8)
        let forkReferences = ArchVariables.references(in: forkBytes, names: Set(Architecture.buildVariableNames))
        var pairing = Pairing(base: base, target: target, block: block)
        var lines: [String] = []
        var lineStart = 0, forkLineStart = 0
        for (index, (originalLine, forkLine)) in zip(originalLines, forkLines).enumerated() {
            defer {
                lineStart += originalLine.utf8.count + 1
                forkLineStart += forkLine.utf8.count + 1
            }
            guard originalLine != forkLine else {
                lines.append(String(originalLine))
                continue
            }
            let ours = ScriptLine(Array(originalLine.utf8), lineStart: lineStart,
                                  references: originalReferences.filter { (lineStart..<(lineStart + originalLine.utf8.count)).contains($0.range.lowerBound) })
            let theirs = ScriptLine(Array(forkLine.utf8), lineStart: forkLineStart,
                                    references: forkReferences.filter { (forkLineStart..<(forkLineStart + forkLine.utf8.count)).contains($0.range.lowerBound) })
            switch pairing.merge(ours, theirs, line: lineInOriginal(index), contexts: contexts, lineStart: lineStart) {
            case .success(let merged): lines.append(merged)
            case .failure(let refusal): return .failure(refusal)
            }
        }
        block = pairing.block
        if !block.variables.isEmpty {
            let at = blockLine ?? (lines.first?.hasPrefix("#!") == true ? 1 : 0)
            lines.insert(String(block.text.dropLast()), at: at)
        }
        let text = lines.joined(separator: "\n")
        return verify(text, original: original, fork: fork, earlierPorts: found?.block)
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

/// Decides, name by name, what the shared script writes where the two scripts differ.
private struct Pairing {
    let base: Architecture
    let target: Architecture
    var block: PortNameBlock
    var substitutions: [ScriptUnifier.Substitution] = []
    /// (this tree's text, the fork's text) -> the port name made for it in this run.
    private var made: [String: String] = [:]
    /// Port names whose value for `target` this run has set.
    private var pinned: Set<String> = []
    /// Whether an earlier port gave `target` names of its own, which this one must keep.
    private let targetHadArm: Bool

    init(base: Architecture, target: Architecture, block: PortNameBlock) {
        self.base = base
        self.target = target
        self.block = block
        targetHadArm = block.hasArm(for: target)
    }

    mutating func merge(_ ours: ScriptLine, _ theirs: ScriptLine, line: Int, contexts: ShellContexts,
                        lineStart: Int) -> Result<String, ScriptUnifier.Refusal> {
        let gaps = ours.gaps
        guard ours.tokens.count == theirs.tokens.count, gaps.elementsEqual(theirs.gaps, by: { $0.elementsEqual($1) }) else {
            return .failure(.init(line: line, reason: "differs beyond architecture names"))
        }
        var result = Array(gaps[0])
        for (position, (mine, other)) in zip(ours.tokens, theirs.tokens).enumerated() {
            let column = String(decoding: ours.bytes[..<mine.range.lowerBound], as: UTF8.self).count + 1
            guard let written = resolve(mine, other, in: ours, line: line, column: column,
                                        expands: contexts.expands(at: lineStart + mine.range.lowerBound)) else {
                return .failure(.init(line: line, reason: "'\(mine.text)' / '\(other.text)' at column \(column) cannot be one variable"
                                      + (contexts.expands(at: lineStart + mine.range.lowerBound) ? "" : " (the shell does not expand variables there)")))
            }
            result += Array(written.utf8) + Array(gaps[position + 1])
        }
        return .success(String(decoding: result, as: UTF8.self))
    }

    /// What the shared script writes for this tree's `mine` and the fork's `other`; nil if nothing fits.
    private mutating func resolve(_ mine: ScriptLine.Token, _ other: ScriptLine.Token, in line: ScriptLine,
                                  line number: Int, column: Int, expands: Bool) -> String? {
        if mine.text == other.text { return mine.text }
        let targetValues = target.buildVariables
        let forkText = other.reference.map { targetValues[$0]! } ?? other.text
        if let name = mine.reference {
            if let value = targetValues[name] { return value == forkText ? mine.text : nil }
            if block.values(for: target)[name] == forkText { return mine.text }
            // An earlier port's name can take the fork's value only where it had none for `target`.
            guard !targetHadArm, !pinned.contains(name) else { return nil }
            block.setValue(forkText, of: name, for: target)
            pinned.insert(name)
            return mine.text
        }
        if let name = other.reference {
            return base.buildVariables[name] == mine.text ? other.text : nil
        }
        guard expands, line.isReplaceable(mine) else { return nil }
        let variable = Architecture.buildVariableNames.first { base.buildVariables[$0] == mine.text && targetValues[$0] == forkText }
            ?? portName(original: mine.text, fork: forkText)
        substitutions.append(.init(line: number, column: column, original: mine.text, fork: forkText, variable: variable))
        return "${\(variable)}"
    }

    private mutating func portName(original: String, fork: String) -> String {
        let key = original + "\u{0}" + fork
        if let name = made[key] { return name }
        let name = block.add(value: fork, for: target, fallback: original)
        made[key] = name
        pinned.insert(name)
        return name
    }
}

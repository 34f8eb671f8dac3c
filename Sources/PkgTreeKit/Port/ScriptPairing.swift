/// Decides, name by name, what the shared script writes where the two scripts differ.
struct ScriptPairing {
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

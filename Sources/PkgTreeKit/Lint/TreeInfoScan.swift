import Foundation

/// The tree variant's treeinfo: a `default_builder` image made for another architecture.
enum TreeInfoScan {
    static func findings(tree: PackageTree, treeVariant: String?, target: Architecture) -> [LintFinding] {
        guard let info = tree.treeVariants[treeVariant], case .reference(let reference)? = info.defaultBuilder,
              let advice = BuilderImageAdvice(reference, target: target), !info.lint.ignores(.builderImage) else { return [] }
        let url = tree.root.child((treeVariant.map { "\($0)." } ?? "") + TreeLoader.treeInfoSuffix)
        let data = FileManager.default.contents(atPath: url.path) ?? Data()
        let lines = LintedFile.lines(of: data)
        let position = JSONLineIndex(data).position(of: ["default_builder"])
        let line = position?.line ?? 1
        return [LintFinding(file: DisplayPath.of(url), line: line, column: (position?.column ?? 0) + 1,
                            rule: .builderImage, text: reference, message: advice.message(target: target),
                            suggestion: advice.fieldSuggestion(target: target, field: "docker")
                                + ", or a recipe: \"default_builder\": {\"suite\": \"bookworm\", \"packages\": […]}",
                            sourceLine: lines.indices.contains(line - 1) ? lines[line - 1] : nil, field: "default_builder")]
    }
}

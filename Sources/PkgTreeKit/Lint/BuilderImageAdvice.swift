/// Findings about a builder image reference (buildinfo `docker`, treeinfo `default_builder`,
/// a Dockerfile's `FROM`) that names another architecture: `amd64/debian:bookworm`,
/// `arm64v8/golang`, `example/builder:1.0-amd64`.
struct BuilderImageAdvice {
    let reference: String
    /// The first mention of another architecture than the target.
    let mention: ArchMention

    init?(_ reference: String, target: Architecture) {
        guard let mention = ArchMention.foreign(in: reference, target: target).first else { return nil }
        self.reference = reference
        self.mention = mention
    }

    func message(target: Architecture) -> String {
        "builder image '\(reference)' is made for \(mention.arch) ('\(mention.text)'); this build is for \(target)"
    }

    /// The same image under its multi-architecture name, when the architecture is only a
    /// namespace (`amd64/debian:bookworm` -> `debian:bookworm`), as Docker Hub spells them.
    var neutralName: String? {
        let components = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard let index = components.firstIndex(where: { component in
            ArchSpelling.all.contains { $0.text == component.lowercased() }
        }), index < components.count - 1 else { return nil }
        return components.enumerated().filter { $0.offset != index }.map(\.element).joined(separator: "/")
    }

    /// For a `docker` field or `default_builder`: a neutral name, else an overlay.
    func fieldSuggestion(target: Architecture, field: String) -> String {
        let overlay = #"or set it per architecture: "arch": {"\#(target)": {"\#(field)": "…"}}"#
        guard let neutralName else {
            return "use a multi-architecture image (pkgtree runs it with --platform \(target.ociPlatform)), \(overlay)"
        }
        return "use the multi-architecture '\(neutralName)' (pkgtree runs it with --platform \(target.ociPlatform)), \(overlay)"
    }

    /// For a Dockerfile's `FROM`.
    func fromSuggestion(target: Architecture) -> String {
        let neutral = neutralName.map { ", or FROM \($0): the multi-architecture name" } ?? ""
        return "FROM ${PKGTREE_BUILDER} (with ARG PKGTREE_BUILDER before it) starts from the tree's builder for \(target)\(neutral); pkgtree builds docker/ with --platform \(target.ociPlatform)"
    }
}

/// Which packages (and which variant of each) a tree variant holds for one architecture:
/// the start set closed over `requires`, checked against the treeinfo as pkgpanda does.
struct TreeSelection {
    struct Member {
        var definition: PackageDefinition
        var buildInfo: BuildInfo
    }

    let tree: PackageTree
    let treeInfo: TreeInfo
    let treeInfoFile: String
    let arch: Architecture
    private(set) var members: [String: Member] = [:]
    private(set) var problems = ProblemCollector()

    init(tree: PackageTree, treeVariant: String?, arch: Architecture) throws(Problems) {
        // Without its treeinfo, a tree variant's package set is unknown: stop at the file's problems.
        if tree.brokenTreeVariants.contains(treeVariant) { throw Problems(tree.problems) }
        guard let treeInfo = tree.treeVariants[treeVariant] else {
            let known = tree.treeVariants.keys.compactMap { $0 }.sorted()
            throw Problems([Problem(file: DisplayPath.of(tree.root), field: "--variant",
                                    "there is no tree variant '\(treeVariant ?? "")' (no \(treeVariant ?? "").treeinfo.json)",
                                    hint: Suggestion.hint(for: treeVariant ?? "", among: known)
                                        ?? "tree variants here: <default>\(known.map { ", \($0)" }.joined())")])
        }
        self.tree = tree
        self.treeInfo = treeInfo
        self.treeInfoFile = DisplayPath.of(tree.root.child((treeVariant.map { "\($0)." } ?? "") + TreeLoader.treeInfoSuffix))
        self.arch = arch
        checkVariantsExist()
    }

    /// The names a tree variant starts from: `core_package_list`, or every package not excluded.
    var startNames: [String] {
        treeInfo.corePackageList ?? tree.packages.keys.filter { !treeInfo.exclude.contains($0) }.sorted()
    }

    /// Adds `names` and everything they require. `listField` names the treeinfo field (or,
    /// with `fromCommandLine`, the argument) the names come from, for messages.
    mutating func include(_ names: [String], from listField: String, fromCommandLine: Bool = false) -> Set<String> {
        var closure = Set<String>()
        var pending: [(name: String, requiredBy: String?)] = []
        for name in names where !tree.brokenPackages.contains(name) {
            guard tree.packages[name] != nil else {
                problems.add(Problem(file: fromCommandLine ? nil : treeInfoFile, field: listField,
                                     "'\(name)' is not a package of \(DisplayPath.of(tree.root))",
                                     hint: Suggestion.hint(for: name, among: tree.packages.keys)
                                         ?? (fromCommandLine ? "`pkgtree plan` lists the packages"
                                             : "remove it from '\(listField)', or add the package directory")))
                continue
            }
            pending.append((name, nil))
        }
        while let (name, requiredBy) = pending.popLast() {
            guard closure.insert(name).inserted else { continue }
            guard let member = member(name, requiredBy: requiredBy) else { continue }
            for requirement in member.buildInfo.requires where check(requirement, of: member.definition) {
                pending.append((requirement.name, name))
            }
        }
        return closure
    }

    private mutating func member(_ name: String, requiredBy: String?) -> Member? {
        if let member = members[name] { return member }
        if treeInfo.exclude.contains(name) {
            let why = requiredBy.map { "is required by '\($0)' but " } ?? ""
            problems.add(Problem(file: treeInfoFile, package: name, field: "exclude",
                                 "\(why)is excluded by this tree variant",
                                 hint: "remove '\(name)' from 'exclude', or drop the requirement"))
            return nil
        }
        let variant = treeInfo.variant(of: name)
        guard let definition = tree.definition(name, variant: variant) else {
            // A variant that `variants` names is reported by checkVariantsExist, a requirement by
            // check(_:of:); what is left is a package of the start set (or of the command line)
            // that has no default variant, which pkgpanda refuses the same way.
            if treeInfo.variants[name] == nil { problems.add(onlyVariants(name)) }
            return nil
        }
        switch definition.buildInfo(for: arch) {
        case .success(let buildInfo):
            let member = Member(definition: definition, buildInfo: buildInfo)
            members[name] = member
            return member
        case .failure(let failure):
            problems.add(contentsOf: failure.all)
            return nil
        }
    }

    /// Whether `requirement` names a package of the tree, in the variant this tree variant uses.
    private mutating func check(_ requirement: Requirement, of requirer: PackageDefinition) -> Bool {
        if tree.brokenPackages.contains(requirement.name) { return false }  // its own problems say why
        guard let variants = tree.packages[requirement.name] else {
            problems.add(Problem(file: requirer.file, package: requirer.name, field: "requires",
                                 "requires '\(requirement.name)', which is not a package of \(DisplayPath.of(tree.root))",
                                 hint: Suggestion.hint(for: requirement.name, among: tree.packages.keys)
                                     ?? "add the package directory, or remove the requirement"))
            return false
        }
        guard variants[requirement.variant] != nil else {
            problems.add(Problem(file: requirer.file, package: requirer.name, field: "requires",
                                 "requires variant '\(requirement.variant ?? "<default>")' of '\(requirement.name)', which has no such variant",
                                 hint: "variants of '\(requirement.name)': \(Self.variantList(variants.keys))"))
            return false
        }
        let selected = treeInfo.variant(of: requirement.name)
        guard requirement.variant == selected else {
            problems.add(Problem(file: requirer.file, package: requirer.name, field: "requires",
                                 "requires variant \(Self.variantName(requirement.variant)) of '\(requirement.name)', but this tree variant uses variant \(Self.variantName(selected)); one closure cannot hold two variants of a package",
                                 hint: "make both agree: change the requirement or 'variants' in \(treeInfoFile)"))
            return false
        }
        return true
    }

    /// pkgpanda rejects a treeinfo `variants` entry for a package or variant that does not exist.
    private mutating func checkVariantsExist() {
        for (name, variant) in treeInfo.variants.sorted(by: { $0.key < $1.key }) where !tree.brokenPackages.contains(name) {
            guard let variants = tree.packages[name] else {
                problems.add(Problem(file: treeInfoFile, field: "variants.\(name)", "'\(name)' is not a package of the tree",
                                     hint: Suggestion.hint(for: name, among: tree.packages.keys)
                                         ?? "remove the entry, or add the package directory"))
                continue
            }
            if variants[variant] == nil {
                problems.add(Problem(file: treeInfoFile, field: "variants.\(name)",
                                     "'\(name)' has no variant \(Self.variantName(variant))",
                                     hint: "variants of '\(name)': \(Self.variantList(variants.keys))"))
            }
        }
    }

    /// `name` is in the tree only as variants (`<v>.buildinfo.json`, no `buildinfo.json`), and
    /// this tree variant asks for its default one: name what exists and how to pick it.
    private func onlyVariants(_ name: String) -> Problem {
        let variants = (tree.packages[name] ?? [:]).keys.compactMap { $0 }.sorted()
        let files = variants.map { "\($0).\(TreeLoader.buildInfoSuffix)" }.joined(separator: ", ")
        let selecting = tree.treeVariants.filter { $0.value.variants[name].flatMap { $0 } != nil }.keys.compactMap { $0 }.sorted()
        return Problem(file: DisplayPath.of(tree.root.child(name)), package: name, field: "variants",
                       "has no default variant (no \(TreeLoader.buildInfoSuffix)); it exists only as variant\(variants.count == 1 ? "" : "s") \(variants.map { "'\($0)'" }.joined(separator: ", ")) (\(files))",
                       hint: selecting.isEmpty
                           ? "select one in \(treeInfoFile): \"variants\": {\"\(name)\": \"\(variants.first ?? "")\"}, exclude '\(name)', or add \(name)/\(TreeLoader.buildInfoSuffix)"
                           : "the tree variant \(selecting.map { "'\($0)'" }.joined(separator: ", ")) selects it: add --variant \(selecting[0]), or select it in \(treeInfoFile)")
    }

    static func variantName(_ variant: String?) -> String {
        variant.map { "'\($0)'" } ?? "<default>"
    }

    private static func variantList(_ variants: some Collection<String?>) -> String {
        variants.map { $0 ?? "<default>" }.sorted().joined(separator: ", ")
    }
}

import Foundation

/// Reads a `packages/` directory the way pkgpanda does: every sub-directory holding a
/// `buildinfo.json` (or `<variant>.buildinfo.json`) is a package; other directories (such as
/// a `cache/`) and top-level files other than `*treeinfo.json` are ignored.
public enum TreeLoader {
    static let buildInfoSuffix = "buildinfo.json"
    static let treeInfoSuffix = "treeinfo.json"

    /// Loads the tree at `root`. Problems in single files are kept in `problems` (the resolver
    /// reports them with its own); only an unreadable directory throws.
    public static func load(_ root: URL) throws(Problems) -> PackageTree {
        let root = root.standardizedFileURL
        var problems = ProblemCollector()
        var warnings: [Problem] = []
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        } catch {
            throw Problems([Problem(file: DisplayPath.of(root), "the packages directory cannot be read",
                                    hint: "pass the tree with --packages DIR (default: ./packages)")])
        }
        var treeVariants: [String?: TreeInfo] = [nil: TreeInfo()]
        var brokenTreeVariants: Set<String?> = []
        var brokenPackages: Set<String> = []
        var packageDirectories: [String] = []
        for entry in entries {
            let url = root.child(entry)
            if FileStatus.of(url.path) == nil, FileStatus.isUndecodable(entry) {
                // Neither a package nor ignorable: what it is cannot even be looked up by name.
                problems.add(Problem(file: DisplayPath.of(url), "has a name that is not valid UTF-8",
                                     hint: "rename it; a package directory is named like its package (letters, digits and @ . _ + -)"))
            } else if FileStatus.isDirectory(url.path) {
                packageDirectories.append(entry)
            } else if entry.hasSuffix(treeInfoSuffix) {
                switch loadTreeInfo(url, fileName: entry) {
                case .success(let (variant, info)): treeVariants[variant] = info
                case .failure(let failure):
                    problems.add(contentsOf: failure.all)
                    if case .success(let variant) = variant(ofFile: entry, suffix: treeInfoSuffix) {
                        brokenTreeVariants.insert(variant)
                    }
                }
            } else if entry == "upstream.json" {
                warnings.append(Problem(file: DisplayPath.of(url), "pkgpanda upstreams are not supported; this file is ignored"))
            }
        }
        let loaded = ParallelMap.map(packageDirectories) { loadPackage(root.child($0), name: $0) }
        var packages: [String: [String?: PackageDefinition]] = [:]
        for (name, result) in zip(packageDirectories, loaded) {
            switch result {
            case .success(let variants) where !variants.isEmpty: packages[name] = variants
            case .success: continue  // not a package: no buildinfo file inside
            case .failure(let failure):
                problems.add(contentsOf: failure.all)
                brokenPackages.insert(name)
            }
        }
        return PackageTree(root: root, packages: packages, treeVariants: treeVariants, warnings: warnings,
                           problems: problems.problems, brokenPackages: brokenPackages,
                           brokenTreeVariants: brokenTreeVariants)
    }


    /// The variant a `…buildinfo.json` / `…treeinfo.json` file name stands for, pkgpanda's rules:
    /// `buildinfo.json` is the default (nil), `v.buildinfo.json` is variant `v`.
    static func variant(ofFile fileName: String, suffix: String) -> Result<String?, Problem> {
        let prefix = String(fileName.dropLast(suffix.count))
        if prefix.isEmpty { return .success(nil) }
        guard prefix.hasSuffix("."), prefix.count > 1 else {
            let message = prefix == "." ? "the default variant's file must be named just '\(suffix)'"
                : "a variant file must be named '<variant>.\(suffix)'"
            return .failure(Problem(message, hint: "rename the file"))
        }
        let variant = String(prefix.dropLast())
        if let reason = PackageName.invalidReason(variant) {
            return .failure(Problem("invalid variant name: \(reason)"))
        }
        return .success(variant)
    }

    private static func loadTreeInfo(_ url: URL, fileName: String) -> Result<(String?, TreeInfo), Problems> {
        let file = DisplayPath.of(url)
        let variant: String?
        switch self.variant(ofFile: fileName, suffix: treeInfoSuffix) {
        case .success(let name): variant = name
        case .failure(var problem):
            problem.file = file
            return .failure(Problems([problem]))
        }
        do {
            var reader = TreeInfoReader(file: file, root: url.deletingLastPathComponent())
            let info = reader.read(try JSONFile.read(url, displayPath: file))
            return reader.problems.isEmpty ? .success((variant, info)) : .failure(Problems(reader.problems))
        } catch {
            return .failure(Problems([error]))
        }
    }
}

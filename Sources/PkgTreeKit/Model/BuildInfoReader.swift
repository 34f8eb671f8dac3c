/// Turns the JSON of a buildinfo file (or of one `arch` overlay) into a `BuildInfo`, reporting
/// every wrong field with its full path instead of stopping at the first.
///
/// `complete == false` checks only what each present field holds (used on the file as written
/// and on each overlay); `complete == true` also requires what a build needs (used on the
/// merged, per-architecture result), such as a checksum on every downloaded source.
struct BuildInfoReader {
    let file: String
    let package: String
    let complete: Bool
    /// Appended to completeness messages so a problem that only the merge reveals says so.
    var context: String = ""
    var problems: [Problem] = []

    init(file: String, package: String, complete: Bool, context: String = "") {
        self.file = file
        self.package = package
        self.complete = complete
        self.context = context
    }

    mutating func read(_ object: [String: JSONValue], prefix: String = "", isOverlay: Bool = false) -> BuildInfo {
        var info = BuildInfo()
        for key in object.keys.sorted() {
            let value = object[key]!
            let path = prefix + key
            switch key {
            case "requires": info.requires = requirements(value, path)
            case "sources":
                for (name, source) in sourceMap(value, path) { info.sources[name] = source }
            case "single_source":
                if let source = source(value, path) {
                    info.sources[package] = source
                    info.hasSingleSource = true
                }
            case "docker": info.docker = imageReference(value, path)
            case "build_script": info.buildScript = relativePath(value, path)
            case "environment": info.environment = stringMap(value, path)
            case "state_directory": info.stateDirectory = bool(value, path) ?? false
            case "username": info.username = username(value, path)
            case "group": info.group = group(value, path)
            case "setuid_files": info.setuidFiles = setuidFiles(value, path)
            case "sysctl": info.sysctl = sysctl(value, path)
            case "version_extra": info.versionExtra = versionExtra(value, path)
            case "architectures" where !isOverlay: info.architectures = architectures(value, path)
            case "cross": info.cross = bool(value, path) ?? false
            case "network": info.network = bool(value, path) ?? false
            case LintSettings.fieldName:
                info.lint = LintSettings.read(value, path: path) { problem($0, $1, hint: $2) }
            case "arch" where !isOverlay: break  // read by the loader, which owns the overlays
            case "arch", "architectures":
                problem(path, "cannot be set inside an 'arch' overlay",
                        hint: "move '\(key)' to the top level of the buildinfo")
            default:
                problem(path, "is not a buildinfo field",
                        hint: Suggestion.hint(for: key, among: BuildInfo.fieldNames)
                            ?? "known fields: \(BuildInfo.fieldNames.joined(separator: ", "))")
            }
        }
        if complete, object["sources"] != nil, object["single_source"] != nil {
            problem(prefix + "single_source", "is set together with 'sources'\(context)",
                    hint: "use 'sources' with named entries, or 'single_source' alone, not both")
        }
        if complete, object["group"] != nil, object["username"] == nil {
            problem(prefix + "group", "is set without 'username'\(context); pkgpanda activates a group only with the package's user",
                    hint: "add \"username\": \"dcos_<name>\", or remove 'group'")
        }
        return info
    }

    // MARK: - Field readers

    private mutating func requirements(_ value: JSONValue, _ path: String) -> [Requirement] {
        guard case .array(let items) = value else {
            typeMismatch(path, expected: "a list of package names", found: value)
            return []
        }
        return items.enumerated().compactMap { index, item in requirement(item, "\(path)[\(index)]") }
    }

    private mutating func requirement(_ value: JSONValue, _ path: String) -> Requirement? {
        let name: String
        var variant: String?
        switch value {
        case .string(let text):
            name = text
        case .object(let fields):
            for key in fields.keys where key != "name" && key != "variant" {
                problem("\(path).\(key)", "is not allowed in a requirement; only 'name' and 'variant' are")
            }
            guard case .string(let text)? = fields["name"] else {
                problem("\(path).name", "must be the required package's name",
                        hint: #"write {"name": "openssl", "variant": "fips"}"#)
                return nil
            }
            name = text
            switch fields["variant"] {
            case nil, .null?: variant = nil
            case .string(let text)?: variant = text
            case let other?: typeMismatch("\(path).variant", expected: "a variant name or null", found: other)
            }
        default:
            typeMismatch(path, expected: #"a package name or {"name": …, "variant": …}"#, found: value)
            return nil
        }
        if PackageName.looksLikeID(name) {
            problem(path, "requires the package id '\(name)'; depending on an exact id is not supported",
                    hint: "require the package by name ('\(PackageID(name)?.name ?? name)'), as pkgpanda does")
            return nil
        }
        if let reason = PackageName.invalidReason(name) {
            problem(path, reason)
            return nil
        }
        return Requirement(name: name, variant: variant)
    }

    private mutating func sourceMap(_ value: JSONValue, _ path: String) -> [String: Source] {
        guard case .object(let entries) = value else {
            typeMismatch(path, expected: "an object of source name -> source", found: value)
            return [:]
        }
        var sources: [String: Source] = [:]
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            if name.isEmpty || name == "." || name == ".." || name.contains("/") {
                problem("\(path).\(name)", "is not a usable source name; it becomes the directory /pkg/src/<name>",
                        hint: "use a plain name without '/'")
                continue
            }
            if let source = source(entry, "\(path).\(name)") { sources[name] = source }
        }
        return sources
    }
}

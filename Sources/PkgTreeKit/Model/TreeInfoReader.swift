import Foundation

/// Turns a treeinfo file's JSON into a `TreeInfo`, reporting every wrong field.
struct TreeInfoReader {
    let file: String
    /// The tree's directory, where a `default_builder.docker_directory` is.
    let root: URL
    private(set) var problems: [Problem] = []

    init(file: String, root: URL) {
        self.file = file
        self.root = root
    }

    mutating func read(_ value: JSONValue) -> TreeInfo {
        var info = TreeInfo()
        guard case .object(let fields) = value else {
            problems.append(Problem(file: file, "expected a JSON object, found \(value.typeName)"))
            return info
        }
        for key in fields.keys.sorted() {
            let value = fields[key]!
            switch key {
            case "exclude": info.exclude = Set(names(value, key) ?? [])
            case "core_package_list": info.corePackageList = names(value, key).flatMap { $0.isEmpty ? nil : $0 }
            case "bootstrap_package_list": info.bootstrapPackageList = names(value, key).flatMap { $0.isEmpty ? nil : $0 }
            case "variants": info.variants = variants(value)
            case "install_root": info.installRoot = installRoot(value) ?? info.installRoot
            case "default_builder": info.defaultBuilder = builder(value)
            case LintSettings.fieldName:
                info.lint = LintSettings.read(value, path: key) { problem($0, $1, hint: $2) }
            default:
                problem(key, "is not a treeinfo field",
                        hint: Suggestion.hint(for: key, among: TreeInfo.fieldNames)
                            ?? "known fields: \(TreeInfo.fieldNames.joined(separator: ", "))")
            }
        }
        for list in ["core_package_list", "bootstrap_package_list"] {
            let listed = (list == "core_package_list" ? info.corePackageList : info.bootstrapPackageList) ?? []
            for name in listed where info.exclude.contains(name) {
                problem(list, "'\(name)' is both excluded and listed in \(list)",
                        hint: "remove it from 'exclude' or from '\(list)'")
            }
        }
        return info
    }

    mutating func problem(_ field: String, _ message: String, hint: String? = nil) {
        problems.append(Problem(file: file, field: field, message, hint: hint))
    }

    mutating func problem(_ problem: Problem) {
        problems.append(problem)
    }

    private mutating func names(_ value: JSONValue, _ field: String) -> [String]? {
        if case .null = value { return nil }
        guard case .array(let items) = value else {
            problem(field, "expected a list of package names, found \(value.typeName)")
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let name) = item else {
                problem("\(field)[\(index)]", "expected a package name, found \(item.typeName)")
                continue
            }
            if let reason = PackageName.invalidReason(name) {
                problem("\(field)[\(index)]", reason)
                continue
            }
            result.append(name)
        }
        return result
    }

    private mutating func variants(_ value: JSONValue) -> [String: String?] {
        guard case .object(let entries) = value else {
            problem("variants", "expected an object of package name -> variant name, found \(value.typeName)")
            return [:]
        }
        var result: [String: String?] = [:]
        for (name, variant) in entries {
            switch variant {
            case .null: result[name] = .some(nil)
            case .string(let text): result[name] = text
            default: problem("variants.\(name)", "expected a variant name or null, found \(variant.typeName)")
            }
        }
        return result
    }

    private mutating func installRoot(_ value: JSONValue) -> String? {
        guard case .string(let path) = value, path.hasPrefix("/"), path.count > 1,
              !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            problem("install_root", "expected an absolute directory such as \"/opt/mesosphere\", found \(value)")
            return nil
        }
        return path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

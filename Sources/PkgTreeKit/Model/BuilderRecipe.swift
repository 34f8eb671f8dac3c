/// What defines a locally made builder image: a Debian suite and the packages to install, the
/// environment every build in it starts with, and commands run in it once, when it is made.
public struct BuilderRecipe: Sendable, Hashable {
    public var suite: String
    public var packages: [String]
    /// Variables every build (and every later setup command, and a Dockerfile built on this
    /// image) sees, as a Dockerfile's `ENV` sets them: a value may use `$NAME` or `${NAME}` of
    /// another variable here, or of the image's default environment (`PATH`); a variable's own
    /// name means its default (`"PATH": "/pkg/bin:$PATH"`).
    public var environment: [String: String]
    /// Shell commands run in order in the new root filesystem when the image is made (under
    /// QEMU for a foreign architecture), each as `sh -e -c`: what a Dockerfile's `RUN` lines do.
    public var setup: [String]

    public init(suite: String, packages: [String], environment: [String: String] = [:], setup: [String] = []) {
        self.suite = suite
        self.packages = packages
        self.environment = environment
        self.setup = setup
    }

    /// Used when a tree declares no `default_builder`, so any pkgpanda tree builds as it is.
    /// The x86_64 image also carries the aarch64 cross toolchain, for `"cross": true` packages.
    public static func builtInDefault(for arch: Architecture) -> BuilderRecipe {
        var packages = ["bash", "build-essential", "ca-certificates", "file", "git", "make", "pkg-config", "xz-utils"]
        if arch == .x86_64 {
            packages += ["gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"]
        }
        return BuilderRecipe(suite: "bookworm", packages: packages)
    }

    /// What a Debian image's processes see before the recipe adds to it: Docker's default `PATH`.
    public static let defaultEnvironment = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]

    /// `environment` with every reference replaced, over `defaultEnvironment`. A reference in a
    /// cycle (which the treeinfo reader refuses) is left empty.
    public var resolvedEnvironment: [String: String] {
        var resolution = EnvironmentResolution(environment, base: Self.defaultEnvironment)
        return resolution.all()
    }
}

/// Resolves `$NAME` / `${NAME}` references between a recipe's variables, each once, as
/// Docker's `ENV` lines would in the order that makes every reference defined first.
struct EnvironmentResolution {
    let variables: [String: String]
    let base: [String: String]
    private var resolved: [String: String] = [:]
    private var visiting: [String] = []
    /// Chains of variables that refer to each other in a circle, found on the way.
    private(set) var cycles: [[String]] = []

    init(_ variables: [String: String], base: [String: String]) {
        self.variables = variables
        self.base = base
    }

    /// Every variable of `base` and `variables`, resolved.
    mutating func all() -> [String: String] {
        var result = base
        for name in variables.keys.sorted() { result[name] = value(of: name) }
        return result
    }

    private mutating func value(of name: String) -> String {
        if let done = resolved[name] { return done }
        if let start = visiting.firstIndex(of: name) {
            cycles.append(Array(visiting[start...]) + [name])
            return ""
        }
        visiting.append(name)
        let text = Self.expand(variables[name]!) { reference in
            reference == name || variables[reference] == nil ? (base[reference] ?? "") : value(of: reference)
        }
        visiting.removeLast()
        resolved[name] = text
        return text
    }

    /// `text` with `$NAME` and `${NAME}` replaced by `lookup(NAME)`; `\$` is a literal `$`, and
    /// a `$` that starts no name stays as it is.
    static func expand(_ text: String, _ lookup: (String) -> String) -> String {
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(where: { $0 == "$" || $0 == "\\" }) {
            result += rest[..<dollar]
            rest = rest[dollar...]
            if rest.hasPrefix("\\$") {
                result += "$"
                rest = rest.dropFirst(2)
                continue
            }
            if rest.first == "\\" {
                result += "\\"
                rest = rest.dropFirst()
                continue
            }
            let afterDollar = rest.dropFirst()
            if afterDollar.first == "{", let close = afterDollar.firstIndex(of: "}") {
                let name = afterDollar.dropFirst()[..<close]
                if isName(name) {
                    result += lookup(String(name))
                    rest = afterDollar[afterDollar.index(after: close)...]
                    continue
                }
            }
            let name = afterDollar.prefix { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
            if isName(name) {
                result += lookup(String(name))
                rest = afterDollar.dropFirst(name.count)
            } else {
                result += "$"
                rest = afterDollar
            }
        }
        return result + rest
    }

    /// A shell variable name: a letter or `_`, then letters, digits and `_`.
    static func isName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || first.isASCII && first.isLetter else { return false }
        return name.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

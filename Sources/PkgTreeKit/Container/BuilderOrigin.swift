/// Where the image a build runs in is named: the package's `docker` field, or the tree's
/// `default_builder` the package falls back on. What goes wrong getting the image (a pull
/// refused, a platform missing) is a problem of that field.
public struct BuilderOrigin: Sendable, Hashable {
    public var file: String?
    public var package: String?
    public var field: String

    public init(file: String?, package: String?, field: String) {
        self.file = file
        self.package = package
        self.field = field
    }

    /// The origin of the registry image `package` builds in: its `docker` field, or the tree's
    /// `default_builder` (its own, or the base of its `docker/` directory).
    public init(_ package: PlannedPackage) {
        let isRegistryImage = switch package.builder {
        case .pinned, .tagged: true
        default: false
        }
        if isRegistryImage, package.buildInfo.docker != nil {
            self.init(file: package.file, package: package.name, field: "docker")
        } else {
            self.init(file: nil, package: package.name, field: "default_builder (treeinfo.json)")
        }
    }

    /// A builder whose package is not known (the base of a `docker/` directory's image).
    static let unnamed = BuilderOrigin(file: nil, package: nil, field: "docker")

    func problem(_ message: String, hint: String? = nil) -> Problem {
        Problem(file: file, package: package, field: field, message, hint: hint)
    }
}

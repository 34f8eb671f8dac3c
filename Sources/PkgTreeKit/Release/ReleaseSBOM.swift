import Crypto
import Foundation

/// The SPDX 2.3 SBOM of one bootstrap (docs/release.md): the bootstrap tarball, each package
/// in it with its id, version and artifact checksum, each package's sources (URL and checksum,
/// git URL and commit, or a tree directory and its content digest) and the builder it was
/// built in (its identity digest), related as SPDX says: the bootstrap CONTAINS the packages,
/// a package DEPENDS_ON what it requires, is GENERATED_FROM its sources, and its builder is a
/// BUILD_TOOL_OF it. The time written is the bootstrap's own (`created`: the mtime of its
/// entries), so the same bootstrap gives the same document.
public enum ReleaseSBOM {
    public static let mediaType = "application/spdx+json"

    public static func fileName(bootstrapID: String) -> String { "\(bootstrapID).spdx.json" }

    /// The document for `bootstrap`, made from `plan`; `artifactDigests` maps each package id
    /// to the SHA-256 (hex) of its `.tar.xz`, and `bootstrapDigest` is the tarball's.
    static func document(plan: BuildPlan, bootstrapID: String, packageIDs: [String], bootstrapDigest: String,
                         artifactDigests: [String: String], created: Int64) -> SPDXDocument {
        let bootstrapElement = "SPDXRef-Bootstrap"
        let bootstrap = SPDXDocument.Package(
            SPDXID: bootstrapElement, name: "bootstrap" + (plan.treeVariant.map { " (\($0))" } ?? ""), versionInfo: bootstrapID,
            packageFileName: "\(bootstrapID).bootstrap.tar.xz", downloadLocation: SPDXDocument.noAssertion,
            checksums: [.init(algorithm: "SHA256", checksumValue: bootstrapDigest)], primaryPackagePurpose: "ARCHIVE",
            comment: "pkgtree bootstrap for \(plan.arch.rawValue) (\(plan.arch.ociPlatform)), install root \(plan.installRoot)")
        var packages = [bootstrap]
        var relationships = [SPDXDocument.Relationship(spdxElementId: SPDXDocument.documentID, relationshipType: "DESCRIBES",
                                                       relatedSpdxElement: bootstrapElement)]
        var builders: [String: SPDXDocument.Package] = [:]
        let included = Set(packageIDs)
        for package in plan.packages where included.contains(package.id) {
            let element = packageElement(package.id)
            packages.append(SPDXDocument.Package(
                SPDXID: element, name: package.name, versionInfo: String(package.id.dropFirst(package.name.count + 2)),
                packageFileName: "\(package.id).tar.xz", downloadLocation: SPDXDocument.noAssertion,
                checksums: artifactDigests[package.id].map { [.init(algorithm: "SHA256", checksumValue: $0)] },
                comment: "pkgtree package id \(package.id)" + (package.variant.map { ", package variant \($0)" } ?? "")))
            relationships.append(.init(spdxElementId: bootstrapElement, relationshipType: "CONTAINS", relatedSpdxElement: element))
            for required in package.requires where included.contains(plan.packages[required].id) {
                relationships.append(.init(spdxElementId: element, relationshipType: "DEPENDS_ON",
                                           relatedSpdxElement: packageElement(plan.packages[required].id)))
            }
            for (name, source) in package.buildInfo.sources.sorted(by: { $0.key < $1.key }) {
                let sourcePackage = Self.source(source, named: name, of: package)
                packages.append(sourcePackage)
                relationships.append(.init(spdxElementId: element, relationshipType: "GENERATED_FROM", relatedSpdxElement: sourcePackage.SPDXID))
            }
            let builder = Self.builder(package.builder)
            builders[builder.SPDXID] = builder
            relationships.append(.init(spdxElementId: builder.SPDXID, relationshipType: "BUILD_TOOL_OF", relatedSpdxElement: element))
        }
        packages += builders.values.sorted { $0.SPDXID < $1.SPDXID }
        let variant = plan.treeVariant.map { "-\($0)" } ?? ""
        return SPDXDocument(
            name: "pkgtree-bootstrap-\(plan.arch.rawValue)\(variant)-\(bootstrapID.prefix(16))",
            documentNamespace: "urn:pkgtree:spdx:bootstrap:\(plan.arch.rawValue):\(bootstrapID)",
            creationInfo: .init(created: SPDXDocument.time(created), creators: ["Tool: pkgtree-\(PkgTreeVersion.current)"]),
            packages: packages, relationships: relationships)
    }

    /// Package ids may hold `@ + _ ~`, which element ids may not; the hash keeps two ids that
    /// differ only there apart.
    static func packageElement(_ id: String) -> String {
        SPDXDocument.elementID("Package", "\(id.prefix(40))-\(SHA256.hash(data: Data(id.utf8)).hexString.prefix(12))")
    }

    static func source(_ source: Source, named name: String, of package: PlannedPackage) -> SPDXDocument.Package {
        let element = SPDXDocument.elementID("Source", "\(packageElement(package.id).dropFirst("SPDXRef-Package-".count))-\(name)")
        var result = SPDXDocument.Package(SPDXID: element, name: "\(package.name) source \(name)", downloadLocation: SPDXDocument.noAssertion,
                                          primaryPackagePurpose: "SOURCE")
        switch source {
        case .url(let url, let checksum, let extract):
            result.checksums = [.init(algorithm: checksum.algorithm.uppercased(), checksumValue: checksum.hex)]
            result.packageFileName = URL(string: url)?.lastPathComponent
            result.sourceInfo = "\(extract ? "url_extract" : "url") source \(url)"
            if SPDXDocument.isDownloadLocation(url) { result.downloadLocation = url }
        case .git(let url, let ref, let refOrigin):
            result.versionInfo = ref
            result.sourceInfo = "git source \(url) at commit \(ref)" + (refOrigin.map { " (ref_origin \($0))" } ?? "")
            let location = url.hasPrefix("git+") ? "\(url)@\(ref)" : "git+\(url)@\(ref)"
            if SPDXDocument.isDownloadLocation(location) { result.downloadLocation = location }
        case .gitLocal(let path):
            let digest = package.inputs.objectValue?["sources"]?.objectValue?[name]?.objectValue?["digest"]?.stringValue
            result.sourceInfo = "git_local source: the tree's directory \(path) (relative to the package directory)"
            if let digest { result.versionInfo = digest; result.comment = "pkgtree content digest \(digest)" }
        }
        return result
    }

    /// The builder as SPDX sees it: the image's identity (a recipe's digest, a `docker/`
    /// directory's content digest, a pinned image's manifest digest; none for a tag, which
    /// pins nothing) as its version and checksum.
    static func builder(_ identity: BuilderIdentity) -> SPDXDocument.Package {
        let json = identity.json.objectValue ?? [:]
        let digest = json["digest"]?.stringValue
        let hex = digest.map { $0.hasPrefix("sha256:") ? String($0.dropFirst(7)) : $0 }
        var package = SPDXDocument.Package(
            SPDXID: SPDXDocument.elementID("Builder", BuilderImageStore.imageID(identity)),
            name: "builder: \(identity.summary)", versionInfo: digest.map { $0.hasPrefix("sha256:") ? $0 : "sha256:\($0)" },
            downloadLocation: SPDXDocument.noAssertion, primaryPackagePurpose: "CONTAINER",
            comment: "pkgtree builder identity \(CanonicalJSON.string(identity.json))")
        if let hex, hex.count == 64, hex.allSatisfy(\.isHexDigit) {
            package.checksums = [SPDXDocument.Checksum(algorithm: "SHA256", checksumValue: hex)]
        }
        return package
    }
}

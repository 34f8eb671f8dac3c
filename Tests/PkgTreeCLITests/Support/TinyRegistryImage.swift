import Foundation
import RegistryTestSupport

/// A small two-platform builder image (linux/amd64 and linux/arm64) made for one test and
/// pushed to its registry by skopeo, an independent client, as an OCI image index tagged `v1`.
/// Each platform's image is two gzip layers: `dash`, `true` and the C library, taken from
/// the default builder's root filesystem tarball of that architecture (so the arm64 one runs
/// under QEMU), with `/etc/pkgtree-image` naming the platform and files that the second layer
/// deletes with a whiteout (`/etc/obsolete`) and hides with an opaque directory
/// (`/opt/tools/old`). The config sets `IMAGE_GREETING` and the working directory `/work`. A
/// random file makes each run's image, and its digests, new.
struct TinyRegistryImage {
    static let repository = "pkgtree/tiny-builder"
    static let tag = "v1"

    let host: String
    let indexDigest: String
    /// Each architecture's image manifest digest (`x86_64`, `aarch64`).
    let manifestDigests: [String: String]

    var pinned: String { "\(host)/\(Self.repository)@\(indexDigest)" }
    var tagged: String { "\(host)/\(Self.repository):\(Self.tag)" }
    func pinnedManifest(_ arch: String) -> String { "\(host)/\(Self.repository)@\(manifestDigests[arch]!)" }

    static let missingTools: String? = {
        let missing = ["skopeo", "gzip", "sha256sum"].filter { CLIRunner.which($0) == nil }
        return missing.isEmpty ? nil : "not installed: \(missing.joined(separator: ", ")) (scripts/setup.sh installs them)"
    }()

    static func push(to registry: TestRegistry, scratch: URL) async throws -> TinyRegistryImage {
        let layout = scratch.appendingPathComponent("oci-layout")
        try FileManager.default.createDirectory(at: layout.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        var entries: [[String: Any]] = []
        var manifests: [String: String] = [:]
        for (arch, platform) in [("x86_64", ["architecture": "amd64", "os": "linux"]),
                                 ("aarch64", ["architecture": "arm64", "os": "linux", "variant": "v8"])] {
            let manifest = try await image(arch: arch, platform: platform, in: scratch.appendingPathComponent(arch), layout: layout)
            manifests[arch] = manifest.digest
            entries.append(["mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest.digest,
                            "size": manifest.size, "platform": platform])
        }
        let index = try await blob(["schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries], in: layout)
        try json(["schemaVersion": 2, "manifests": [["mediaType": "application/vnd.oci.image.index.v1+json", "digest": index.digest,
                                                     "size": index.size, "annotations": ["org.opencontainers.image.ref.name": tag]]]])
            .write(to: layout.appendingPathComponent("index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: layout.appendingPathComponent("oci-layout"))
        let (user, password) = registry.credentials ?? ("", "")
        try await ToolProcess.run(["skopeo", "copy", "--quiet", "--all", "--preserve-digests", "--dest-cert-dir", registry.certificates.certDir.path,
                                   "--dest-creds", "\(user):\(password)", "oci:\(layout.path):\(tag)",
                                   "docker://\(registry.host)/\(repository):\(tag)"])
        return TinyRegistryImage(host: registry.host, indexDigest: index.digest, manifestDigests: manifests)
    }

    /// One platform's image: its layers, config and manifest written as blobs of `layout`.
    private static func image(arch: String, platform: [String: String], in directory: URL, layout: URL) async throws -> (digest: String, size: Int) {
        let base = directory.appendingPathComponent("base"), upper = directory.appendingPathComponent("upper")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try await ToolProcess.run(["tar", "-xf", try builderTarball(arch).path, "-C", base.path, "--wildcards",
                                   "./usr/bin/dash", "./usr/bin/true", "./usr/lib/*/libc.so.6", "./usr/lib*/ld-linux*"])
        for (link, target) in [("bin", "usr/bin"), ("lib", "usr/lib"), ("lib64", "usr/lib64"), ("usr/bin/sh", "dash")] {
            try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent(link).path, withDestinationPath: target)
        }
        try write("registry image for \(arch)\n", base, "etc/pkgtree-image")
        try write("\(UUID().uuidString)\n", base, "etc/nonce")
        try write("deleted by the second layer\n", base, "etc/obsolete")
        try write("hidden by the second layer\n", base, "opt/tools/old")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("work"), withIntermediateDirectories: true)
        try write("", upper, "etc/.wh.obsolete")
        try write("", upper, "opt/tools/.wh..wh..opq")
        try write("new tool\n", upper, "opt/tools/new")

        var layers: [[String: Any]] = [], diffIDs: [String] = []
        for tree in [base, upper] {
            let tar = directory.appendingPathComponent("\(tree.lastPathComponent).tar")
            try await ToolProcess.run(["tar", "--numeric-owner", "--owner=0", "--group=0", "-C", tree.path, "-cf", tar.path, "."])
            diffIDs.append("sha256:" + (try await sha256(tar)))
            try await ToolProcess.run(["gzip", "-n", "-f", tar.path])
            let layer = try await file(URL(fileURLWithPath: tar.path + ".gz"), in: layout)
            layers.append(["mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer.digest, "size": layer.size])
        }
        var configObject: [String: Any] = [
            "architecture": platform["architecture"]!, "os": "linux", "rootfs": ["type": "layers", "diff_ids": diffIDs],
            "config": ["Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "IMAGE_GREETING=hello from the image config"], "WorkingDir": "/work"],
        ]
        configObject["variant"] = platform["variant"]
        let config = try await blob(configObject, in: layout)
        return try await blob(["schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": config.digest, "size": config.size],
                               "layers": layers], in: layout)
    }

    /// The default builder's root filesystem tarball for `arch` in the repository's images.
    private static func builderTarball(_ arch: String) throws -> URL {
        let directory = BuilderImages.repositoryImages.appendingPathComponent(arch)
        for id in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let tarball = directory.appendingPathComponent("\(id)/rootfs.tar")
            if FileManager.default.fileExists(atPath: tarball.path) { return tarball }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: directory.path])
    }

    private static func write(_ text: String, _ tree: URL, _ path: String) throws {
        let file = tree.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    private static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func blob(_ object: Any, in layout: URL) async throws -> (digest: String, size: Int) {
        let staged = layout.appendingPathComponent("staged-\(UUID().uuidString)")
        try json(object).write(to: staged)
        return try await file(staged, in: layout)
    }

    /// Moves `source` into the layout's blobs under its digest.
    private static func file(_ source: URL, in layout: URL) async throws -> (digest: String, size: Int) {
        let hex = try await sha256(source)
        let size = (try FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int) ?? 0
        let destination = layout.appendingPathComponent("blobs/sha256/\(hex)")
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.moveItem(at: source, to: destination)
        return ("sha256:" + hex, size)
    }

    private static func sha256(_ file: URL) async throws -> String {
        String(try await ToolProcess.run(["sha256sum", file.path]).prefix(64))
    }
}

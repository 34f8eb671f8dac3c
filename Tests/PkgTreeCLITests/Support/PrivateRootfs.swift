import Foundation
import Testing

/// A cache whose x86_64 builder image is its own: the shared image's tarball, hard-linked into
/// `images/`, which pkgtree unpacks there as whoever runs it. Tests use it to hash a rootfs that
/// no other test touches, and to give an ordinary user a rootfs of their own.
enum PrivateRootfs {
    /// The image id of the x86_64 builder of `packages` (its recipe's digest, shortened).
    static func imageID(packages: URL) async throws -> String {
        let plan = try await CLIRunner.run(["plan", "--arch", "x86_64", "--json", "--packages", packages.path])
        let json = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        let packagesList = try #require(json?["packages"] as? [[String: Any]])
        let builder = try #require(packagesList.first?["builder"] as? [String: Any])
        return String(try #require(builder["digest"] as? String).prefix(24))
    }

    /// The podman/docker name of that image.
    static func engineReference(packages: URL) async throws -> String {
        "localhost/pkgtree/builder-x86_64:\(try await imageID(packages: packages))"
    }

    /// A cache in `directory` with the image of `packages`' x86_64 builder, not yet unpacked.
    static func cache(in directory: URL, packages: URL) async throws -> (cache: URL, rootfs: URL) {
        let imageID = try await imageID(packages: packages)
        let shared = BuilderImages.repositoryImages.appendingPathComponent("x86_64/\(imageID)/rootfs.tar")
        let image = directory.appendingPathComponent("cache/images/x86_64/\(imageID)")
        try FileManager.default.createDirectory(at: image, withIntermediateDirectories: true)
        do {
            try FileManager.default.linkItem(at: shared, to: image.appendingPathComponent("rootfs.tar"))
        } catch {
            try FileManager.default.copyItem(at: shared, to: image.appendingPathComponent("rootfs.tar"))
        }
        return (directory.appendingPathComponent("cache"), image.appendingPathComponent("rootfs"))
    }

    /// A digest of every path of the tree with its type, mode, size, mtime, owner and link
    /// target: any file changed, added or removed (a mount point left behind) changes it.
    static func digest(_ root: URL) async throws -> String {
        let listing = try await CLIRunner.runTool("/bin/sh", ["-c",
            #"find "$1" -printf '%P\t%y\t%m\t%s\t%T@\t%U:%G\t%l\n' | LC_ALL=C sort | sha256sum"#, "sh", root.path])
        #expect(listing.status == 0, "\(listing.stderr)")
        return String(listing.stdout.prefix(64))
    }
}

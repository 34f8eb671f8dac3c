import Foundation

/// Builder images for integration tests. Making them takes minutes, so `scripts/test.sh` makes
/// them once (`pkgtree image build`) in the repository's cache; tests share that cache's
/// `images/` directory through a symlink and skip, saying why, only when they are missing.
enum BuilderImages {
    static let repositoryImages = CLIRunner.repositoryRoot.appendingPathComponent("cache/images")

    /// Whether both architectures' default builders exist as rootfs tarballs.
    static var available: Bool {
        ["x86_64", "aarch64"].allSatisfy { arch in
            let directory = repositoryImages.appendingPathComponent(arch)
            return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).contains {
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0)/rootfs.tar").path)
            }
        }
    }

    static let missingReason = "builder images are not made: run scripts/test.sh (or `pkgtree image build --arch x86_64` and `--arch aarch64` for each runner)"

    /// A fresh cache directory whose `images/` is the repository's.
    static func cache(in directory: URL) throws -> URL {
        let cache = directory.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: cache.appendingPathComponent("images"), withDestinationURL: repositoryImages)
        return cache
    }

    /// A fresh cache directory with an `images/` of its own whose architecture directories
    /// link the repository's images one by one: the recipes' root filesystems are reused, and
    /// an image made from a Dockerfile lands in this cache only.
    static func cacheWithOwnImages(in directory: URL) throws -> URL {
        let cache = directory.appendingPathComponent("cache")
        let manager = FileManager.default
        for arch in ["x86_64", "aarch64"] {
            let mine = cache.appendingPathComponent("images/\(arch)"), shared = repositoryImages.appendingPathComponent(arch)
            try manager.createDirectory(at: mine, withIntermediateDirectories: true)
            for id in try manager.contentsOfDirectory(atPath: shared.path) {
                try manager.createSymbolicLink(at: mine.appendingPathComponent(id), withDestinationURL: shared.appendingPathComponent(id))
            }
        }
        return cache
    }
}

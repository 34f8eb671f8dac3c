import Foundation
@testable import PkgTreeKit

/// A package tree written to a fresh temporary directory: `files` maps relative paths to
/// contents. Files named `build` or `*.build` are made executable, as in a real tree.
struct TreeFixture {
    let root: URL

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("pkgtree-tests-\(UUID().uuidString)")
            .appendingPathComponent("packages")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, content) in files { try write(path, content) }
    }

    func write(_ path: String, _ content: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
        let name = url.lastPathComponent
        if name == "build" || name.hasSuffix(".build") {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
    }

    func load() throws -> PackageTree {
        try TreeLoader.load(root)
    }

    func plan(_ arch: Architecture = .x86_64, variant: String? = nil, packages: [String] = []) throws -> BuildPlan {
        try TreeResolver.plan(load(), .init(arch: arch, treeVariant: variant, packages: packages, hostArch: .x86_64))
    }

    /// The plan of a tree elsewhere (a fixture's copy).
    static func plan(at root: URL, _ arch: Architecture = .x86_64) throws -> BuildPlan {
        try TreeResolver.plan(TreeLoader.load(root), .init(arch: arch, treeVariant: nil, packages: [], hostArch: .x86_64))
    }

    /// Name -> id of every planned package.
    func ids(_ arch: Architecture = .x86_64, variant: String? = nil) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try plan(arch, variant: variant).packages.map { ($0.name, $0.id) })
    }

    /// The problems a load + plan reports (empty when it succeeds).
    func problems(_ arch: Architecture = .x86_64, variant: String? = nil, packages: [String] = []) -> [Problem] {
        do {
            _ = try plan(arch, variant: variant, packages: packages)
            return []
        } catch let problems as Problems {
            return problems.all
        } catch {
            return [Problem("unexpected error: \(error)")]
        }
    }

    /// A package with a buildinfo and a trivial build script.
    static func package(_ buildinfo: String, script: String = "#!/bin/bash\necho build\n") -> [String: String] {
        ["buildinfo.json": buildinfo, "build": script]
    }

    /// Files of several packages: name -> buildinfo JSON.
    static func tree(_ packages: [String: String], extra: [String: String] = [:]) throws -> TreeFixture {
        var files = extra
        for (name, buildinfo) in packages {
            for (file, content) in package(buildinfo) { files["\(name)/\(file)"] = content }
        }
        return try TreeFixture(files)
    }
}

extension Array where Element == Problem {
    /// The one problem whose text contains `fragment`, for focused assertions.
    func first(mentioning fragment: String) -> Problem? {
        first { $0.description.contains(fragment) }
    }
}

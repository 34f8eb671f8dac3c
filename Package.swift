// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "pkgtree",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pkgtree", targets: ["pkgtree"]),
        .executable(name: "pkgtree-mount", targets: ["pkgtree-mount"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // The OCI registry client (Sources/PkgTreeKit/Registry): HTTP/1.1 and HTTP/2 with
        // streamed bodies, and TLS whose trust roots and client certificates pkgtree sets per
        // registry (--cert-dir, --tls-verify), which Foundation's URLSession cannot on Linux.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // The mount plans of bwrap builds, and the small program that carries them out
        // (installed next to pkgtree; depending on it makes `--product pkgtree` build it too).
        .target(name: "MountPlan"),
        .executableTarget(name: "pkgtree-mount", dependencies: ["MountPlan"]),
        .target(
            name: "PkgTreeKit",
            dependencies: [
                "CArchive",
                "MountPlan",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "pkgtree",
            dependencies: [
                "PkgTreeKit",
                "pkgtree-mount",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A real registry for the tests (docker-registry, with TLS from a CA the test makes and
        // htpasswd or token auth), and the tools and servers they run (through swift-subprocess),
        // shared by both test targets.
        .target(
            name: "RegistryTestSupport",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/RegistryTestSupport"
        ),
        .testTarget(
            name: "PkgTreeKitTests",
            dependencies: [
                "PkgTreeKit", "MountPlan", "RegistryTestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PkgTreeCLITests",
            dependencies: [
                "pkgtree",
                "RegistryTestSupport",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ]
)

// libFuzzer targets (fuzz/README.md). They call libFuzzer's driver, which only
// `-sanitize=fuzzer` links in; fuzz/run.sh sets PKGTREE_FUZZ=1 to declare them, so plain
// `swift build` / `swift test` never see them.
if Context.environment["PKGTREE_FUZZ"] == "1" {
    package.targets.append(.systemLibrary(name: "CLibFuzzer", path: "fuzz/Sources/CLibFuzzer"))
    for name in ["FuzzLoader", "FuzzArchive"] {
        package.products.append(.executable(name: name, targets: [name]))
        package.targets.append(.executableTarget(name: name, dependencies: ["PkgTreeKit", "CLibFuzzer"],
                                                 path: "fuzz/Sources/\(name)"))
    }
}

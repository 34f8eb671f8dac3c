import ArgumentParser
import Foundation
import PkgTreeKit

struct Image: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make and list builder images: Debian root filesystems made with mmdebstrap from a recipe, the tree's Dockerfile builder built on one, and images a `docker` field names, pulled from their registry.",
        subcommands: [Make.self, List.self]
    )

    struct Make: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Make or pull every builder image the tree's plan for the architecture needs, and import it for the runner.")
        @OptionGroup var tree: TreeOptions
        @Option(help: ArgumentHelp("podman, docker or bwrap. Default: the first that works.", valueName: "runner"))
        var runner: RunnerKind?

        func run() async throws {
            let plan = try await tree.plan(only: []).plan
            let configuration = try RunnerConfiguration.load(packages: URL(fileURLWithPath: tree.packages))
            let store = BuilderImageStore(layout: tree.cache.layout, registries: configuration.registries)
            let runner = try await Runner.select(runner, configuration: configuration, needs: RunnerNeeds(plan.packages.map { ($0, plan) }),
                                                 store: store, note: { Console.error($0) }, announce: { Console.error($0) })
            var seen = Set<BuilderIdentity>()
            for package in plan.packages where seen.insert(package.builder).inserted {
                let docker = Runner.DockerContext(package, plan: plan)
                let image = try await runner.image(for: package.builder, store: store, docker: docker) { Console.error($0) }
                Console.output("\(package.builder.summary): \(runner.kind == .bwrap ? image.rootfs.path : image.reference)\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the builder images in the cache.")
        @OptionGroup var cache: CacheOptions

        func run() throws {
            let images = BuilderImageStore(layout: cache.layout).list()
            if images.isEmpty { Console.output("no builder images yet (pkgtree image build --arch A)\n") }
            for image in images {
                let parts = [image.tarball ? "rootfs.tar" : nil, image.rootfs ? "rootfs/" : nil,
                             image.pulledFrom.map { "pulled from \($0)" }].compactMap { $0 }
                // A Dockerfile builder lives in the engines; its directory keeps their build logs.
                let what = parts.isEmpty ? "build logs (the image is the engines')" : parts.joined(separator: ", ")
                Console.output("\(image.arch)\t\(image.id)\t\(what)\n")
            }
        }
    }
}

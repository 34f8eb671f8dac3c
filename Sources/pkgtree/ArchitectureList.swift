import ArgumentParser
import Foundation
import PkgTreeKit

/// `--arch x86_64,aarch64`: the architectures one run works on, in the order given. Each is
/// named once; aliases count, so `amd64,x86_64` names one architecture twice.
/// Parsed with `@Option(transform: ArchitectureList.init(parsing:))`, because a transform can
/// say what is wrong, where `ExpressibleByArgument` can only fail.
struct ArchitectureList: Sendable, Hashable, CustomStringConvertible {
    let architectures: [Architecture]

    static let host = ArchitectureList(unchecked: [.host])

    private init(unchecked architectures: [Architecture]) {
        self.architectures = architectures
    }

    init(parsing argument: String) throws {
        var seen: [Architecture: String] = [:]
        var architectures: [Architecture] = []
        for name in argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let arch = try Architecture(parsingOne: name)
            if let earlier = seen[arch] {
                let spelled = earlier == name ? "" : " ('\(earlier)' and '\(name)')"
                throw ValidationError("\(arch) is named twice\(spelled); name each architecture once, e.g. x86_64,aarch64")
            }
            seen[arch] = name
            architectures.append(arch)
        }
        self.architectures = architectures
    }

    var description: String { architectures.map(\.rawValue).joined(separator: ",") }

    static let help = "Target architectures, comma-separated (x86_64,aarch64): \(Architecture.acceptedNames). Default: this machine's."
}

extension Architecture {
    /// One architecture name. A list is refused with a word on where lists are accepted,
    /// instead of ArgumentParser's bare "invalid value".
    init(parsingOne argument: String) throws {
        if argument.contains(",") {
            throw ValidationError("this command works on one architecture at a time; a list like x86_64,aarch64 is for `pkgtree build` and `pkgtree release create`")
        }
        let name = argument.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { throw ValidationError("an architecture name is empty; separate names with single commas, e.g. x86_64,aarch64") }
        guard let arch = Architecture(name: name) else {
            throw ValidationError("unknown architecture '\(argument)'; use one of \(Architecture.acceptedNames)")
        }
        self = arch
    }

    static let completion = CompletionKind.list(allCases.map(\.rawValue))
}

/// What a finding about an `ArchMention` says, and what it suggests writing instead. The
/// suggestion depends on where the text is: a build script has pkgtree's `$PKG_*` variables,
/// a Dockerfile has Docker's automatic `TARGETARCH` (buildinfo findings suggest an `arch`
/// overlay instead: see `BuildInfoScan`).
extension ArchMention {
    enum Place: Sendable {
        case buildScript(cross: Bool)
        case dockerfile
    }

    func message(target: Architecture) -> String {
        switch kind {
        case .name where text.lowercased() == arch.rawValue: "'\(text)' is another architecture than this build's, \(target)"
        case .name: "'\(text)' names \(arch), another architecture than this build's, \(target)"
        case .triplet: "'\(text)' is the GNU triplet of \(arch); this build is for \(target) (\(target.gnuTriplet))"
        case .flag: "'\(text)' is a compiler flag for \(arch); the \(target) compiler rejects it or builds something else"
        case .loader: "'\(text)' is the dynamic loader of \(arch); \(target)'s is \(ArchWords.loaderPath(of: target))"
        }
    }

    func suggestion(target: Architecture, place: Place) -> String {
        switch place {
        case .buildScript(let cross):
            let host = cross ? "; in this cross build, $PKG_BUILD_ARCH names the machine the build runs on" : ""
            return scriptSuggestion(target: target) + host
        case .dockerfile: return dockerfileSuggestion(target: target)
        }
    }

    /// How a build for `target` writes the same thing, when there is one way.
    func replacement(for target: Architecture) -> String? {
        switch kind {
        case .name(let spelling): spelling.replacement(for: target)?.text
        case .triplet: target.gnuTriplet
        case .loader: ArchWords.loaderPath(of: target)
        case .flag: nil
        }
    }

    private func scriptSuggestion(target: Architecture) -> String {
        let branch = "or branch on it: case \"$PKG_ARCH\" in \(arch)) … ;; \(target)) … ;; esac"
        switch kind {
        case .name(let spelling):
            guard let (name, variable) = spelling.replacement(for: target) else {
                return "pick the name per architecture: case \"$PKG_ARCH\" in \(arch)) … ;; \(target)) … ;; esac"
            }
            return "write \(variable) (\(name) on \(target)) instead of '\(text)', \(branch)"
        case .triplet:
            return "write $PKG_TRIPLET (\(target.gnuTriplet) on \(target)), e.g. \"$PKG_TRIPLET-gcc\" or /usr/lib/$PKG_TRIPLET"
        case .flag:
            return "set it only where it applies: case \"$PKG_ARCH\" in \(arch)) CFLAGS=\"$CFLAGS \(text)\" ;; esac"
        case .loader:
            return "do not name the loader: let the toolchain pick it (or use \(ArchWords.loaderPath(of: target)) in a case on \"$PKG_ARCH\")"
        }
    }

    private func dockerfileSuggestion(target: Architecture) -> String {
        let branch = "RUN case \"$TARGETARCH\" in \(arch.goArch)) … ;; \(target.goArch)) … ;; esac"
        switch kind {
        case .name(let spelling) where spelling.slot == .goArch || spelling.slot == .debianArch:
            return "declare ARG TARGETARCH and write ${TARGETARCH} (\(target.goArch) on \(target)); pkgtree builds docker/ with --platform \(target.ociPlatform)"
        case .name(let spelling) where spelling.slot == .canonical:
            return "write $(uname -m) in the RUN (\(target.rawValue) on \(target)), or \(branch)"
        case .triplet:
            return "write $(gcc -dumpmachine) or $(dpkg-architecture -qDEB_HOST_MULTIARCH) in the RUN (\(target.gnuTriplet) on \(target))"
        case .name, .flag, .loader:
            return "declare ARG TARGETARCH and branch on it: \(branch)"
        }
    }
}

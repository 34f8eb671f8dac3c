import Foundation

/// The checks of docs/build.md on a package's content before it is stored — after a build, and
/// when an artifact made elsewhere is imported — so that nothing reaches the cache that an
/// install root should not hold:
/// - a symbolic link must resolve inside the install root once installed there (the rule
///   `SymlinkRefusal` shares with the bootstrap and `pkgtree install`; absolute targets under
///   the install root are fine);
/// - a regular file keeps a setuid or setgid bit only when the buildinfo's `setuid_files`
///   declares it;
/// - FIFOs, sockets and devices are not package content;
/// - no unit named like DC/OS's own (pkgpanda's `check_forbidden_services`);
/// - after a build, every ELF file is built for the target architecture (`ELFCheck`).
/// Every finding is reported at once, each naming the file and what to do.
public enum OutputCheck {
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        /// Which check: "ELF", "symlink", "setuid", "file type", "reserved unit".
        public var check: String
        /// The file, relative to the package root.
        public var path: String
        public var message: String
        public var hint: String?

        public var description: String { "\(path): \(message)" }
    }

    /// What the rules need to know of the package.
    struct Context {
        var packageID: String
        var installRoot: String
        var setuidFiles: Set<String>
        /// The buildinfo file, named in the hint for an undeclared setuid file.
        var buildInfoFile: String

        init(_ package: PlannedPackage, installRoot: String) {
            packageID = package.id
            self.installRoot = installRoot
            setuidFiles = Set(package.buildInfo.setuidFiles)
            buildInfoFile = package.file
        }
    }

    /// Every finding in a build's output directory, ELF check included.
    public static func findings(in output: URL, plan: BuildPlan, index: Int) throws -> [Finding] {
        let entries = try OutputEntry.scan(output)
        let elf = try ELFCheck.mismatches(in: output, entries: entries, for: plan.arch).map {
            Finding(check: "ELF", path: $0.path, message: $0.problem,
                    hint: "build it for \(plan.arch): use the target's compiler (or a cross compiler), not a prebuilt or host binary")
        }
        return elf + findings(in: entries, Context(plan.packages[index], installRoot: plan.installRoot))
    }

    /// Every finding in an artifact's archive (no ELF check: that would read every file).
    public static func findings(inArchive file: URL, package: PlannedPackage, installRoot: String) throws -> [Finding] {
        findings(in: try OutputEntry.read(archive: file), Context(package, installRoot: installRoot))
    }

    static func findings(in entries: [OutputEntry], _ context: Context) -> [Finding] {
        var found: [Finding] = []
        for entry in entries {
            switch entry.kind {
            case .symlink(let target): found += symlink(entry.path, target, context).map { [$0] } ?? []
            case .file where entry.permissions & 0o6000 != 0 && !context.setuidFiles.contains(entry.path):
                found.append(setuid(entry, context))
            case .special(let what):
                found.append(Finding(check: "file type", path: entry.path, message: "is \(what); a package holds only files, directories and symbolic links",
                                     hint: "remove it at the end of the build script (rm \"$PKG_PATH/\(entry.path)\") and create it when the service starts"))
            default: break
            }
        }
        for path in ForbiddenServices.reservedUnits(in: entries) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            found.append(Finding(check: "reserved unit", path: path,
                                 message: "'\(name)' is a unit name DC/OS reserves for itself (\(ForbiddenServices.reservedUnitNames.sorted().joined(separator: ", "))), as pkgpanda's check_forbidden_services says",
                                 hint: "give the unit another name"))
        }
        return found
    }

    private static func symlink(_ path: String, _ target: String, _ context: Context) -> Finding? {
        let installed = "packages/\(context.packageID)/\(path)"
        guard case .failure(let refusal) = SymlinkRefusal.installedTarget(target, at: installed, installRoot: context.installRoot) else {
            return nil
        }
        let root = context.installRoot
        let message = "is a symbolic link to '\(target)', which \(refusal.explanation(installRoot: root))"
            + (refusal == .climbsOut ? " once installed at \(root)/\(installed)" : "")
        return Finding(check: "symlink", path: path, message: message,
                       hint: "point it inside the install root (a relative link within $PKG_PATH, or an absolute one under \(root)), or copy the file into $PKG_PATH")
    }

    private static func setuid(_ entry: OutputEntry, _ context: Context) -> Finding {
        let bits = [entry.permissions & 0o4000 != 0 ? "setuid" : nil, entry.permissions & 0o2000 != 0 ? "setgid" : nil]
            .compactMap { $0 }.joined(separator: " and ")
        return Finding(check: "setuid", path: entry.path,
                       message: "has the \(bits) bit (mode \(String(entry.permissions, radix: 8))), which the package does not declare",
                       hint: "drop it in the build script (chmod u-s,g-s \"$PKG_PATH/\(entry.path)\"), or declare it in \(context.buildInfoFile): \"setuid_files\": [\"\(entry.path)\"]")
    }

    /// "ELF check failed: bin/a: built for …; symlink check failed: lib/x: is a symbolic
    /// link to …" — the failure's one line, every finding grouped by check.
    public static func summary(_ findings: [Finding]) -> String {
        var order: [String] = []
        var grouped: [String: [String]] = [:]
        for finding in findings {
            if grouped[finding.check] == nil { order.append(finding.check) }
            grouped[finding.check, default: []].append(finding.description)
        }
        return order.map { "\($0) check failed: \(grouped[$0]!.joined(separator: "; "))" }.joined(separator: "; ")
    }

    /// The lines a build log gets: each finding with what to do.
    public static func logLines(_ findings: [Finding]) -> String {
        findings.map { "pkgtree: \($0.check) check: \($0)" + ($0.hint.map { "\npkgtree:   hint: \($0)" } ?? "") }
            .joined(separator: "\n") + "\n"
    }
}

import Foundation
import Glibc

extension RemoteCache {
    /// What became of one id a pull asked for.
    public enum PullOutcome: Sendable {
        /// Fetched, verified and stored in the local cache.
        case pulled(ArtifactRecord, bytes: Int64)
        case alreadyCached(ArtifactRecord)
        /// The registry has no artifact for the id.
        case missing
        /// The registry's artifact was not taken; the reason says why (signature, digest, checks).
        case refused(String)
    }

    /// Pulls `planned` into the local cache behind `store`, under the id's lock: the local
    /// cache is looked up first; a fetched file lands in the cache's `tmp/` (a killed pull
    /// leaves a leftover the next repair removes), must read as a package archive and pass the
    /// output checks a local build passes (the ELF check aside, as for `cache import`), and is
    /// then moved into place and indexed as any artifact. A `RegistryError` is thrown: the
    /// caller decides whether it warns (`isUnavailable`) or fails.
    public func pull(_ planned: ArtifactImport.Planned, into store: ArtifactStore) async throws -> PullOutcome {
        let id = planned.artifact.id
        let lock = try await store.lock(id)
        defer { lock.unlock() }
        if case .intact(let record) = try store.lookUp(id) { return .alreadyCached(record) }
        let staged = store.layout.tmp.child(TemporaryName.make(for: id))
        defer { try? FileManager.default.removeItem(at: staged) }
        let bytes: Int64
        switch try await fetch(id: id, arch: planned.artifact.arch, to: staged) {
        case .missing: return .missing
        case .refused(let refusal): return .refused("\(refusal)")
        case .fetched(let size): bytes = size
        }
        if let reason = Self.importRefusal(staged, planned) { return .refused(reason) }
        let outcome = try await store.place(planned.artifact, lockHeld: true) { target in
            guard rename(staged.path, target.path) == 0 else {
                throw IOError(target.path, "cannot move the pulled artifact into staging: \(SystemError.describe(errno))")
            }
        }
        return .pulled(outcome.record, bytes: bytes)
    }

    /// Why a fetched file may not enter the cache (what `pkgtree cache import` checks), or nil.
    static func importRefusal(_ file: URL, _ planned: ArtifactImport.Planned) -> String? {
        do {
            try ArtifactStore.checkImportable(file)
            let findings = try OutputCheck.findings(inArchive: file, package: planned.package, installRoot: planned.installRoot)
            guard findings.isEmpty else {
                return "it fails the output checks a local build passes: " + findings.map { "\($0.check) check: \($0)" }.joined(separator: "; ")
            }
        } catch {
            return "\(error)"
        }
        return nil
    }
}

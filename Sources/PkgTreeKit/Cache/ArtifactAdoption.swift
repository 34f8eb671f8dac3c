import Foundation

/// Takes into the index artifact files that have no row: all of them when the index was lost
/// or damaged, one when a process was killed between the rename and the commit. A file is
/// adopted only when it proves to be what its name says: it reads to its end (every xz block
/// checked), it carries `pkginfo.json` and `buildinfo.full.json`, and that metadata names the
/// file's id, package and architecture and hashes to the id — exactly the row a build of it
/// would have written. Anything else is refused and removed; a build makes it again.
public enum ArtifactAdoption {
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        /// Relative to the cache root.
        public var path: String
        public var reason: String

        public var description: String { "\(path): \(reason)" }
    }

    public struct Report: Sendable, Equatable {
        /// Paths relative to the cache root.
        public var adopted: [String] = []
        public var refused: [Refusal] = []

        public var isEmpty: Bool { adopted.isEmpty && refused.isEmpty }
    }

    /// Examines `files` (in parallel: each is decompressed whole) and adopts the intact ones,
    /// each under its id's lock and only while it still has no row; a file whose id another
    /// process holds locked is being stored by it, and left alone.
    static func adopt(_ files: [URL], into index: CacheIndex) throws -> Report {
        let layout = index.layout
        let verdicts = ParallelMap.map(files) { examine($0, layout: layout) }
        var report = Report()
        for (file, verdict) in zip(files, verdicts) {
            let relativePath = layout.relativePath(of: file)
            guard let id = CacheLayout.artifactID(fileName: file.lastPathComponent),
                  let lock = try FileLock.tryAcquire(layout.lockFile(for: id)) else { continue }
            defer { lock.unlock() }
            if let row = try index.artifactRow(id: id), row.path == relativePath { continue }
            switch verdict {
            case .intact(let record, let stamp):
                try index.insert(record, stamp: stamp)
                report.adopted.append(relativePath)
            case .refused(let reason):
                try? FileManager.default.removeItem(at: file)
                report.refused.append(Refusal(path: relativePath, reason: reason))
            }
        }
        return report
    }

    enum Verdict {
        case intact(ArtifactRecord, ArtifactRow.Stamp)
        case refused(String)
    }

    /// Whether `file` (`packages/<arch>/<name>/<id>.tar.xz`) is an intact artifact, and its row if so.
    static func examine(_ file: URL, layout: CacheLayout) -> Verdict {
        let parts = layout.relativePath(of: file).split(separator: "/").map(String.init)
        guard parts.count == 4, let arch = Architecture(name: parts[1]), arch.rawValue == parts[1],
              let id = CacheLayout.artifactID(fileName: parts[3]) else {
            return .refused("is not where an artifact goes (packages/<arch>/<name>/<id>.tar.xz)")
        }
        let name = parts[2]
        guard PackageID(id)?.name == name else { return .refused("is named for '\(id)', which is not an id of package '\(name)'") }
        guard let before = FileStatus.of(file.path), before.kind == .regular else { return .refused("is not a regular file") }
        let metadata: [String: Data]
        do {
            metadata = try ArchiveReader.readWhole(file, keeping: [PackageMetadataFile.buildInfoFull, PackageMetadataFile.pkgInfo])
        } catch let error as ArchiveError {
            return .refused("cannot be read to its end: \(error.message)")
        } catch {
            return .refused("cannot be read to its end: \(SystemError.reason(error))")
        }
        guard metadata[PackageMetadataFile.pkgInfo] != nil else { return .refused("has no \(PackageMetadataFile.pkgInfo): not a package pkgtree built") }
        guard let buildInfo = metadata[PackageMetadataFile.buildInfoFull] else { return .refused("has no \(PackageMetadataFile.buildInfoFull): not a package pkgtree built") }
        let inputs: [String: JSONValue]
        switch checkedInputs(buildInfo, id: id, name: name, arch: arch) {
        case .success(let checked): inputs = checked
        case .failure(let refusal): return .refused(refusal.reason)
        }
        let digest: String
        do {
            digest = try FileHasher.sha256(file)
        } catch {
            return .refused("cannot be read: \(SystemError.reason(error))")
        }
        guard FileStatus.of(file.path).map(ArtifactRow.Stamp.init) == ArtifactRow.Stamp(before) else {
            return .refused("changed while it was read")
        }
        let record = ArtifactRecord(
            id: id, name: name, variant: inputs["variant"]?.stringValue, arch: arch.rawValue,
            path: layout.relativePath(of: file), size: before.size, sha256: digest, buildDuration: 0,
            createdAt: Double(before.modificationNanoseconds) / 1e9,
            builder: CanonicalJSON.string(inputs["builder"] ?? .null), inputs: CanonicalJSON.string(.object(inputs)))
        return .intact(record, ArtifactRow.Stamp(before))
    }

    private struct Mismatch: Error {
        var reason: String
    }

    /// The build inputs `buildinfo.full.json` records (its `build_ids`), when they are this file's: same id, package and architecture, and they hash to the id.
    private static func checkedInputs(_ data: Data, id: String, name: String, arch: Architecture) -> Result<[String: JSONValue], Mismatch> {
        guard case .object(var fields)? = try? JSONFile.parse(data, displayPath: PackageMetadataFile.buildInfoFull) else {
            return .failure(Mismatch(reason: "its \(PackageMetadataFile.buildInfoFull) is not a JSON object"))
        }
        let recorded = fields.removeValue(forKey: "package_id")?.stringValue
        // `build_ids` (pkgpanda's key) holds exactly what the id hashes; artifacts made before
        // it was written keep those inputs at the top level only.
        var inputs = fields["build_ids"]?.objectValue ?? fields
        guard recorded == id else { return .failure(Mismatch(reason: "its \(PackageMetadataFile.buildInfoFull) is of '\(recorded ?? "no package id")', not of '\(id)'")) }
        guard inputs["name"]?.stringValue == name, inputs["arch"]?.stringValue == arch.rawValue else {
            return .failure(Mismatch(reason: "its \(PackageMetadataFile.buildInfoFull) is of another package or architecture than its place in the cache"))
        }
        guard inputs["format"]?.stringValue == PackageInputs.formatVersion else {
            return .failure(Mismatch(reason: "its \(PackageMetadataFile.buildInfoFull) has the id format \(inputs["format"]?.stringValue ?? "none"), not \(PackageInputs.formatVersion)"))
        }
        guard case .array(let requirements)? = inputs.removeValue(forKey: "requires") else {
            return .failure(Mismatch(reason: "its \(PackageMetadataFile.buildInfoFull) lists no requirements"))
        }
        let versionExtra = inputs["buildinfo"]?.objectValue?["version_extra"]?.stringValue
        let node = PackageIDs.Node(name: name, versionExtra: versionExtra, inputs: .object(inputs), requires: [])
        let computed = PackageIDs.id(of: node, requirementIDs: requirements.compactMap(\.stringValue))
        guard computed == id else {
            return .failure(Mismatch(reason: "its \(PackageMetadataFile.buildInfoFull) hashes to '\(computed)', not to its id: the content is not what its name says"))
        }
        inputs["requires"] = .array(requirements)
        return .success(inputs)
    }
}

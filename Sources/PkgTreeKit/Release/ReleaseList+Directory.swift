import Foundation

extension ReleaseList {
    /// The directory of a release named on the command line (its directory or its
    /// `release.json`); anything else is bad input.
    public static func directory(named argument: String) throws -> URL {
        guard let index = locate(URL(fileURLWithPath: argument)) else {
            throw Problems([Problem(field: "release", "'\(argument)' is not a release directory (it has no \(ReleaseWriter.indexName))",
                                    hint: "name a directory written by `pkgtree release create`; `pkgtree release ls` lists them")])
        }
        return index.deletingLastPathComponent()
    }
}

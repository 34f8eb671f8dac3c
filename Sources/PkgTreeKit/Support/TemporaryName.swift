import Foundation

/// The one name scheme of everything staged before it is published (`StagedPublish`) and of
/// build directories: `<uuid>.<owner>.part` in the cache's `tmp/`, `.<uuid>.<owner>.part`
/// (hidden) beside its destination elsewhere. The owner is the id whose lock guards the file,
/// so a cleanup can tell a live process's staging (its lock is held) from a leftover.
enum TemporaryName {
    static let suffix = ".part"
    private static let uuidLength = 36

    static func make(for owner: String) -> String {
        "\(UUID().uuidString).\(owner)\(suffix)"
    }

    /// `make(for:)` as a hidden name, for staging beside a destination a person lists.
    static func hidden(for owner: String) -> String {
        "." + make(for: owner)
    }

    /// The owner a staged name belongs to, if the name is one of ours (hidden or not).
    static func id(of name: String) -> String? {
        let name = name.hasPrefix(".") ? name.dropFirst() : Substring(name)
        guard name.hasSuffix(suffix), name.count > uuidLength + 1 + suffix.count,
              UUID(uuidString: String(name.prefix(uuidLength))) != nil,
              name.dropFirst(uuidLength).first == "." else { return nil }
        return String(name.dropFirst(uuidLength + 1).dropLast(suffix.count))
    }
}

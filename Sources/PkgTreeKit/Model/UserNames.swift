/// pkgpanda's rules for the user and group a package's services run as
/// (`UserManagement.validate_username` / `validate_group_name`): a package user is always
/// `dcos_<name>`, so activation never adopts or changes a system account, and a group follows
/// shadow's `chkname` rule. Activation refuses a `group` without a `username` (pkgpanda's
/// `validate_compatible`); pkgtree refuses it when the tree is read instead, before anything builds.
enum UserNames {
    static let usernamePattern = "^dcos_[a-z0-9_]+$"
    static let groupPattern = "^[a-z_][a-z0-9_-]*$"
    /// `useradd` refuses longer names, so a longer one could never be activated.
    static let maxLength = 32

    private static let lowercase = Set("abcdefghijklmnopqrstuvwxyz")
    private static let digits = Set("0123456789")

    /// Why `name` cannot be a package's `username`, or nil when it can.
    static func usernameProblem(_ name: String) -> String? {
        let rest = name.dropFirst("dcos_".count)
        if name.hasPrefix("dcos_"), !rest.isEmpty, rest.allSatisfy({ lowercase.contains($0) || digits.contains($0) || $0 == "_" }) {
            return name.count > maxLength ? "'\(name)' is longer than \(maxLength) characters, which useradd refuses" : nil
        }
        return "'\(name)' does not match pkgpanda's pattern \(usernamePattern)"
    }

    /// Why `name` cannot be a package's `group`, or nil when it can. pkgpanda allows an empty
    /// group (the user's own group).
    static func groupProblem(_ name: String) -> String? {
        guard let first = name.first else { return nil }
        if lowercase.contains(first) || first == "_",
           name.allSatisfy({ lowercase.contains($0) || digits.contains($0) || $0 == "_" || $0 == "-" }) {
            return name.count > maxLength ? "'\(name)' is longer than \(maxLength) characters, which groupadd refuses" : nil
        }
        return "'\(name)' does not match pkgpanda's pattern \(groupPattern)"
    }
}

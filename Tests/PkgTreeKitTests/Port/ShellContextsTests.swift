import Testing
@testable import PkgTreeKit

/// Where the shell expands `$NAME`: what `pkgtree port` may write a variable into.
@Suite struct ShellContextsTests {
    /// Whether `$` at the first occurrence of `marker` in `script` would expand.
    static func expands(_ script: String, at marker: String) -> Bool {
        let bytes = Array(script.utf8)
        let prefix = script.range(of: marker).map { script[..<$0.lowerBound].utf8.count }!
        return ShellContexts(bytes).expands(at: prefix)
    }

    @Test(arguments: [
        ("echo HERE", true),
        ("echo \"a HERE b\"", true),
        ("echo 'a HERE b'", false),
        ("echo $'a\\' HERE'", false),
        ("# a comment HERE", true),
        ("echo \"$(printf '%s HERE')\"", false),
        ("echo \"$(printf %s HERE)\"", true),
        ("echo `echo 'HERE'`", false),
        ("echo \\'HERE", true),
        ("echo 'a\nb' HERE", true),
        ("echo 'multi\nline HERE'", false),
    ])
    func quoting(_ script: String, _ expected: Bool) {
        #expect(Self.expands(script, at: "HERE") == expected, "\(script)")
    }

    @Test func anUnquotedHereDocumentExpandsAndAQuotedOneDoesNot() {
        let script = """
            cat <<EOF > a
            plain HERE1
            EOF
            cat <<'EOF' > b
            literal HERE2
            EOF
            cat <<-"END" > c
            \tliteral HERE3
            \tEND
            echo after HERE4
            """
        #expect(Self.expands(script, at: "HERE1"))
        #expect(!Self.expands(script, at: "HERE2"))
        #expect(!Self.expands(script, at: "HERE3"))
        #expect(Self.expands(script, at: "HERE4"))
    }

    @Test func aShiftIsNotAHereDocument() {
        let script = "x=$((1<<2))\necho 'q' HERE\n"
        #expect(Self.expands(script, at: "HERE"))
    }
}

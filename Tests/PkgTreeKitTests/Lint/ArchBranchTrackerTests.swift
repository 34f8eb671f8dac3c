import Testing
@testable import PkgTreeKit

/// Which lines of a script sit in a branch on the architecture.
@Suite struct ArchBranchTrackerTests {
    /// The lines of `script` the tracker calls arch branches, 1-based.
    static func branchLines(_ script: String) -> [Int] {
        var tracker = ArchBranchTracker()
        return script.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { tracker.isArchBranch(String($0.element)) }.map { $0.offset + 1 }
    }

    @Test func aCaseOnTheArchitectureIsABranchUntilEsac() {
        let script = """
            echo start
            case "$PKG_ARCH" in
              x86_64) flags=-msse4.2 ;;
              *) flags= ;;
            esac
            echo amd64
            """
        #expect(Self.branchLines(script) == [2, 3, 4, 5])
    }

    @Test func anIfOnTheArchitectureCoversItsElseAndNestedBlocks() {
        let script = """
            if [ "$(uname -m)" = x86_64 ]; then
              if [ -f x ]; then
                echo amd64
              fi
            else
              echo arm64
            fi
            echo after
            """
        #expect(Self.branchLines(script) == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test func anElifOnTheArchitectureMarksTheBlock() {
        let script = """
            if [ -n "$DEBUG" ]; then
              echo debug
            elif [ "$PKG_GOARCH" = amd64 ]; then
              echo amd64
            fi
            echo amd64
            """
        #expect(Self.branchLines(script) == [3, 4, 5])
    }

    @Test func otherBlocksAndKeywordsInQuotesOrCommentsAreNotBranches() {
        let script = """
            if [ -f "$PKG_PATH/x" ]; then
              echo "case $PKG_ARCH in"   # if esac
            fi
            echo amd64
            """
        #expect(Self.branchLines(script) == [])
    }

    @Test func aOneLineTestAndItsHereDocumentAreHandled() {
        let script = """
            [ "$PKG_ARCH" = x86_64 ] && CFLAGS=-mavx2
            cat > conf <<'EOF'
            if
            case
            EOF
            echo amd64
            """
        #expect(Self.branchLines(script) == [1])
    }

    @Test func dockerRunLinesBranchOnTargetarch() {
        let dockerfile = """
            RUN case "$TARGETARCH" in \\
                  amd64) url=x86_64 ;; \\
                esac
            RUN echo amd64
            """
        #expect(Self.branchLines(dockerfile) == [1, 2, 3])
    }
}

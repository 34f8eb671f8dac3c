import Testing

/// What a suite needs beyond the repository and a few files, so that a run can leave it out:
/// `scripts/tagged-tests.sh TAG...` prints the tests with any of these tags as a pattern for
/// `swift test --skip` or `--filter` (docs/testing.md). A suite that needs one carries its tag
/// even when it also skips itself for a missing tool.
extension Tag {
    /// Runs real containers: bwrap, podman or docker, through a build, a builder image, a
    /// shell, or an engine loading an image.
    @Tag public static var container: Self
    /// Runs a real registry (Debian's `docker-registry`) on loopback.
    @Tag public static var registry: Self
    /// Takes minutes on its own: rounds of builds or imports killed at seeded moments.
    @Tag public static var slow: Self
}

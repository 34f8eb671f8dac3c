import Foundation

/// The one timestamp pkgtree writes into archives, so that the same tree packs to the same
/// bytes on any machine at any time (https://reproducible-builds.org/specs/source-date-epoch/).
public enum SourceDate {
    /// Used when `SOURCE_DATE_EPOCH` is unset or not a whole number of seconds ≥ 0:
    /// 1970-01-01T00:00:00Z. Any fixed value would do; 0 is the one other tools pick too.
    public static let fallback: Int64 = 0

    /// `SOURCE_DATE_EPOCH` from the environment, or `fallback`. Read on each call, so a build
    /// that sets the variable for its children sees the same value as they do.
    public static var epoch: Int64 {
        parse(ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"]) ?? fallback
    }

    /// The seconds in `value`, or nil when it is missing or malformed.
    static func parse(_ value: String?) -> Int64? {
        guard let value, let seconds = Int64(value), seconds >= 0 else { return nil }
        return seconds
    }
}

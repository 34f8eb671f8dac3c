import Foundation

/// Sizes as pkgtree says them to people: binary units ("1.5 MiB"), the same in every report.
public enum ByteCount {
    public static func text(_ bytes: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary)
    }
}

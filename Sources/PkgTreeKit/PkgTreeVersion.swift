public enum PkgTreeVersion { public static let current = "0.1.0" }

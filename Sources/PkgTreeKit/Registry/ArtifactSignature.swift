import Crypto
import Foundation

/// What a remote-cache signature vouches for: that artifact `sha256` is package `id` built for
/// `arch`. Signed as these four lines (UTF-8, each ending in `\n`), so any Ed25519 tool can
/// check one (docs/registry.md):
///
///     pkgtree.package.v1
///     <id>
///     <arch>
///     sha256:<hex>
public struct ArtifactStatement: Sendable, Hashable {
    public var id: String
    public var arch: Architecture
    /// `sha256:<hex>` of the `.tar.xz`.
    public var digest: String

    public var message: Data {
        Data("pkgtree.package.v1\n\(id)\n\(arch.rawValue)\n\(digest)\n".utf8)
    }
}

/// An Ed25519 public key that pulls accept signatures from, written Nix-style as
/// `NAME:BASE64` (32 bytes): the name says whose key it is and is carried with each signature.
public struct TrustedKey: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// The key's 32 bytes (swift-crypto's key types are not `Sendable`; bytes are).
    let bytes: Data

    public var key: Curve25519.Signing.PublicKey { try! .init(rawRepresentation: bytes) }  // checked in init
    public var description: String { "\(name):\(bytes.base64EncodedString())" }

    /// Parses `NAME:BASE64`; `source` names where it was written, for the problem.
    public init(parsing text: String, source: String) throws(Problems) {
        guard let (name, bytes) = KeyText.parse(text), (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil else {
            throw Problems([Problem(field: source, "'\(text)' is not a public key",
                                    hint: "write NAME:BASE64 as `pkgtree key generate` prints it (the NAME.pub file)")])
        }
        self.name = name
        self.bytes = bytes
    }

    init(name: String, key: Curve25519.Signing.PublicKey) {
        self.name = name
        self.bytes = key.rawRepresentation
    }

    /// A key given as `NAME:BASE64`, or as the path of a `.pub` file holding one.
    public init(fileOrText text: String, source: String) throws(Problems) {
        try self.init(parsing: Self.keyText(text), source: source)
    }

    static func keyText(_ text: String) -> String {
        guard text.hasSuffix(".pub") || text.contains("/"),
              let content = try? String(contentsOfFile: text, encoding: .utf8) else { return text }
        return content.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `signature` (64 bytes) is this key's over `data`.
    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        key.isValidSignature(signature, for: data)
    }
}

/// The private half: `NAME:BASE64` of the 32-byte Ed25519 seed, in a file only its owner reads.
public struct SigningKey: Sendable {
    public var name: String
    /// The 32-byte seed (swift-crypto's key types are not `Sendable`; bytes are).
    let seed: Data

    var key: Curve25519.Signing.PrivateKey { try! .init(rawRepresentation: seed) }  // checked when read

    init(name: String, key: Curve25519.Signing.PrivateKey) {
        self.name = name
        seed = key.rawRepresentation
    }

    public static func generate(name: String) -> SigningKey {
        SigningKey(name: name, key: Curve25519.Signing.PrivateKey())
    }

    public var publicKey: TrustedKey { TrustedKey(name: name, key: key.publicKey) }
    public var secretText: String { "\(name):\(key.rawRepresentation.base64EncodedString())" }

    /// Reads a key file written by `pkgtree key generate`.
    public static func read(_ file: URL) throws(Problems) -> SigningKey {
        let display = DisplayPath.of(file)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw Problems([Problem(file: display, "cannot be read as a signing key file",
                                    hint: "`pkgtree key generate --name NAME` writes NAME.key")])
        }
        guard let (name, bytes) = KeyText.parse(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw Problems([Problem(file: display, "is not a signing key (NAME:BASE64 of a 32-byte Ed25519 key)",
                                    hint: "`pkgtree key generate --name NAME` writes NAME.key")])
        }
        return SigningKey(name: name, key: key)
    }

    /// `NAME:BASE64` of the signature over `statement`.
    public func sign(_ statement: ArtifactStatement) throws -> String {
        "\(name):\(try signature(for: statement.message).base64EncodedString())"
    }

    /// The 64-byte Ed25519 signature over `data`.
    public func signature(for data: Data) throws -> Data {
        try key.signature(for: data)
    }
}

/// Checks a signature against the trusted keys; the reason when it fails, nil when it holds.
enum SignatureCheck {
    static func failure(_ signature: String?, _ statement: ArtifactStatement, trusted: [TrustedKey]) -> String? {
        guard let signature else { return "it carries no signature" }
        guard let (name, bytes) = KeyText.parse(signature, length: 64) else { return "its signature '\(signature.prefix(80))' is malformed" }
        let candidates = trusted.filter { $0.name == name }
        guard !candidates.isEmpty else {
            return trusted.isEmpty ? "no trusted_keys are configured, so no signature is accepted"
                                   : "it is signed by key '\(name)', which is not among the trusted_keys (\(trusted.map(\.name).joined(separator: ", ")))"
        }
        guard candidates.contains(where: { $0.key.isValidSignature(bytes, for: statement.message) }) else {
            return "its signature by key '\(name)' does not match (id, arch, sha256); the artifact or its manifest was changed"
        }
        return nil
    }
}

/// `NAME:BASE64` as Nix writes keys and signatures.
enum KeyText {
    static func parse(_ text: String, length: Int = 32) -> (String, Data)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let name = String(text[..<colon])
        guard isName(name), let bytes = Data(base64Encoded: String(text[text.index(after: colon)...])), bytes.count == length else { return nil }
        return (name, bytes)
    }

    /// Key names: letters, digits and `. _ -` (a host name and a number, as Nix's `cache.example.org-1`).
    static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCIIAlphanumeric || "._-".contains($0) }
    }
}

extension SigningKey {
    public static func isValidName(_ name: String) -> Bool { KeyText.isName(name) }

    /// Writes the secret key (created with mode 0600, never over an existing file) and the
    /// public key beside it.
    public func write(secret: URL, public shared: URL) throws(Problems) {
        for file in [secret, shared] where FileManager.default.fileExists(atPath: file.path) {
            throw Problems([Problem(file: DisplayPath.of(file), "exists already; a key is never overwritten",
                                    hint: "pick another --name or --output, or remove the old key if it is no longer trusted anywhere")])
        }
        do {
            try FileManager.default.createDirectory(at: secret.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: secret.path, contents: Data((secretText + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw IOError(secret.path, "cannot be created")
            }
            try Data((publicKey.description + "\n").utf8).write(to: shared)
        } catch {
            throw Problems([Problem(file: DisplayPath.of(secret), "cannot write the key pair: \(error)")])
        }
    }
}

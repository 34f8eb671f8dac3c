import Foundation

/// A `WWW-Authenticate` header: `Basic realm="…"` or
/// `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull,push"`.
struct AuthChallenge: Sendable, Hashable {
    var scheme: String
    var parameters: [String: String]

    var realm: String? { parameters["realm"] }

    /// Parses one challenge; quoted values may hold commas (`pull,push`) and `\"` escapes.
    init?(header: String) {
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " ") ?? (trimmed.isEmpty ? nil : trimmed.endIndex) else { return nil }
        scheme = trimmed[..<space].lowercased()
        parameters = [:]
        var rest = trimmed[space...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { value.append(character); escaped = false }
                    else if character == "\\" { escaped = true }
                    else if character == "\"" { break }
                    else { value.append(character) }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            parameters[key] = value
        }
    }
}

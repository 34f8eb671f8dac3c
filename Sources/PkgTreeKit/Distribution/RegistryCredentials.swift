import Foundation

/// A user name and password for one registry, read from the files `podman login` and
/// `docker login` write, in the order containers/image reads them: `$REGISTRY_AUTH_FILE`,
/// `$XDG_RUNTIME_DIR/containers/auth.json`, `$DOCKER_CONFIG/config.json` or
/// `~/.docker/config.json`. Each holds `{"auths": {"HOST[:PORT][/REPO]": {"auth":
/// base64("user:password")}}}`; the entry with the longest key that names the registry (and a
/// prefix of the repository) wins. Credential helpers (`credHelpers`, `credsStore`) are not run.
public struct RegistryCredentials: Sendable, Hashable {
    public var user: String
    public var password: String
    /// The file they came from, for messages.
    public var source: String

    /// The files searched, in order (those that exist or not).
    public static func authFiles(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var files: [URL] = []
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty { files.append(URL(fileURLWithPath: file)) }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            files.append(URL(fileURLWithPath: runtime).child("containers/auth.json"))
        }
        if let docker = environment["DOCKER_CONFIG"], !docker.isEmpty {
            files.append(URL(fileURLWithPath: docker).child("config.json"))
        } else if let home = environment["HOME"], !home.isEmpty {
            files.append(URL(fileURLWithPath: home).child(".docker/config.json"))
        }
        return files
    }

    /// The credentials for `registry` (and `repository`), from the first file that has any.
    public static func find(registry: String, repository: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> RegistryCredentials? {
        for file in authFiles(environment: environment) {
            if let found = read(file, registry: registry, repository: repository) { return found }
        }
        return nil
    }

    static func read(_ file: URL, registry: String, repository: String) -> RegistryCredentials? {
        guard let data = try? Data(contentsOf: file),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let auths = document["auths"] as? [String: Any] else { return nil }
        let scope = "\(registry)/\(repository)"
        let matching = auths.keys.filter { key in
            let name = normalize(key)
            return name == registry || scope == name || scope.hasPrefix(name + "/")
        }
        guard let key = matching.max(by: { normalize($0).count < normalize($1).count }),
              let entry = auths[key] as? [String: Any] else { return nil }
        return decode(entry, source: file.path)
    }

    /// `https://host:port/v1/` (docker's older keys) → `host:port`; podman's keys are bare.
    /// Docker Hub is `docker.io` whatever its key says (`docker login` writes
    /// `https://index.docker.io/v1/`), as image references name it.
    static func normalize(_ key: String) -> String {
        var name = Substring(key)
        for scheme in ["https://", "http://"] where name.hasPrefix(scheme) {
            name = name.dropFirst(scheme.count)
            if let slash = name.firstIndex(of: "/") { name = name[..<slash] }
        }
        return ["index.docker.io", "registry-1.docker.io"].contains(String(name)) ? "docker.io" : String(name)
    }

    private static func decode(_ entry: [String: Any], source: String) -> RegistryCredentials? {
        if let auth = entry["auth"] as? String, let data = Data(base64Encoded: auth),
           let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") {
            return RegistryCredentials(user: String(text[..<colon]), password: String(text[text.index(after: colon)...]), source: source)
        }
        if let user = entry["username"] as? String, let password = entry["password"] as? String {
            return RegistryCredentials(user: user, password: password, source: source)
        }
        return nil
    }
}

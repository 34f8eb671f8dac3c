import Foundation
import RegistryTestSupport

/// What the tags of a test registry's repository name, read over the distribution API with
/// Python's own HTTP client, which shares no code with pkgtree: the check that a push broken
/// off left no tag naming content the registry lacks.
enum RegistryWalk {
    /// Each tag of `repository` with what the content it names lacks: a manifest or blob the
    /// registry does not serve, found by walking from the tag through an index's manifests, a
    /// manifest's config and layers, and its subject. Empty lists when every tag is whole;
    /// no tags when the repository does not exist (yet). A tag the registry lists but resolves
    /// to nothing has `unwritten` alone: see `unwritten`.
    static func missingContent(_ registry: TestRegistry, _ repository: String) async throws -> [String: [String]] {
        let (user, password) = registry.credentials ?? ("", "")
        let walked = try await CLIRunner.runTool("/usr/bin/python3", ["-c", Self.walk, registry.host, registry.certificates.caFile.path,
                                                                      "\(user):\(password)", repository, unwritten])
        guard walked.status == 0, let tags = try JSONSerialization.jsonObject(with: Data(walked.stdout.utf8)) as? [String: [String]] else {
            throw ToolProcess.Failure(command: ["python3", "walk \(repository)"], status: walked.status, output: walked.stdout + walked.stderr)
        }
        return tags
    }

    /// What a tag the registry lists but does not resolve lacks. distribution writes a tag in two
    /// steps, `_manifests/tags/<tag>/index/…/link` and then `…/current/link`, and lists every
    /// directory under `tags/`: killed between the two, it lists a tag whose manifest GET is
    /// `404 MANIFEST_UNKNOWN`. Such a tag names nothing any client can pull; it is the
    /// registry's own half-written write, not content a pusher left out.
    static let unwritten = "unwritten: listed, but the registry resolves it to no manifest (404)"

    private static let walk = #"""
        import base64, json, ssl, sys, urllib.error, urllib.request
        host, cafile, auth, repository = sys.argv[1:5]
        context = ssl.create_default_context(cafile=cafile)
        accept = ", ".join(["application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
                            "application/vnd.docker.distribution.manifest.list.v2+json",
                            "application/vnd.docker.distribution.manifest.v2+json"])
        def request(method, path):
            r = urllib.request.Request(f"https://{host}/v2/{repository}/{path}", method=method)
            r.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
            r.add_header("Accept", accept)
            try:
                with urllib.request.urlopen(r, context=context, timeout=30) as response: return response.status, response.read()
            except urllib.error.HTTPError as error: return error.code, b""
        def lacks(reference, seen):
            if reference in seen: return []
            seen.add(reference)
            status, body = request("GET", f"manifests/{reference}")
            if status != 200: return [f"manifest {reference}: {status}"]
            manifest = json.loads(body)
            found = []
            for child in manifest.get("manifests", []): found += lacks(child["digest"], seen)
            for blob in ([manifest["config"]] if "config" in manifest else []) + manifest.get("layers", []):
                status, _ = request("HEAD", f"blobs/{blob['digest']}")
                if status != 200: found.append(f"blob {blob['digest']} of {reference}: {status}")
            if "subject" in manifest: found += lacks(manifest["subject"]["digest"], seen)
            return found
        status, body = request("GET", "tags/list")
        tags = (json.loads(body).get("tags") or []) if status == 200 else []
        def walked(tag):
            status, _ = request("GET", f"manifests/{tag}")
            return [sys.argv[5]] if status == 404 else lacks(tag, set())
        print(json.dumps({tag: walked(tag) for tag in tags}))
        """#
}

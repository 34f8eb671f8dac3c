extension BuildSession {
    /// Writes the release of a `forRelease` outcome in which nothing failed into `output` (the
    /// directory its bootstraps went to), then moves the bootstraps' pointers, last.
    public func writeRelease(_ outcome: Outcome, into output: OutputDirectory, signingKey: SigningKey?) async throws -> ReleaseWriter.Result {
        let inputs = try outcome.results.map { result in
            guard let bootstrap = result.bootstrap else { preconditionFailure("writeRelease needs every bootstrap (Bootstraps.forRelease)") }
            let digests = try bootstrap.packageIDs.reduce(into: [String: String]()) { digests, id in
                digests[id] = try outcome.index.artifact(id: id)?.sha256
            }
            return ReleaseWriter.Input(plan: result.plan, bootstrap: bootstrap, artifactDigests: digests)
        }
        let bootstrapper = bootstrapper(outcome.index, into: output)
        return try await output.writing("the release") {
            let release = try await ReleaseWriter(output: output.url).write(inputs, signingKey: signingKey)
            for input in inputs { try bootstrapper.publish(input.bootstrap, plan: input.plan) }  // the mutable pointers, last
            return release
        }
    }
}

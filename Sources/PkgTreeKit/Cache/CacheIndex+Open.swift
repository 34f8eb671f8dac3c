extension CacheIndex {
    /// Opens the cache as every command does: a damaged index is healed (`recovered` hears
    /// how), then what a killed process left behind is repaired (`repaired` hears what).
    public static func openRepairing(_ layout: CacheLayout, recovered: (IndexRecovery) -> Void,
                                     repaired: (CacheRepair.Report) -> Void) async throws -> CacheIndex {
        let index = try await CacheIndex.open(layout)
        if let recovery = index.recovery { recovered(recovery) }
        repaired(try CacheRepair.run(index))
        return index
    }
}

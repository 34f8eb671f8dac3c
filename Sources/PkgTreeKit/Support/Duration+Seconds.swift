import Foundation

extension Duration {
    /// `6.53 s`: how long a step took, for notes about slow steps (loading an image, probing a runner).
    public var secondsText: String {
        String(format: "%.2f s", Double(components.seconds) + Double(components.attoseconds) / 1e18)
    }
}

/// Where a build session sends what happens while it builds: each event, and notes for
/// standard error (the runner chosen, an image being made, what the remote cache did). `close`
/// ends the event output before the summary is printed; a note after it is still said.
public protocol BuildProgress: Sendable {
    func report(_ event: BuildScheduler.Event)
    func note(_ text: String)
    func close()
}

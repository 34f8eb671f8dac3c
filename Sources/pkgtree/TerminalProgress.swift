import Foundation
import PkgTreeKit
import Synchronization

/// `--progress tty`: one live status block (`ProgressBlock`) at the bottom of the terminal,
/// redrawn in place on every event and a few times a second, so elapsed times and the last
/// log lines move. Finished builds, failures (with their log's tail) and notes are written
/// above it as permanent lines, exactly as plain mode writes them.
final class TerminalProgress: BuildProgress {
    private struct State {
        var block: ProgressBlock
        /// Lines of the block now on screen, to erase before the next draw.
        var drawn = 0
        var closed = false
        var ticker: Task<Void, Never>?
    }

    private let showingArch: Bool
    private let state: Mutex<State>

    /// Often enough that elapsed times and log lines look alive, rarely enough to cost nothing.
    static let interval = Duration.milliseconds(250)

    /// `total`: every package of every plan in the run.
    init(total: Int, showingArch: Bool) {
        self.showingArch = showingArch
        state = Mutex(State(block: ProgressBlock(total: total)))
        let ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                self?.redraw()
            }
        }
        state.withLock { $0.ticker = ticker }
    }

    func report(_ event: BuildScheduler.Event) {
        let line = BuildReport.line(event, showingArch: showingArch) + "\n"
        state.withLock { state in
            state.block.apply(event, at: Date())
            switch event.kind {
            case .cached, .started: draw(&state)
            case .built, .skipped, .interrupted: draw(&state, above: line)
            case .failed(_, let log): draw(&state, above: line, aboveOnStandardError: BuildReport.failureDetails(log))
            }
        }
    }

    /// A note after `close` (what a push did) goes straight to stderr.
    func note(_ text: String) {
        state.withLock { state in
            if state.closed { Console.error(text) } else { draw(&state, aboveOnStandardError: text) }
        }
    }

    /// Clears the block and stops redrawing; the summary follows on a clean screen.
    func close() {
        let ticker = state.withLock { state -> Task<Void, Never>? in
            Console.output(Terminal.erase(lines: state.drawn))
            state.drawn = 0
            state.closed = true
            return state.ticker
        }
        ticker?.cancel()
    }

    private func redraw() {
        state.withLock { draw(&$0) }
    }

    /// Erases the block, writes what goes above it, and draws it anew. Called with the lock
    /// held, so that the ticker and the events never interleave their writes.
    private func draw(_ state: inout State, above: String = "", aboveOnStandardError: String = "") {
        guard !state.closed else { return }
        let size = Terminal.size()
        state.block.readLastLines(BuildLog.lastScriptLine)
        let lines = state.block.lines(now: Date(), width: size.columns, height: size.rows)
        let block = lines.map { $0 + "\n" }.joined()
        if aboveOnStandardError.isEmpty {
            Console.output(Terminal.erase(lines: state.drawn) + above + block)
        } else {
            Console.output(Terminal.erase(lines: state.drawn) + above)
            Console.error(aboveOnStandardError)
            Console.output(block)
        }
        state.drawn = lines.count
    }
}

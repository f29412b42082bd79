/// Shows successive views of `get --watch`: on a terminal each replaces the last (cursor home,
/// clear screen), elsewhere (a pipe, a CI log) each is appended after a blank line, whole, so
/// the output reads as a history.
struct ViewDisplay: Sendable {
    static let clearScreen = "\u{1B}[H\u{1B}[2J"

    let console: Console
    private let shown = LockedValue(0)

    init(console: Console) { self.console = console }

    func show(_ text: String) {
        let first = shown.update { count -> Bool in
            count += 1
            return count == 1
        }
        if console.isTerminal {
            console.out(Self.clearScreen + text)
        } else {
            console.out((first ? "" : "\n") + text)
        }
    }
}

import AppReleaseAPI
import ArgumentParser

/// `--timeout 30s`, `2m`, `1m30s` (kubectl's spelling: a unit is required); `0s` means "do not wait".
struct WaitTimeout: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    let seconds: Int

    init(seconds: Int) { self.seconds = seconds }

    init?(argument: String) {
        guard let seconds = try? DurationParser.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    var duration: Duration { .seconds(seconds) }
    var waits: Bool { seconds > 0 }
    var description: String { "\(seconds)s" }
    var defaultValueDescription: String { description }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the commands write. Each write goes straight to the file descriptor (no stdio
/// buffer), so a CI log shows each line the moment it is decided, and stdout and stderr stay in
/// order when both go to one log.
struct Console: Sendable {
    let out: @Sendable (String) -> Void
    let err: @Sendable (String) -> Void
    /// stdout is a terminal: views are redrawn in place rather than appended.
    let isTerminal: Bool

    static let standard = Console(
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) },
        isTerminal: isatty(STDOUT_FILENO) == 1)
}

import TestSupport

/// Runs a command to completion and returns its status and output.
struct CommandResult: Sendable, CustomStringConvertible {
    var command: String
    var exit: ChildProcess.Exit
    var output: String
    var succeeded: Bool { !exit.signalled && exit.status == 0 }
    var description: String { "$ \(command)\n[\(exit)]\n\(output)" }
}

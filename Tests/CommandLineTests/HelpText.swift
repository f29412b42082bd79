import ArgumentParser
import Foundation

/// The defaults `--help` prints, read from ArgumentParser's description of a command (the same
/// strings, without the wrapping and the surrounding prose).
enum HelpText {
    /// Preferred flag name (`--log-level`) → printed default, for `command` and its subcommands.
    static func defaults(of command: any ParsableCommand.Type) throws -> [String: String] {
        let json = try JSONSerialization.jsonObject(with: Data(command._dumpHelp().utf8))
        var defaults: [String: String] = [:]
        func visit(_ node: Any?) {
            guard let node = node as? [String: Any] else { return }
            for argument in node["arguments"] as? [[String: Any]] ?? [] {
                guard let value = argument["defaultValue"] as? String,
                    let name = (argument["preferredName"] as? [String: Any])?["name"] as? String
                else { continue }
                defaults["--\(name)"] = value
            }
            for subcommand in node["subcommands"] as? [Any] ?? [] { visit(subcommand) }
        }
        visit((json as? [String: Any])?["command"])
        return defaults
    }

    /// True for a default written as a user types it: one word, not a value's debug printout.
    static func isTyped(_ value: String) -> Bool {
        !value.isEmpty && !value.contains(where: { $0 == " " || $0 == "(" || $0 == ")" })
    }
}

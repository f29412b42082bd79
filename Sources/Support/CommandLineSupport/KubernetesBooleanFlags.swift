import ArgumentParser

/// Rewrites a command line so ArgumentParser accepts boolean flags as Kubernetes components do:
/// `--flag`, `--no-flag`, and also `--flag=true` / `--flag=false` with any spelling Go's
/// `strconv.ParseBool` takes. Charts and manifests from the controller-runtime world pass
/// `--leader-elect=false`; kubectl users type `--watch=false`.
///
/// Only `--name=value` tokens naming a boolean flag of the commands the line selects change:
/// `=true` becomes the flag, `=false` its inversion (`--no-flag`), or, for a flag without one,
/// the removal of the flag (earlier occurrences included: the last word wins, as in pflag).
/// Everything after `--` is left alone.
public struct KubernetesBooleanFlags: Sendable {
    private let tree: CommandTree?

    public init(of command: any ParsableCommand.Type) {
        tree = CommandTree(of: command)
    }

    /// The flag spellings that take a boolean value on the command line `arguments` (for
    /// diagnostics and tests).
    public func spellings(for arguments: [String]) -> Set<String> {
        Set(flags(for: arguments).keys)
    }

    /// `arguments` as ArgumentParser takes them; throws naming the flag for a value that is not a
    /// boolean.
    public func rewrite(_ arguments: [String]) throws(ValidationError) -> [String] {
        let flags = flags(for: arguments)
        guard !flags.isEmpty else { return arguments }
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            if argument == "--" {
                result.append(contentsOf: arguments[index...])
                break
            }
            guard argument.hasPrefix("-"), let equals = argument.firstIndex(of: "="),
                let flag = flags[String(argument[..<equals])]
            else {
                result.append(argument)
                continue
            }
            let text = String(argument[argument.index(after: equals)...])
            guard let value = GoBoolean.parse(text) else {
                let accepted = (GoBoolean.trueSpellings + GoBoolean.falseSpellings).joined(separator: ", ")
                throw ValidationError("\(flag.spelling) takes no value, or one of \(accepted); not '\(text)'")
            }
            if value {
                result.append(flag.whenTrue)
            } else if let whenFalse = flag.whenFalse {
                result.append(whenFalse)
            } else {
                result.removeAll { flag.siblings.contains($0) }
            }
        }
        return result
    }

    private func flags(for arguments: [String]) -> [String: BooleanFlag] {
        guard let tree else { return [:] }
        var flags: [String: BooleanFlag] = [:]
        for command in tree.path(for: arguments) {
            for flag in command.booleanFlags { flags[flag.spelling] = flag }
        }
        return flags
    }
}

import ArgumentParser
import Foundation

/// A command's declared subcommands and flags, read from ArgumentParser's own description of the
/// command (`_dumpHelp()`, the JSON behind `--experimental-dump-help`) rather than from a list
/// kept by hand: a flag added or renamed later is covered without anyone remembering to.
struct CommandTree: Decodable, Sendable {
    var commandName: String
    var aliases: [String]?
    var defaultSubcommand: String?
    var subcommands: [CommandTree]?
    var arguments: [Argument]?

    struct Argument: Decodable, Sendable {
        var kind: String
        var isRepeating: Bool
        var names: [Name]?
    }

    struct Name: Decodable, Sendable {
        var kind: String
        var name: String

        /// As typed on the command line.
        var spelling: String { kind == "short" || kind == "longWithSingleDash" ? "-\(name)" : "--\(name)" }
        var isLong: Bool { kind == "long" }
    }

    private struct Dump: Decodable {
        var command: CommandTree
    }

    /// nil only if ArgumentParser's description cannot be read (a format change in a new
    /// release); callers then parse the arguments unchanged.
    init?(of command: any ParsableCommand.Type) {
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(command._dumpHelp().utf8)) else { return nil }
        self = dump.command
        nameDefaultSubcommands(of: command)
    }

    /// The description names a default subcommand only when its type declares a `commandName`;
    /// the type knows its name either way.
    private mutating func nameDefaultSubcommands(of command: any ParsableCommand.Type) {
        if defaultSubcommand == nil { defaultSubcommand = command.configuration.defaultSubcommand?._commandName }
        for type in command.configuration.subcommands {
            guard let index = subcommands?.firstIndex(where: { $0.commandName == type._commandName }) else { continue }
            subcommands?[index].nameDefaultSubcommands(of: type)
        }
    }

    func subcommand(named name: String) -> CommandTree? {
        subcommands?.first { $0.commandName == name || $0.aliases?.contains(name) == true }
    }

    /// The commands `arguments` select, root first: subcommand names are taken while they come
    /// (options may sit between them), then the default subcommand chain if one is left.
    func path(for arguments: [String]) -> [CommandTree] {
        var path = [self]
        for argument in arguments {
            if argument == "--" { break }
            if argument.hasPrefix("-") { continue }
            guard let next = path[path.count - 1].subcommand(named: argument) else { break }
            path.append(next)
        }
        while let name = path[path.count - 1].defaultSubcommand, let next = path[path.count - 1].subcommand(named: name) {
            path.append(next)
        }
        return path
    }

    /// Every spelling of this command's boolean flags. ArgumentParser describes an inverted flag
    /// (`inversion: .prefixedNo` or `.prefixedEnableDisable`) as two flags, which are paired
    /// here by name; a flag that repeats (a counter, an array of cases) takes no boolean.
    var booleanFlags: [BooleanFlag] {
        let flags = (arguments ?? []).filter { $0.kind == "flag" && !$0.isRepeating }.compactMap { $0.names }.filter { !$0.isEmpty }
        let byLongName = Dictionary(
            flags.flatMap { names in names.filter(\.isLong).map { ($0.name, names) } }, uniquingKeysWith: { first, _ in first })
        var result: [BooleanFlag] = []
        for names in flags {
            let opposite = names.filter(\.isLong).flatMap { Self.inverseNames(of: $0.name) }.lazy.compactMap { byLongName[$0] }.first
            let preferred = names.first(where: \.isLong) ?? names[0]
            let siblings = Set(names.map(\.spelling)).union(opposite?.map(\.spelling) ?? [])
            for name in names {
                result.append(
                    BooleanFlag(
                        spelling: name.spelling, whenTrue: preferred.spelling,
                        whenFalse: opposite.map { ($0.first(where: \.isLong) ?? $0[0]).spelling }, siblings: siblings))
            }
        }
        return result
    }

    /// `x` ↔ `no-x` and `enable-x` ↔ `disable-x`: the pairs ArgumentParser's inversions make.
    private static func inverseNames(of name: String) -> [String] {
        var candidates = [name.hasPrefix("no-") ? String(name.dropFirst(3)) : "no-" + name]
        if name.hasPrefix("enable-") { candidates.append("disable-" + name.dropFirst(7)) }
        if name.hasPrefix("disable-") { candidates.append("enable-" + name.dropFirst(8)) }
        return candidates
    }
}

/// A YAML document that libyaml rejected, or that holds something JSON cannot (an unknown alias).
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based, as editors show them.
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "YAML error at line \(line), column \(column): \(message)" }
}

/// Why a document is not valid JSON, with the byte offset where parsing stopped so that a bad
/// API response or file can be located precisely.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte offset \(offset): \(message)" }
}

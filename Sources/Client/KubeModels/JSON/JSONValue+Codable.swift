import Foundation

extension JSONValue {
    /// Decodes a Codable model from this value (e.g. a typed view of an object read as JSON).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(serialized()))
    }

    /// The JSON value of a Codable model, e.g. to send a typed object through the generic API.
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONEncoder().encode(value)
        try self.init(parsing: data)
    }
}

import Foundation

// Codable helpers for `metav1.Time` fields (RFC 3339, whole seconds), for conditions and the
// AppRelease status.

/// A timestamp field that does not hold an RFC 3339 time.
public struct RFC3339DecodingError: Error, CustomStringConvertible {
    public var value: String
    public var description: String { "invalid timestamp \"\(value)\": expected RFC 3339, e.g. 2026-01-02T15:04:05Z" }
}

extension KeyedDecodingContainer {
    public func decodeRFC3339(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = KubeTime.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: RFC3339DecodingError(value: text).description)
        }
        return date
    }

    public func decodeRFC3339IfPresent(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = KubeTime.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: RFC3339DecodingError(value: text).description)
        }
        return date
    }
}

extension KeyedEncodingContainer {
    public mutating func encodeRFC3339(_ date: Date, forKey key: Key) throws {
        try encode(KubeTime.format(date), forKey: key)
    }

    public mutating func encodeRFC3339IfPresent(_ date: Date?, forKey key: Key) throws {
        if let date { try encode(KubeTime.format(date), forKey: key) }
    }
}

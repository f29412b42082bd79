import Foundation
import KubeModels

/// Messages whose JSON form is a single value rather than an object.
enum ValueSchemas {
    /// `meta/v1.Time` {seconds = 1, nanos = 2} → RFC 3339 in whole seconds. Go writes nothing for
    /// the zero time, so an empty message is "no time"; the API server drops the nanos.
    static let time = FieldKind.value(
        .meta("Time", [.int64(1, "seconds", .pointer), .int32(2, "nanos", .pointer)]), timeValue)

    /// `resource.Quantity` {string = 1} → its string form.
    static let quantity = FieldKind.value(
        MessageSchema("k8s.io/apimachinery/pkg/api/resource.Quantity", [.string(1, "string")]), quantityValue)

    /// `intstr.IntOrString` {type = 1 (0 int, 1 string), intVal = 2, strVal = 3} → a number or a string.
    static let intOrString = FieldKind.value(
        MessageSchema(
            "k8s.io/apimachinery/pkg/util/intstr.IntOrString",
            [.int64(1, "type"), .int32(2, "intVal"), .string(3, "strVal")]),
        intOrStringValue)

    /// `meta/v1.FieldsV1` {Raw = 1}: the raw bytes are the JSON itself.
    static let fieldsV1 = FieldKind.value(.meta("FieldsV1", [.bytes(1, "raw")]), fieldsV1Value)

    /// 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z, the range RFC 3339 years can express.
    static let timeRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    @Sendable static func timeValue(_ fields: [String: JSONValue]) throws(ProtobufError) -> JSONValue {
        guard !fields.isEmpty else { return .null }
        let seconds = fields["seconds"]?.intValue ?? 0
        guard timeRange.contains(seconds) else {
            throw .malformed("the time \(seconds) seconds after the epoch is outside years 1 to 9999")
        }
        return .string(KubeTime.format(Date(timeIntervalSince1970: Double(seconds))))
    }

    @Sendable static func quantityValue(_ fields: [String: JSONValue]) throws(ProtobufError) -> JSONValue {
        let text = fields["string"]?.stringValue ?? ""
        return .string(text.isEmpty ? "0" : text)
    }

    @Sendable static func intOrStringValue(_ fields: [String: JSONValue]) throws(ProtobufError) -> JSONValue {
        switch fields["type"]?.intValue ?? 0 {
        case 0: return .int(fields["intVal"]?.intValue ?? 0)
        case 1: return .string(fields["strVal"]?.stringValue ?? "")
        case let other: throw .malformed("IntOrString has the unknown type \(other) (0 is int, 1 is string)")
        }
    }

    @Sendable static func fieldsV1Value(_ fields: [String: JSONValue]) throws(ProtobufError) -> JSONValue {
        guard let encoded = fields["raw"]?.stringValue, let raw = Data(base64Encoded: encoded) else { return .null }
        do {
            return try JSONValue(parsing: [UInt8](raw))
        } catch {
            throw .malformed("FieldsV1 does not hold JSON: \(error)")
        }
    }
}

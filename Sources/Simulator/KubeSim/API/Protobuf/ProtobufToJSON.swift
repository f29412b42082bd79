import Foundation
import KubeModels

/// Table-driven conversion of a protobuf message to the JSON object Go's encoding/json writes
/// for the same Go struct (see `Presence`). A field number the table lacks is an error, never
/// skipped: kubesim must not silently lose what a client sent.
enum ProtobufToJSON {
    /// What the wire held for one field, before rendering.
    private enum Gathered {
        case scalar(JSONValue)
        /// A singular message; repeats concatenate, which is protobuf's merge.
        case message([UInt8])
        case list([JSONValue])
        case map([String: JSONValue])
    }

    static func object(_ bytes: ArraySlice<UInt8>, as schema: MessageSchema) throws(ProtobufError) -> [String: JSONValue] {
        do throws(ProtobufError) {
            return try render(schema, try gatherAll(bytes, schema))
        } catch {
            throw error.within(schema.name)
        }
    }

    private static func gatherAll(_ bytes: ArraySlice<UInt8>, _ schema: MessageSchema) throws(ProtobufError) -> [Int: Gathered] {
        var gathered: [Int: Gathered] = [:]
        var reader = ProtobufReader(bytes)
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            guard let field = schema.fields[tag.field] else {
                throw .unsupported("protobuf field \(tag.field) of \(schema.name) is not understood by kubesim; send JSON")
            }
            try gather(field, tag.wireType, &reader, into: &gathered, schema)
        }
        return gathered
    }

    private static func gather(
        _ field: ProtoField, _ wireType: WireType, _ reader: inout ProtobufReader, into gathered: inout [Int: Gathered],
        _ schema: MessageSchema
    ) throws(ProtobufError) {
        if field.repeated {
            guard case .list(var list) = gathered[field.number] ?? .list([]) else { return }
            if wireType == .lengthDelimited, isVarint(field.kind) {
                var packed = ProtobufReader(try reader.readLengthDelimited())
                while !packed.isAtEnd { list.append(try scalar(field, .varint, &packed, schema)) }
            } else {
                list.append(try element(field, wireType, &reader, schema))
            }
            gathered[field.number] = .list(list)
        } else if case .map(let valueKind) = field.kind {
            try expect(.lengthDelimited, wireType, field, schema)
            guard case .map(var map) = gathered[field.number] ?? .map([:]) else { return }
            let entry = try mapEntry(try reader.readLengthDelimited(), valueKind, field, schema)
            map[entry.key] = entry.value
            gathered[field.number] = .map(map)
        } else if field.kind.isMessage {
            try expect(.lengthDelimited, wireType, field, schema)
            var bytes: [UInt8] = []
            if case .message(let earlier) = gathered[field.number] { bytes = earlier }
            bytes.append(contentsOf: try reader.readLengthDelimited())
            gathered[field.number] = .message(bytes)
        } else {
            gathered[field.number] = .scalar(try scalar(field, wireType, &reader, schema))
        }
    }

    /// One value of a field: a scalar, or a whole embedded message.
    private static func element(_ field: ProtoField, _ wireType: WireType, _ reader: inout ProtobufReader, _ schema: MessageSchema)
        throws(ProtobufError) -> JSONValue
    {
        guard field.kind.isMessage else { return try scalar(field, wireType, &reader, schema) }
        try expect(.lengthDelimited, wireType, field, schema)
        return try embedded(field.kind, try reader.readLengthDelimited())
    }

    private static func embedded(_ kind: FieldKind, _ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> JSONValue {
        switch kind {
        case .message(let schema), .inline(let schema): return .object(try object(bytes, as: schema))
        case .value(let schema, let convert): return try convert(try object(bytes, as: schema))
        case .string, .bytes, .int32, .int64, .bool, .map: return .null
        }
    }

    private static func scalar(_ field: ProtoField, _ wireType: WireType, _ reader: inout ProtobufReader, _ schema: MessageSchema)
        throws(ProtobufError) -> JSONValue
    {
        switch field.kind {
        case .string:
            try expect(.lengthDelimited, wireType, field, schema)
            let bytes = try reader.readLengthDelimited()
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .malformed("field \(field.number) (\(field.name)) of \(schema.name) is not valid UTF-8")
            }
            return .string(text)
        case .bytes:
            try expect(.lengthDelimited, wireType, field, schema)
            return .string(Data(try reader.readLengthDelimited()).base64EncodedString())
        case .int32:
            try expect(.varint, wireType, field, schema)
            return .int(Int64(Int32(truncatingIfNeeded: try reader.readVarint())))
        case .int64:
            try expect(.varint, wireType, field, schema)
            return .int(Int64(bitPattern: try reader.readVarint()))
        case .bool:
            try expect(.varint, wireType, field, schema)
            return .bool(try reader.readVarint() != 0)
        case .message, .inline, .value, .map:
            return .null
        }
    }

    /// A map entry is a message {key = 1, value = 2}; either may be missing (zero).
    private static func mapEntry(_ bytes: ArraySlice<UInt8>, _ valueKind: FieldKind, _ field: ProtoField, _ schema: MessageSchema)
        throws(ProtobufError) -> (key: String, value: JSONValue)
    {
        let entrySchema = MessageSchema(
            "\(schema.name).\(field.name) map entry",
            [.string(1, "key"), ProtoField(number: 2, name: "value", kind: valueKind, presence: .always)])
        let entry = try object(bytes, as: entrySchema)
        return (entry["key"]?.stringValue ?? "", entry["value"] ?? .null)
    }

    private static func render(_ schema: MessageSchema, _ gathered: [Int: Gathered]) throws(ProtobufError) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for field in schema.fields.values {
            let value: JSONValue
            switch gathered[field.number] {
            case .list(let list): value = list.isEmpty ? .null : .array(list)
            case .map(let map): value = map.isEmpty ? .null : .object(map)
            case .scalar(let scalar): value = scalar
            case .message(let bytes): value = try embedded(field.kind, bytes[...])
            case nil:
                guard field.presence == .always else { continue }
                value = field.kind.isMessage ? try embedded(field.kind, []) : zero(field.kind)
            }
            if case .inline = field.kind, case .object(let inner) = value {
                result.merge(inner, uniquingKeysWith: { outer, _ in outer })
                continue
            }
            if value == .null || (field.presence == .omitEmpty && isZero(value)) { continue }
            result[field.name] = value
        }
        return result
    }

    private static func expect(_ wanted: WireType, _ actual: WireType, _ field: ProtoField, _ schema: MessageSchema)
        throws(ProtobufError)
    {
        guard wanted != actual else { return }
        throw .malformed("field \(field.number) (\(field.name)) of \(schema.name) has wire type \(actual), expected \(wanted)")
    }

    private static func isVarint(_ kind: FieldKind) -> Bool {
        switch kind {
        case .int32, .int64, .bool: true
        default: false
        }
    }

    private static func zero(_ kind: FieldKind) -> JSONValue {
        switch kind {
        case .string, .bytes: .string("")
        case .int32, .int64: .int(0)
        case .bool: .bool(false)
        case .message, .inline, .value, .map: .null
        }
    }

    private static func isZero(_ value: JSONValue) -> Bool {
        value == .string("") || value == .int(0) || value == .bool(false)
    }
}

@testable import KubeSim

/// Hand-built protobuf wire data for tests: each function returns one encoded field.
enum ProtoBytes {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        return bytes
    }

    static func tag(_ field: Int, _ wireType: UInt8) -> [UInt8] {
        varint(UInt64(field) << 3 | UInt64(wireType))
    }

    static func int(_ field: Int, _ value: Int64) -> [UInt8] {
        tag(field, 0) + varint(UInt64(bitPattern: value))
    }

    static func bool(_ field: Int, _ value: Bool) -> [UInt8] {
        int(field, value ? 1 : 0)
    }

    static func bytes(_ field: Int, _ data: [UInt8]) -> [UInt8] {
        tag(field, 2) + varint(UInt64(data.count)) + data
    }

    static func string(_ field: Int, _ text: String) -> [UInt8] {
        bytes(field, Array(text.utf8))
    }

    /// An embedded message made of the given encoded fields.
    static func message(_ field: Int, _ parts: [UInt8]...) -> [UInt8] {
        bytes(field, parts.flatMap { $0 })
    }

    /// One `map<string, string>` entry.
    static func entry(_ field: Int, _ key: String, _ value: String) -> [UInt8] {
        message(field, string(1, key), string(2, value))
    }

    /// One `map<string, Quantity>` entry.
    static func quantity(_ field: Int, _ key: String, _ value: String) -> [UInt8] {
        message(field, string(1, key), message(2, string(1, value)))
    }

    /// `k8s\0` + runtime.Unknown {typeMeta {apiVersion, kind}, raw}.
    static func envelope(_ apiVersion: String, _ kind: String, _ raw: [UInt8]) -> [UInt8] {
        [0x6B, 0x38, 0x73, 0x00] + message(1, string(1, apiVersion), string(2, kind)) + bytes(2, raw)
    }

    /// Bytes from a hex dump ("6b38 7300 ..."); whitespace is ignored.
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.filter(\.isHexDigit).map { UInt8(String($0), radix: 16) ?? 0 }
        return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}

/// The error `body` throws, or nil when it does not throw.
func protobufFailure(_ body: () throws(ProtobufError) -> Void) -> ProtobufError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

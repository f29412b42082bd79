/// The protobuf wire types (the low three bits of a field's tag).
enum WireType: UInt8, Sendable, CustomStringConvertible {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    var description: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

/// Reads protobuf wire data: tags, varints and length-delimited runs. Every read is
/// bounds-checked; positions in errors are byte offsets in the whole body (slices keep the
/// indices of the array they come from).
struct ProtobufReader {
    private let bytes: ArraySlice<UInt8>
    private(set) var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    var isAtEnd: Bool { position >= bytes.endIndex }

    /// The largest field number protobuf allows.
    static let maxFieldNumber = (1 << 29) - 1

    mutating func readTag() throws(ProtobufError) -> (field: Int, wireType: WireType) {
        let start = position
        let tag = try readVarint()
        guard tag <= UInt64(UInt32.max) else { throw .malformed("the field tag at byte \(start) is larger than 32 bits") }
        guard let wireType = WireType(rawValue: UInt8(tag & 7)) else {
            throw .malformed("the field tag at byte \(start) has the invalid wire type \(tag & 7)")
        }
        let field = Int(tag >> 3)
        guard field >= 1, field <= Self.maxFieldNumber else {
            throw .malformed("the field tag at byte \(start) has the invalid field number \(field)")
        }
        return (field, wireType)
    }

    /// A base-128 varint of at most ten bytes.
    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.endIndex else {
                throw .malformed("the data is truncated: the varint at byte \(start) runs past the end")
            }
            let byte = bytes[position]
            position += 1
            if shift == 63, byte > 1 {
                throw .malformed("the varint at byte \(start) does not fit in 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A length prefix and that many bytes.
    mutating func readLengthDelimited() throws(ProtobufError) -> ArraySlice<UInt8> {
        let start = position
        let length = try readVarint()
        let remaining = bytes.endIndex - position
        guard length <= UInt64(remaining) else {
            throw .malformed("the data is truncated: the length \(length) at byte \(start) exceeds the \(remaining) bytes that remain")
        }
        let end = position + Int(length)
        defer { position = end }
        return bytes[position..<end]
    }
}

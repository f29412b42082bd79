import Testing

@testable import KubeSim

@Suite struct ProtobufReaderTests {
    func wire(_ bytes: [UInt8]) -> ProtobufReader { ProtobufReader(bytes[...]) }


    @Test func varintsOfOneToTenBytes() throws {
        var one = wire([0x01])
        #expect(try one.readVarint() == 1)
        #expect(one.isAtEnd)
        var twoBytes = wire([0xAC, 0x02])
        #expect(try twoBytes.readVarint() == 300)
        var largest = wire(ProtoBytes.varint(UInt64.max))
        #expect(ProtoBytes.varint(UInt64.max).count == 10)
        #expect(try largest.readVarint() == UInt64.max)
        var negative = wire(ProtoBytes.varint(UInt64(bitPattern: -1)))
        #expect(Int64(bitPattern: try negative.readVarint()) == -1)
    }

    @Test func overlongAndTruncatedVarintsAreMalformed() {
        let overlong = protobufFailure { () throws(ProtobufError) in
            var reader = wire([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
            _ = try reader.readVarint()
        }
        #expect(overlong?.kind == .malformed)
        #expect(overlong?.message == "the varint at byte 0 does not fit in 64 bits")
        let truncated = protobufFailure { () throws(ProtobufError) in
            var reader = wire([0x08, 0x96])
            _ = try reader.readTag()
            _ = try reader.readVarint()
        }
        #expect(truncated?.message == "the data is truncated: the varint at byte 1 runs past the end")
    }

    @Test func tagsCarryFieldNumberAndWireType() throws {
        var reader = wire(ProtoBytes.tag(1, 2) + ProtoBytes.tag(17, 0) + ProtoBytes.tag(ProtobufReader.maxFieldNumber, 5))
        let first = try reader.readTag()
        #expect(first.field == 1 && first.wireType == .lengthDelimited)
        let second = try reader.readTag()
        #expect(second.field == 17 && second.wireType == .varint)
        let third = try reader.readTag()
        #expect(third.field == ProtobufReader.maxFieldNumber && third.wireType == .fixed32)
        #expect(reader.isAtEnd)
    }

    @Test func invalidTagsAreMalformed() {
        let wireType = protobufFailure { () throws(ProtobufError) in
            var reader = wire([0x0E])
            _ = try reader.readTag()
        }
        #expect(wireType?.message == "the field tag at byte 0 has the invalid wire type 6")
        let fieldZero = protobufFailure { () throws(ProtobufError) in
            var reader = wire([0x02])
            _ = try reader.readTag()
        }
        #expect(fieldZero?.message == "the field tag at byte 0 has the invalid field number 0")
        let tooLarge = protobufFailure { () throws(ProtobufError) in
            var reader = wire(ProtoBytes.varint(UInt64(UInt32.max) + 1))
            _ = try reader.readTag()
        }
        #expect(tooLarge?.message == "the field tag at byte 0 is larger than 32 bits")
    }

    @Test func lengthDelimitedRunsAreBoundsChecked() throws {
        var reader = wire(ProtoBytes.string(1, "abc") + [0x12, 0x05, 0x61])
        _ = try reader.readTag()
        #expect(Array(try reader.readLengthDelimited()) == Array("abc".utf8))
        #expect(reader.position == 5)
        _ = try reader.readTag()
        let error = protobufFailure { () throws(ProtobufError) in
            var rest = reader
            _ = try rest.readLengthDelimited()
        }
        #expect(error?.message == "the data is truncated: the length 5 at byte 6 exceeds the 1 bytes that remain")
        let huge = protobufFailure { () throws(ProtobufError) in
            var reader = wire([0x0A] + ProtoBytes.varint(UInt64.max))
            _ = try reader.readTag()
            _ = try reader.readLengthDelimited()
        }
        #expect(huge?.kind == .malformed)
    }

    @Test func slicesKeepTheirOffsetsInTheBody() throws {
        let body: [UInt8] = [0xFF, 0xFF] + ProtoBytes.int(1, 7)
        var reader = ProtobufReader(body[2...])
        #expect(reader.position == 2)
        #expect(try reader.readTag().field == 1)
        #expect(try reader.readVarint() == 7)
        #expect(reader.isAtEnd)
    }
}

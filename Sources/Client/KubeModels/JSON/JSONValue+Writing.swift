extension JSONValue {
    /// Compact JSON bytes. With `sortedKeys` object keys are ordered by their UTF-8 bytes, which is
    /// the canonical form used wherever two equal values must hash identically (template hashes).
    public func serialized(sortedKeys: Bool = false) -> [UInt8] {
        var writer = JSONWriter(sortedKeys: sortedKeys)
        writer.write(self)
        return writer.output
    }

    public func jsonString(sortedKeys: Bool = false) -> String {
        String(decoding: serialized(sortedKeys: sortedKeys), as: UTF8.self)
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { jsonString(sortedKeys: true) }
}

struct JSONWriter {
    let sortedKeys: Bool
    var output: [UInt8] = []

    init(sortedKeys: Bool) {
        self.sortedKeys = sortedKeys
        output.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number): writeDouble(number)
        case .string(let text): writeString(text)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            var first = true
            if sortedKeys {
                for key in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    writeString(key)
                    output.append(UInt8(ascii: ":"))
                    if let field = fields[key] { write(field) }
                }
            } else {
                for (key, field) in fields {
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    writeString(key)
                    output.append(UInt8(ascii: ":"))
                    write(field)
                }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private mutating func append(_ literal: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func writeInteger(_ number: Int64) {
        if number == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = number.magnitude
        if number < 0 { output.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var position = 20
            while magnitude > 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[position..<20]))
        }
    }

    private mutating func writeDouble(_ number: Double) {
        // JSON has no NaN or infinity; null is what Go's encoders would refuse to produce at all.
        guard number.isFinite else {
            append("null")
            return
        }
        output.append(contentsOf: number.description.utf8)
    }

    private mutating func writeString(_ text: String) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for (position, byte) in bytes.enumerated() {
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                runStart = position + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }
}

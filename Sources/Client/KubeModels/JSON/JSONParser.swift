/// A single-pass recursive-descent parser over raw bytes. It never copies the input and only
/// allocates for the values it produces; strings without escapes are decoded straight from the
/// buffer.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0
    /// Fields and elements of the objects and arrays being parsed, innermost last: each container
    /// is built once its size is known.
    private var fieldScratch: [(key: String, value: JSONValue)] = []
    private var elementScratch: [JSONValue] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index != bytes.count {
            throw failure("unexpected \(describeByte(at: index)) after the end of the document")
        }
        return value
    }

    /// Parses one value at the current position and leaves `index` just after it.
    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw failure("unexpected \(describeByte(at: index)), expected a value")
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw failure("nesting deeper than the limit of \(maxDepth)") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        let base = fieldScratch.count
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw failure("unexpected \(describeByte(at: index)), expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure(index < bytes.count ? "unexpected \(describeByte(at: index)), expected ':'" : "unexpected end of input, expected ':'")
            }
            index += 1
            skipWhitespace()
            fieldScratch.append((key, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(takeFields(from: base))
            default:
                throw failure("unexpected \(describeByte(at: index)), expected ',' or '}'")
            }
        }
    }

    /// The fields parsed since `base`, as a dictionary built at its final size: growing one field
    /// by field rehashes it at every doubling.
    private mutating func takeFields(from base: Int) -> [String: JSONValue] {
        var fields = [String: JSONValue](minimumCapacity: fieldScratch.count - base)
        // Duplicate keys: the last one wins, as in Go's encoding/json.
        for position in base..<fieldScratch.count { fields[fieldScratch[position].key] = fieldScratch[position].value }
        fieldScratch.removeLast(fieldScratch.count - base)
        return fields
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array([])
        }
        let base = elementScratch.count
        while true {
            skipWhitespace()
            elementScratch.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                let elements = Array(elementScratch[base...])
                elementScratch.removeLast(elementScratch.count - base)
                return .array(elements)
            default:
                throw failure("unexpected \(describeByte(at: index)), expected ',' or ']'")
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else {
            throw failure("unexpected end of input, expected '\(literal)'")
        }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw failure("invalid literal, expected '\(literal)'")
        }
        index += count
    }

    func failure(_ message: String) -> JSONParseError {
        JSONParseError(offset: index, message: message)
    }

    func describeByte(at position: Int) -> String {
        guard position < bytes.count else { return "end of input" }
        let byte = bytes[position]
        if byte >= 0x20 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}

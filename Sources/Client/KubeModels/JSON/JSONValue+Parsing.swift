extension JSONValue {
    /// Nesting deeper than this is rejected rather than risking stack exhaustion on hostile input.
    public static let defaultMaxDepth = 512

    /// Parses one JSON document (surrounding whitespace allowed, nothing else after it).
    /// Integers that fit in Int64 stay `.int`; every other number becomes `.double`.
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = JSONValue.defaultMaxDepth) throws {
        let parsed = try bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            return try parser.parseDocument()
        }
        if let parsed {
            self = parsed
        } else {
            let copy = Array(bytes)
            self = try copy.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
                return try parser.parseDocument()
            }
        }
    }

    public init(parsing text: String, maxDepth: Int = JSONValue.defaultMaxDepth) throws {
        var text = text
        self = try text.withUTF8 { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            return try parser.parseDocument()
        }
    }
}

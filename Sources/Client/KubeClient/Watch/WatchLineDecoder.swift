import KubeModels

/// Turns the chunked body of a watch into events. The API server writes one JSON object per
/// line; chunks may split a line (or a multi-byte character) anywhere, so bytes after the last
/// newline are kept until the rest arrives. Each new chunk is scanned once. A line longer than
/// `maximumLineBytes` is refused as soon as it is seen to be, before it is buffered whole.
package struct WatchLineDecoder {
    let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    /// Everything before this index in `buffer` has already been scanned for a newline.
    private var scanned = 0
    /// Total bytes of JSON decoded (for throughput figures).
    private(set) var decodedBytes = 0

    package init(maximumLineBytes: Int = ClientConfiguration.defaultMaximumWatchEventBytes) {
        self.maximumLineBytes = maximumLineBytes
    }

    package mutating func feed(_ bytes: UnsafeRawBufferPointer) throws -> [WatchEvent] {
        var events: [WatchEvent] = []
        // Fast path: nothing buffered, parse complete lines straight from the chunk.
        var start = 0
        if buffer.isEmpty {
            let chunk = bytes.bindMemory(to: UInt8.self)
            var index = 0
            while index < chunk.count {
                if chunk[index] == 0x0A {
                    if let event = try decodeLine(UnsafeBufferPointer(rebasing: chunk[start..<index])) { events.append(event) }
                    start = index + 1
                }
                index += 1
            }
            if start < chunk.count {
                try checkLength(chunk.count - start)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start...]))
            }
            scanned = buffer.count
            return events
        }
        // Only the part up to the first newline can belong to the buffered line.
        let firstNewline = bytes.firstIndex(of: 0x0A) ?? bytes.count
        try checkLength(buffer.count + firstNewline)
        buffer.append(contentsOf: bytes)
        var lineStart = 0
        var index = scanned
        while index < buffer.count {
            if buffer[index] == 0x0A {
                let line = try buffer.withUnsafeBufferPointer { all in
                    try decodeLine(UnsafeBufferPointer(rebasing: all[lineStart..<index]))
                }
                if let line { events.append(line) }
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart > 0 { buffer.removeFirst(lineStart) }
        try checkLength(buffer.count)
        scanned = buffer.count
        return events
    }

    private func checkLength(_ count: Int) throws(KubernetesError) {
        guard count > maximumLineBytes else { return }
        throw KubernetesError.responseTooLarge(
            "a watch event of more than \(maximumLineBytes) bytes (maximumWatchEventBytes) was refused before it was read whole")
    }

    /// The stream ended: a non-blank remainder is a final event without its newline, or a truncated one.
    package mutating func finish() throws -> WatchEvent? {
        defer {
            buffer = []
            scanned = 0
        }
        return try buffer.withUnsafeBufferPointer { try decodeLine($0) }
    }

    private mutating func decodeLine(_ line: UnsafeBufferPointer<UInt8>) throws -> WatchEvent? {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { return nil }
        try checkLength(line.count)
        decodedBytes += line.count
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw KubernetesError.transport("malformed watch event: \(error)")
        }
        return try Self.event(from: value)
    }

    static func event(from value: JSONValue) throws -> WatchEvent {
        guard let typeName = value["type"]?.stringValue else {
            throw KubernetesError.transport("malformed watch event: no \"type\"")
        }
        guard let type = WatchEvent.EventType(rawValue: typeName) else {
            throw KubernetesError.transport("malformed watch event: unknown type \"\(typeName)\"")
        }
        guard let object = value["object"], case .object = object else {
            throw KubernetesError.transport("malformed watch event: \(typeName) has no object")
        }
        return WatchEvent(type: type, object: object)
    }
}

import CYAML
import KubeModels

/// YAML to `JSONValue` through libyaml's event parser. Anchors and aliases are expanded, `<<`
/// merge keys are applied, and mapping keys become strings (as sigs.k8s.io/yaml does).
public enum YAMLParser {
    /// Every document of a stream (`---` separated); empty documents are skipped.
    public static func parseDocuments(_ text: String) throws(YAMLError) -> [JSONValue] {
        var reader = YAMLEventReader(text)
        defer { reader.close() }
        return try reader.readStream()
    }

    /// Exactly one document; an empty input is `.null`.
    public static func parse(_ text: String) throws(YAMLError) -> JSONValue {
        let documents = try parseDocuments(text)
        guard documents.count <= 1 else {
            throw YAMLError(line: 1, column: 1, message: "expected one document, found \(documents.count)")
        }
        return documents.first ?? .null
    }
}

/// Owns the libyaml parser and the input bytes it reads from.
struct YAMLEventReader {
    /// On the heap, never inside the struct: `yaml_parser_set_input_string` stores a pointer to
    /// the parser in itself, which dangles as soon as Swift moves the struct (release builds do).
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var anchors: [String: JSONValue] = [:]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    mutating func close() {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    mutating func readStream() throws(YAMLError) -> [JSONValue] {
        var documents: [JSONValue] = []
        while true {
            var event = try next()
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_START_EVENT: continue
            case YAML_STREAM_END_EVENT: return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                var first = try next()
                defer { yaml_event_delete(&first) }
                let value = try readNode(startingWith: &first)
                var end = try next()
                yaml_event_delete(&end)
                if value != .null { documents.append(value) }
            default:
                throw error(event, "unexpected event at the top level")
            }
        }
    }

    private mutating func next() throws(YAMLError) -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            let problem = parser.pointee.problem.map { String(cString: $0) } ?? "unknown problem"
            let context = parser.pointee.context.map { String(cString: $0) + ": " } ?? ""
            throw YAMLError(line: Int(parser.pointee.problem_mark.line) + 1, column: Int(parser.pointee.problem_mark.column) + 1, message: context + problem)
        }
        return event
    }

    /// Reads the node that `event` starts; the caller deletes `event`.
    private mutating func readNode(startingWith event: inout yaml_event_t) throws(YAMLError) -> JSONValue {
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor)
            guard let value = anchors[name] else { throw error(event, "unknown alias '*\(name)'") }
            return value
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            let tag = scalar.tag.map { String(cString: $0) }
            let value = YAMLScalar.resolve(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, tag: tag)
            remember(scalar.anchor, value)
            return value
        case YAML_SEQUENCE_START_EVENT:
            let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
            var elements: [JSONValue] = []
            while true {
                var child = try next()
                defer { yaml_event_delete(&child) }
                if child.type == YAML_SEQUENCE_END_EVENT { break }
                elements.append(try readNode(startingWith: &child))
            }
            if let anchor { anchors[anchor] = .array(elements) }
            return .array(elements)
        case YAML_MAPPING_START_EVENT:
            let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
            let value = JSONValue.object(try readMapping())
            if let anchor { anchors[anchor] = value }
            return value
        default:
            throw error(event, "unexpected event inside a document")
        }
    }

    private mutating func readMapping() throws(YAMLError) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        var merged: [String: JSONValue] = [:]
        while true {
            var keyEvent = try next()
            defer { yaml_event_delete(&keyEvent) }
            if keyEvent.type == YAML_MAPPING_END_EVENT { break }
            let isMergeKey = keyEvent.type == YAML_SCALAR_EVENT && keyEvent.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                && string(keyEvent.data.scalar.value) == "<<"
            let keyMark = keyEvent.start_mark
            let key = try readNode(startingWith: &keyEvent)
            var valueEvent = try next()
            defer { yaml_event_delete(&valueEvent) }
            let value = try readNode(startingWith: &valueEvent)
            if isMergeKey {
                // Explicit keys win over merged ones; earlier merged maps win over later ones.
                let sources = value.arrayValue ?? [value]
                for source in sources {
                    guard let object = source.objectValue else {
                        throw YAMLError(line: Int(keyMark.line) + 1, column: Int(keyMark.column) + 1, message: "'<<' must merge a mapping or a list of mappings")
                    }
                    merged.merge(object) { existing, _ in existing }
                }
                continue
            }
            fields[Self.keyString(key)] = value
        }
        return fields.merging(merged) { explicit, _ in explicit }
    }

    /// Non-string keys (`1:`, `true:`) become their JSON text, as sigs.k8s.io/yaml does.
    private static func keyString(_ key: JSONValue) -> String {
        switch key {
        case .string(let text): return text
        case .null: return "null"
        default: return key.jsonString()
        }
    }

    private mutating func remember(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ value: JSONValue) {
        if let anchor { anchors[string(anchor)] = value }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    private func error(_ event: yaml_event_t, _ message: String) -> YAMLError {
        YAMLError(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1, message: message)
    }
}

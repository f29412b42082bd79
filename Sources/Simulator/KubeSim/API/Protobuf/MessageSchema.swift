import KubeModels

/// How a field is encoded on the wire and what it becomes in JSON.
indirect enum FieldKind: Sendable {
    case string
    /// Base64 in JSON, as Go's encoding/json writes `[]byte`.
    case bytes
    case int32
    case int64
    case bool
    /// A nested message, a JSON object.
    case message(MessageSchema)
    /// An embedded Go struct (`json:",inline"`): its fields land in the enclosing object.
    case inline(MessageSchema)
    /// A message JSON renders as a single value (Time, Quantity, IntOrString...). The converter
    /// gets the decoded fields; `.null` means "no value" and leaves the field out.
    case value(MessageSchema, @Sendable ([String: JSONValue]) throws(ProtobufError) -> JSONValue)
    /// `map<string, V>`, a JSON object.
    case map(FieldKind)

    /// Read from a length-delimited run and, when singular, merged across repeats.
    var isMessage: Bool {
        switch self {
        case .message, .inline, .value: true
        case .string, .bytes, .int32, .int64, .bool, .map: false
        }
    }
}

/// When a field appears in JSON, after Go's encoding/json rules for the Go field behind it.
enum Presence: Sendable {
    /// `omitempty` on a non-pointer value: left out when zero ("", 0, false).
    case omitEmpty
    /// No `omitempty`, or a non-pointer struct: always written, the zero value when absent.
    case always
    /// A pointer: written exactly when it was sent, zero or not.
    case pointer
    /// A repeated field (a Go slice): every element kept, written when there is at least one.
    case repeated
}

struct ProtoField: Sendable {
    var number: Int
    /// The JSON name; unused for `.inline` fields.
    var name: String
    var kind: FieldKind
    var presence: Presence

    var repeated: Bool { presence == .repeated }
}

/// One message type: its full name (for error messages) and its fields by number.
struct MessageSchema: Sendable {
    let name: String
    let fields: [Int: ProtoField]

    init(_ name: String, _ fields: [ProtoField]) {
        self.name = name
        self.fields = Dictionary(fields.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func meta(_ name: String, _ fields: [ProtoField]) -> MessageSchema {
        MessageSchema("k8s.io/apimachinery/pkg/apis/meta/v1.\(name)", fields)
    }

    static func core(_ name: String, _ fields: [ProtoField]) -> MessageSchema {
        MessageSchema("k8s.io/api/core/v1.\(name)", fields)
    }

    /// A kind of the usual shape {metadata = 1, spec = 2, status = 3}.
    static func object(
        _ qualified: (String, [ProtoField]) -> MessageSchema, _ name: String, spec: MessageSchema, status: MessageSchema
    ) -> MessageSchema {
        qualified(name, [.message(1, "metadata", MetaSchemas.objectMeta), .message(2, "spec", spec), .message(3, "status", status)])
    }

    static func apps(_ name: String, _ fields: [ProtoField]) -> MessageSchema {
        MessageSchema("k8s.io/api/apps/v1.\(name)", fields)
    }

    static func rbac(_ name: String, _ fields: [ProtoField]) -> MessageSchema {
        MessageSchema("k8s.io/api/rbac/v1.\(name)", fields)
    }
}

// The table vocabulary: one constructor per kind of field; `.repeated` makes any of them a list.
extension ProtoField {
    static func string(_ number: Int, _ name: String, _ presence: Presence = .omitEmpty) -> ProtoField {
        ProtoField(number: number, name: name, kind: .string, presence: presence)
    }

    static func bytes(_ number: Int, _ name: String, _ presence: Presence = .omitEmpty) -> ProtoField {
        ProtoField(number: number, name: name, kind: .bytes, presence: presence)
    }

    static func int32(_ number: Int, _ name: String, _ presence: Presence = .omitEmpty) -> ProtoField {
        ProtoField(number: number, name: name, kind: .int32, presence: presence)
    }

    static func int64(_ number: Int, _ name: String, _ presence: Presence = .omitEmpty) -> ProtoField {
        ProtoField(number: number, name: name, kind: .int64, presence: presence)
    }

    static func bool(_ number: Int, _ name: String, _ presence: Presence = .omitEmpty) -> ProtoField {
        ProtoField(number: number, name: name, kind: .bool, presence: presence)
    }

    /// A nested message; a Go struct value by default (always written), `.pointer` for `*T`,
    /// `.repeated` for `[]T`.
    static func message(_ number: Int, _ name: String, _ schema: MessageSchema, _ presence: Presence = .always) -> ProtoField {
        ProtoField(number: number, name: name, kind: .message(schema), presence: presence)
    }

    static func inline(_ number: Int, _ schema: MessageSchema) -> ProtoField {
        ProtoField(number: number, name: "", kind: .inline(schema), presence: .always)
    }

    static func map(_ number: Int, _ name: String, _ value: FieldKind = .string) -> ProtoField {
        ProtoField(number: number, name: name, kind: .map(value), presence: .omitEmpty)
    }

    static func time(_ number: Int, _ name: String) -> ProtoField {
        ProtoField(number: number, name: name, kind: ValueSchemas.time, presence: .pointer)
    }

    static func quantity(_ number: Int, _ name: String, _ presence: Presence = .always) -> ProtoField {
        ProtoField(number: number, name: name, kind: ValueSchemas.quantity, presence: presence)
    }

    static func intOrString(_ number: Int, _ name: String, _ presence: Presence = .omitEmpty) -> ProtoField {
        ProtoField(number: number, name: name, kind: ValueSchemas.intOrString, presence: presence)
    }
}

/// Why a protobuf body could not be turned into JSON: the bytes are broken (400), or they are
/// well-formed but hold something kubesim has no table for (415). kubesim never drops data it
/// does not understand, so the second case is an error too.
struct ProtobufError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case malformed
        case unsupported
    }

    var kind: Kind
    var message: String
    /// The innermost message type being read when the bytes turned out broken.
    var messageType: String?

    static func malformed(_ message: String) -> ProtobufError {
        ProtobufError(kind: .malformed, message: message)
    }

    static func unsupported(_ message: String) -> ProtobufError {
        ProtobufError(kind: .unsupported, message: message)
    }

    /// Names the message type a malformed error happened in; the innermost one wins.
    func within(_ messageType: String) -> ProtobufError {
        guard kind == .malformed, self.messageType == nil else { return self }
        var located = self
        located.messageType = messageType
        return located
    }

    var description: String {
        guard let messageType else { return message }
        return "\(message) (reading \(messageType))"
    }

    /// The Status the API answers with.
    var statusError: StatusError {
        switch kind {
        case .malformed: .badRequest("the protobuf request body is malformed: \(description)")
        case .unsupported: .unsupportedMediaType(description)
        }
    }
}

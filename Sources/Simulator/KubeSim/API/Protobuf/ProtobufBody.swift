import KubeModels

/// Request bodies in `application/vnd.kubernetes.protobuf`, as kubectl sends built-in kinds,
/// turned into the JSON object a JSON client would have sent.
enum ProtobufBody {
    static let mediaType = "application/vnd.kubernetes.protobuf"

    static func isProtobuf(contentType: String) -> Bool {
        contentType.lowercased().hasPrefix(mediaType)
    }

    static func decode(_ body: [UInt8]) throws(ProtobufError) -> JSONValue {
        let envelope = try KubernetesEnvelope.parse(body)
        guard envelope.contentEncoding.isEmpty else {
            throw .unsupported("kubesim cannot read protobuf bodies with content encoding \"\(envelope.contentEncoding)\"; send JSON")
        }
        guard envelope.contentType.isEmpty || isProtobuf(contentType: envelope.contentType) else {
            throw .unsupported("kubesim cannot read a protobuf envelope holding \"\(envelope.contentType)\"; send JSON")
        }
        guard !envelope.kind.isEmpty, !envelope.apiVersion.isEmpty else {
            throw .malformed("the protobuf envelope does not name the object's apiVersion and kind")
        }
        guard let schema = KindSchemas.schema(apiVersion: envelope.apiVersion, kind: envelope.kind) else {
            throw .unsupported("kubesim cannot decode protobuf for kind \(envelope.kind) (\(envelope.apiVersion)); send JSON")
        }
        var object = try ProtobufToJSON.object(envelope.raw, as: schema)
        object["apiVersion"] = .string(envelope.apiVersion)
        object["kind"] = .string(envelope.kind)
        return .object(object)
    }
}

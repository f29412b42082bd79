/// The wrapper Kubernetes puts around every protobuf object: the magic bytes `k8s\0`, then a
/// `runtime.Unknown` {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3,
/// contentType = 4} whose `raw` is the object's own message.
struct KubernetesEnvelope: Sendable {
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]
    static let unknownName = "k8s.io/apimachinery/pkg/runtime.Unknown"
    static let typeMeta = MessageSchema(
        "k8s.io/apimachinery/pkg/runtime.TypeMeta", [.string(1, "apiVersion"), .string(2, "kind")])

    var apiVersion = ""
    var kind = ""
    var raw: ArraySlice<UInt8> = []
    var contentEncoding = ""
    var contentType = ""

    static func parse(_ body: [UInt8]) throws(ProtobufError) -> KubernetesEnvelope {
        guard body.count >= magic.count, body.prefix(magic.count).elementsEqual(magic) else {
            throw .malformed(#"the body does not start with the Kubernetes protobuf prefix "k8s\0" (6b 38 73 00)"#)
        }
        var envelope = KubernetesEnvelope()
        var reader = ProtobufReader(body[magic.count...])
        do throws(ProtobufError) {
            while !reader.isAtEnd {
                let tag = try reader.readTag()
                guard (1...4).contains(tag.field) else {
                    throw .unsupported("protobuf field \(tag.field) of \(unknownName) is not understood by kubesim; send JSON")
                }
                guard tag.wireType == .lengthDelimited else {
                    throw .malformed("field \(tag.field) of \(unknownName) has wire type \(tag.wireType), expected length-delimited")
                }
                let value = try reader.readLengthDelimited()
                switch tag.field {
                case 1:
                    let meta = try ProtobufToJSON.object(value, as: typeMeta)
                    envelope.apiVersion = meta["apiVersion"]?.stringValue ?? ""
                    envelope.kind = meta["kind"]?.stringValue ?? ""
                case 2: envelope.raw = value
                case 3: envelope.contentEncoding = try text(value, field: 3)
                default: envelope.contentType = try text(value, field: 4)
                }
            }
        } catch {
            throw error.within(unknownName)
        }
        return envelope
    }

    private static func text(_ bytes: ArraySlice<UInt8>, field: Int) throws(ProtobufError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformed("field \(field) of \(unknownName) is not valid UTF-8")
        }
        return text
    }
}

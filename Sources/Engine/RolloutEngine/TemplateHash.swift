import KubeModels

/// Revision names: a stable hash of the pod template with the image applied.
///
/// The template is serialized as canonical JSON (object keys sorted, no whitespace), so the
/// revision never depends on the key order a client happened to send; then FNV-1a (32 bit), then
/// rendered like the Deployment controller's `pod-template-hash`: the decimal digits of the hash
/// mapped through `rand.SafeEncodeString`'s alphabet (no vowels, no look-alike digits), so a
/// revision is a valid label value and name suffix that never spells a word.
public enum TemplateHash {
    public static let safeAlphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    /// FNV-1a, 32 bit.
    public static func fnv1a32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// `rand.SafeEncodeString(fmt.Sprint(value))`.
    public static func safeEncode(_ value: UInt32) -> String {
        let digits = Array(String(value).utf8)
        return String(decoding: digits.map { safeAlphabet[Int($0) % safeAlphabet.count] }, as: UTF8.self)
    }

    /// The revision of a template (already carrying its image).
    public static func revision(of template: JSONValue) -> String {
        safeEncode(fnv1a32(template.serialized(sortedKeys: true)))
    }
}

extension ReleaseSpec {
    /// The revision this spec releases.
    public var revision: String { TemplateHash.revision(of: templateWithImage) }
}

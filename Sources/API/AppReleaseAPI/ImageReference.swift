/// The one digest rule, shared by the engine's validation and `kubectl apprelease set-image`, and
/// identical to the CRD's pattern for `spec.image`:
/// `^[a-z0-9]+([._/:-][a-z0-9]+)*@sha256:[0-9a-f]{64}$`.
///
/// Digests are required because a tag can be moved to other content: a release, and a revert to
/// it, must run exactly the bytes that ran before.
public enum ImageReference {
    public static let digestAlgorithm = "sha256"
    public static let digestHexLength = 64

    public static func isDigestPinned(_ image: String) -> Bool {
        digestProblem(image) == nil
    }

    /// Why `image` is not pinned by digest, in a few words (`has a tag ("1.25") but no digest`);
    /// nil when it is.
    public static func digestProblem(_ image: String) -> String? {
        if image.isEmpty { return "is empty" }
        let parts = image.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            if parts.count > 2 { return "has more than one \"@\"" }
            if let tag = tag(of: image) { return "has a tag (\"\(tag)\") but no digest" }
            return "has no digest"
        }
        if let problem = nameProblem(parts[0]) { return problem }
        let digest = parts[1]
        guard digest.hasPrefix(digestAlgorithm + ":") else {
            return "has digest \"\(digest)\": only \(digestAlgorithm):<\(digestHexLength) hex> digests are accepted"
        }
        let hex = digest.dropFirst(digestAlgorithm.count + 1)
        guard hex.allSatisfy(isLowercaseHex) else {
            return "has a digest that is not lowercase hexadecimal"
        }
        guard hex.count == digestHexLength else {
            return "has a digest of \(hex.count) hex characters; a \(digestAlgorithm) digest has \(digestHexLength)"
        }
        return nil
    }

    /// The CRD's name part: lowercase alphanumeric runs joined by single `.`, `_`, `/`, `:` or `-`
    /// (`:` for a registry port or a tag kept next to the digest).
    private static func nameProblem(_ name: Substring) -> String? {
        if name.isEmpty { return "has no repository name before \"@\"" }
        let separators: Set<Character> = [".", "_", "/", ":", "-"]
        var previousWasSeparator = true  // a name may not start with a separator
        for character in name {
            if separators.contains(character) {
                if previousWasSeparator { return "has a malformed repository name \"\(name)\"" }
                previousWasSeparator = true
            } else if ("a"..."z").contains(character) || ("0"..."9").contains(character) {
                previousWasSeparator = false
            } else {
                return "has a repository name \"\(name)\" with \"\(character)\": only lowercase letters, digits and . _ - / : are allowed"
            }
        }
        return previousWasSeparator ? "has a malformed repository name \"\(name)\"" : nil
    }

    /// The tag of a reference without a digest: what follows the last `:` of the last path segment.
    private static func tag(of image: String) -> Substring? {
        let lastSegment = image.split(separator: "/").last ?? Substring(image)
        guard let colon = lastSegment.lastIndex(of: ":") else { return nil }
        let tag = lastSegment[lastSegment.index(after: colon)...]
        return tag.isEmpty ? nil : tag
    }

    private static func isLowercaseHex(_ character: Character) -> Bool {
        ("0"..."9").contains(character) || ("a"..."f").contains(character)
    }
}

import AppReleaseAPI
import Testing

@Suite("Digest rule")
struct ImageReferenceTests {
    static let hex = String(repeating: "0123456789abcdef", count: 4)

    @Test(arguments: [
        "ghcr.io/acme/web@sha256:\(hex)", "registry:5000/a/api@sha256:\(hex)", "web@sha256:\(hex)",
        "ghcr.io/acme/web:1.4.2@sha256:\(hex)",
    ])
    func pinned(_ image: String) {
        #expect(ImageReference.isDigestPinned(image))
        #expect(ImageReference.digestProblem(image) == nil)
    }

    @Test(arguments: [
        ("web:latest", "has a tag (\"latest\") but no digest"),
        ("registry:5000/web", "has no digest"),
        ("web@sha256:abc", "has a digest of 3 hex characters; a sha256 digest has 64"),
        ("web@sha256:\(String(repeating: "A", count: 64))", "has a digest that is not lowercase hexadecimal"),
        ("web@sha512:\(hex)", "only sha256:<64 hex> digests are accepted"),
        ("Web@sha256:\(hex)", "only lowercase letters, digits and . _ - / : are allowed"),
        ("a//b@sha256:\(hex)", "has a malformed repository name \"a//b\""),
        ("@sha256:\(hex)", "has no repository name before \"@\""),
        ("", "is empty"),
    ])
    func refused(_ image: String, _ problem: String) throws {
        let found = try #require(ImageReference.digestProblem(image))
        #expect(found.contains(problem), "\(found)")
    }
}

import AppReleaseAPI
import ArgumentParser
import KubeModels

struct SetImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-image",
        abstract: "Release a new image: set spec.image to a digest-pinned reference.",
        discussion: """
            Patches spec.image (a JSON merge patch: nothing else in the spec changes). The image \
            must be pinned by digest, name@sha256:<64 hex>: a tag can be moved to other content, \
            and a release, or a revert to it, must run exactly what ran before.

            Examples:
              kubectl apprelease set-image web ghcr.io/acme/web@sha256:4f1c…e9 -n shop
              # Find a tag's digest first, then release it and wait for the verdict:
              kubectl apprelease set-image web "ghcr.io/acme/web@$(crane digest ghcr.io/acme/web:1.4.2)"
              kubectl apprelease status web --wait

            Exit status: 0 patched; 3 not found or the cluster refused the call; 64 the image is \
            not pinned by digest.
            """)

    @Argument(help: "The AppRelease to release the image into.")
    var name: String

    @Argument(help: "The image, pinned by digest: name@sha256:<64 hex>.")
    var image: String

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if let problem = ImageReference.digestProblem(image) {
            throw ValidationError(Self.refusal(image: image, problem: problem))
        }
    }

    /// Why a reference is refused, and what to do instead.
    static func refusal(image: String, problem: String) -> String {
        """
        image "\(image)" \(problem). AppRelease images must be pinned by digest \
        (name@sha256:<64 hex>): a tag can be moved to other content, and a release, or a revert \
        to it, must run exactly what ran before. Resolve the tag to its digest (e.g. \
        `crane digest IMAGE:TAG` or `docker buildx imagetools inspect IMAGE:TAG`) and pass NAME@sha256:DIGEST.
        """
    }

    func run() async throws {
        let context = try cluster.connect()
        try await context.mergePatch(name, ["spec": ["image": .string(image)]])
        print("\(AppReleaseObject.reference(name)) image updated")
    }
}

import ArgumentParser
import KubeModels

struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Release an earlier image again, from the AppRelease's history.",
        discussion: """
            Without --to-revision: the newest release that Succeeded with an image other than the \
            current one (usually the stable revision before the latest release). With \
            --to-revision N: the revision numbered N in `kubectl apprelease history` (its \
            ReplicaSet's apprelease.dev/revision-number, as `kubectl rollout undo --to-revision` \
            counts a Deployment's revisions; a revision released again takes the next number).

            Undo patches spec.image to that revision's digest, and only if spec.image still holds \
            what undo read (a JSON patch with a test). The image is released with the current \
            template: if the template changed since, that makes a new revision. Its ReplicaSet \
            is reused otherwise, so the revert is instant.

            Examples:
              kubectl apprelease undo web -n shop
              kubectl apprelease history web
              kubectl apprelease undo web --to-revision 3

            Exit status: 0 released (or the revision already runs); 1 no earlier successful \
            release, or no revision N; 3 not found or the cluster refused the call.
            """)

    @Argument(help: "The AppRelease to undo.")
    var name: String

    @Option(help: "The revision number to release again, as `history` shows it (default: the previous successful release).")
    var toRevision: Int?

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if let toRevision, toRevision < 1 { throw ValidationError("--to-revision must be 1 or more (revision numbers start at 1)") }
    }

    func run() async throws {
        let context = try cluster.connect()
        let reference = AppReleaseObject.reference(name)
        let json = try await context.appRelease(name)
        let object = AppReleaseObject(json)
        let records = try await RevisionRecord.load(context, for: json)
        let rows = HistoryRow.rows(status: object.status, records: records)
        switch UndoTarget.choose(currentImage: object.image, rows: rows, records: records, toRevision: toRevision) {
        case .failure(let refusal):
            throw PluginError.requestNotApplied("\(reference): \(refusal)")
        case .success(.alreadyCurrent(let target)):
            print("\(reference) skipped rollback (revision \(Self.label(target)) already runs \(target.image))")
        case .success(.release(let target)):
            do {
                try await context.jsonPatch(name, [
                    ["op": "test", "path": "/spec/image", "value": .string(object.image)],
                    ["op": "replace", "path": "/spec/image", "value": .string(target.image)],
                ])
            } catch PluginError.invalid(_, let message) {
                throw PluginError.requestNotApplied(
                    "\(reference): spec.image changed while undo chose its target, nothing was patched; run undo again (\(message))")
            }
            print("\(reference) rolled back to revision \(Self.label(target)): \(target.image)")
        }
    }

    /// The revision as `history` names it: its number, else (its ReplicaSet gone) its hash.
    static func label(_ target: UndoTarget) -> String {
        target.number.map(String.init) ?? target.revision
    }
}

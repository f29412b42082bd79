import ArgumentParser
import KubeModels

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List an AppRelease's releases: revision, image, outcome, when and why.",
        discussion: """
            One row per release in status.history (the last 10), oldest first, and the release in \
            flight last. REVISION is the revision's number (its ReplicaSet's \
            apprelease.dev/revision-number), which `undo --to-revision` takes; a revision \
            released again takes the next number, and every row of it shows that number; \
            <none> when its ReplicaSet is gone (beyond revisionHistoryLimit). HASH is the \
            revision (the pod template hash with the image applied).

            Examples:
              kubectl apprelease history web -n shop
              kubectl apprelease history web -o json | jq -r '.[] | select(.outcome == "Succeeded") | .image'

            Exit status: 0 listed; 3 not found or the cluster refused the call.
            """)

    @Argument(help: "The AppRelease.")
    var name: String

    @Option(name: [.short, .long], help: "Output format: json or yaml (default: a table).")
    var output: OutputFormat?

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let context = try cluster.connect()
        let json = try await context.appRelease(name)
        let rows = HistoryRow.rows(status: AppReleaseObject(json).status, records: try await RevisionRecord.load(context, for: json))
        if let output {
            print(output.render(.array(rows.map(\.json))), terminator: "")
        } else if rows.isEmpty {
            StandardError.print("No releases recorded for \(AppReleaseObject.reference(name)) yet.")
        } else {
            print(HistoryTable.render(rows), terminator: "")
        }
    }
}

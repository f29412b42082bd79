import ArgumentParser
import KubeModels

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List AppReleases: strategy, phase, canary step, ready pods, serving and target image.",
        discussion: """
            STEP is the canary step being run out of all (2/5); READY is available pods out of \
            spec.replicas; SERVING is the stable revision's image (the last release that \
            became fully available: what serves, and the revert target); TARGET is \
            spec.image. Both are shortened to name@<12 hex of the digest>. They differ \
            during a release, and after a failed one, which was reverted to SERVING.

            Examples:
              kubectl apprelease list -n shop
              kubectl apprelease list --all-namespaces
              kubectl apprelease list -A -o json | jq -r '.items[] | select(.status.phase == "RolledBack") | .metadata.name'

            Exit status: 0 listed; 3 the cluster refused the call (or does not serve AppReleases).
            """)

    @Flag(name: [.customShort("A"), .long], help: "List AppReleases of every namespace.")
    var allNamespaces = false

    @Option(name: [.short, .long], help: "Output format: json or yaml (default: a table).")
    var output: OutputFormat?

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let context = try cluster.connect()
        let items = try await context.appReleases(allNamespaces: allNamespaces).sorted {
            ($0.meta.namespace, $0.meta.name) < ($1.meta.namespace, $1.meta.name)
        }
        if let output {
            // kubectl's shape for a list of objects, so the same jq works on both.
            let list: JSONValue = ["apiVersion": "v1", "kind": "List", "metadata": ["resourceVersion": ""], "items": .array(items)]
            print(output.render(list), terminator: "")
        } else if items.isEmpty {
            StandardError.print(allNamespaces ? "No resources found" : "No resources found in \(context.namespace) namespace.")
        } else {
            print(ListTable.render(items.map(AppReleaseObject.init), allNamespaces: allNamespaces), terminator: "")
        }
    }
}

import AppReleaseAPI
import ArgumentParser
import Foundation
import KubeModels

/// `kubectl apprelease get NAME [--watch] [-o json|yaml]`: the release as an SRE reads it.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show a release: phase, step, revisions and their pods, conditions, events.",
        discussion: """
            Shows the phase and message; the strategy with its step and weights (and \
            where the Services and HTTPRoute it names send traffic); the current and \
            stable revisions; each revision's ReplicaSet with its image, desired / ready \
            / available pods and each pod's status and restarts; the conditions that are \
            not in their normal state; and the last Events.

            With --watch the view is drawn again whenever it changes (driven by watches, \
            not polling): in place on a terminal, appended in full otherwise (a pipe, a \
            CI log).

            Examples:
              # The release of web
              kubectl apprelease get web

              # Follow it through its steps (Ctrl-C to stop)
              kubectl apprelease get web --watch -n shop

              # The AppRelease object itself
              kubectl apprelease get web -o yaml
            """)

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: "The AppRelease.")
    var name: String

    @Flag(name: [.short, .long], help: "Draw the view again after every change, until interrupted or the AppRelease is deleted.")
    var watch = false

    @Option(name: [.short, .long], help: "Print the AppRelease object instead: json or yaml.")
    var output: OutputFormat?

    func run() async throws {
        let console = Console.standard
        try await ErrorReporting.run(console: console) {
            let context = try cluster.connect()
            switch (output, watch) {
            case (let format?, false):
                console.out(format.render(try await context.appRelease(name)))
            case (let format?, true):
                try await printObjectChanges(context, format: format, console: console)
            case (nil, false):
                let objects = try await ReleaseObjects.load(context, name: name)
                console.out(ReleaseViewRenderer.render(ReleaseView(objects), now: Date()))
            case (nil, true):
                try await LiveReleaseView(context: context, name: name, display: ViewDisplay(console: console)).run()
            }
        }
    }

    /// `-o json|yaml --watch`: each new version of the object, as `kubectl get -o yaml -w` prints them.
    private func printObjectChanges(_ context: PluginContext, format: OutputFormat, console: Console) async throws {
        _ = try await context.appRelease(name)  // a missing AppRelease is an error, as without --watch
        var printed: String?
        let watch = ResumingWatch(
            api: context.api, resource: .appReleases, namespace: context.namespace, fieldSelector: ReleaseSelectors.appRelease(name))
        try await watch.run(
            onChange: { items in
                guard let object = items[name] else { return false }
                let version = object.meta.resourceVersion
                guard version != printed else { return true }
                console.out((printed != nil && format == .yaml ? "---\n" : "") + format.render(object))
                printed = version
                return true
            },
            onInterruption: { error in console.err("warning: watch interrupted (\(error)); resuming\n") })
    }
}

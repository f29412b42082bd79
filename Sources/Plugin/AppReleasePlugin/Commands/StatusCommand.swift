import AppReleaseAPI
import ArgumentParser
import KubeModels
import RolloutEngine

/// `kubectl apprelease status NAME [--wait] [--timeout 10m]`: the verdict CI acts on.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Tell whether a release is ready, failed or in progress; --wait for CI.",
        discussion: """
            Only a status written for the spec as it is now counts: until the controller has \
            observed the AppRelease's generation (status.observedGeneration, and the Ready \
            condition's observedGeneration), the release is in progress, so a Ready left \
            from the previous release never passes for the one just patched in.

            Exit codes:
              0  ready: Ready=True for the current generation.
              1  failed: Degraded=True or phase RolledBack/Degraded (crash loop, image
                 pull error, progress deadline, abort), InvalidSpec=True, or
                 Stalled=True for any reason but a missing object. The reason is
                 printed, with the failed revision's container states.
              2  no verdict: without --wait, the release is still in progress; with
                 --wait, the timeout passed. A release blocked on a missing Service,
                 HTTPRoute, backendRef or Gateway API is in progress: creating the
                 object resumes it at once.
              3  the cluster could not be reached, or the AppRelease does not exist.

            While waiting, a line is printed each time it changes, e.g.
              web: revision 5d6d7bdfdf 2/3 available (canary 25%, step 2/5)

            Examples:
              # CI: release a digest, then wait for it (at most 10m, the default)
              kubectl patch ar web --type merge -p '{"spec":{"image":"…@sha256:…"}}'
              kubectl apprelease status web --wait

              # Another limit (0: no limit)
              kubectl apprelease status web --wait --timeout 3m

              # The verdict now, without waiting (exit 2 while the release runs)
              kubectl apprelease status web -n shop
            """)

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: "The AppRelease.")
    var name: String

    @Flag(name: [.short, .long], help: "Wait until the release is ready or failed, or --timeout passes.")
    var wait = false

    @Option(help: "How long --wait waits, e.g. 90s, 10m, 1h30m; 0 waits without a limit.")
    var timeout = "10m"

    /// `--timeout` as a duration; nil for no limit.
    var timeoutDuration: Duration? {
        get throws {
            if timeout == "0" { return nil }
            let seconds = try DurationParser.seconds(timeout)
            return seconds == 0 ? nil : .seconds(seconds)
        }
    }

    func validate() throws {
        do {
            _ = try timeoutDuration
        } catch {
            throw ValidationError("--timeout: \(error)")
        }
    }

    func run() async throws {
        let console = Console.standard
        try await ErrorReporting.run(console: console) {
            let context = try cluster.connect()
            let object: JSONValue
            let verdict: ReleaseVerdict
            if wait {
                let waiter = StatusWaiter(api: context.api, namespace: context.namespace, name: name)
                switch try await waiter.wait(timeout: try timeoutDuration, report: { Self.report($0, console: console) }) {
                case .final(let final, let appRelease):
                    verdict = final
                    object = appRelease
                case .timedOut(_, let line):
                    console.err("error: timed out after \(timeout) waiting for \(name)" + (line.map { ": \($0)" } ?? "") + "\n")
                    throw ExitCode.timedOut
                case .deleted:
                    console.err("error: appreleases.\(AppReleaseAPI.group) \"\(name)\" was deleted while waiting\n")
                    throw ExitCode.clusterError
                }
            } else {
                object = try await context.appRelease(name)
                let appRelease = ObservedAppRelease(json: object)
                verdict = ReleaseVerdict(appRelease)
                console.out(ProgressLine.make(appRelease, verdict: verdict) + "\n")
            }
            if verdict.outcome == .failed {
                for line in await FailureDetails.load(context.api, namespace: context.namespace, appRelease: object) {
                    console.out(line + "\n")
                }
            }
            if verdict.exitCode != 0 { throw ExitCode(verdict.exitCode) }
        }
    }

    private static func report(_ report: StatusWaiter.Report, console: Console) {
        switch report {
        case .line(let line): console.out(line + "\n")
        case .interrupted(let error): console.err("warning: watch interrupted (\(error)); resuming\n")
        }
    }
}

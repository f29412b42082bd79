import Foundation
import KubeClient
import KubeModels

/// One run: kubesim, the CRDs, the fleet and its rollout by a first operator process, then the
/// selected scenarios in order (startup restarts the operator; every other scenario runs on the
/// process of the moment), then the checks of the end state.
struct BenchRun {
    let settings: BenchSettings

    func execute() async throws -> BenchReport {
        let kubesim = try await KubeSimProcess.start(settings)
        let context: BenchContext
        do {
            context = try BenchContext(settings: settings, kubesim: kubesim)
        } catch {
            await kubesim.stop()
            throw error
        }
        do {
            let report = try await execute(context)
            await stop(context)
            return report
        } catch {
            await stop(context)
            throw error
        }
    }

    private func stop(_ context: BenchContext) async {
        _ = await context.operatorProcess?.stop()
        await context.watch.stop()
        context.client.shutdown()
        await context.kubesim.stop()
    }

    private func execute(_ context: BenchContext) async throws -> BenchReport {
        let say = BenchContext.say
        let count = settings.releases
        try await installCRDs(context.client)
        await context.watch.start()
        say("creating \(count) AppReleases and their Services")
        let (image, createSeconds) = try await context.createFleet()
        say("rolling out the fleet (the operator's first start)")
        var fleet = try await context.rollOut(image: image, createSeconds: createSeconds)

        var startup: BenchReport.Startup?
        if settings.runs(.startup) {
            say("1 startup: the operator restarted over the settled fleet")
            if let first = await context.operatorProcess?.stop() {
                fleet.operatorPeakResidentBytes = first.peakResidentBytes
                fleet.operatorCPUSeconds = first.cpuSeconds
            }
            context.operatorProcess = nil
            startup = try await context.measureStartup(number: 2)
        }
        var idle: BenchReport.Idle?
        if settings.runs(.idle) {
            say("2 idle: \(Int(settings.idleWindow.seconds)) s")
            idle = try await context.measureIdle()
        }
        var single: BenchReport.Releases?
        if settings.runs(.single) {
            say("3 single release: \(settings.samples), one at a time")
            single = try await context.measureSingleReleases()
        }
        var massRolling: BenchReport.Releases?
        if settings.runs(.massRolling) {
            say("4 mass release, Rolling: all \(count) at once")
            massRolling = try await context.measureMassRelease(canary: false)
        }
        var massCanary: BenchReport.Releases?
        if settings.runs(.massCanary) {
            say("4 mass release, Canary (\(FleetManifests.canaryDescription)): all \(count) at once")
            massCanary = try await context.measureMassRelease(canary: true)
        }
        var revert: BenchReport.Releases?
        if settings.runs(.revert) {
            say("5 revert: \(settings.reverts) patched to a crash digest")
            revert = try await context.measureRevert()
        }

        let operatorUsage = context.operatorProcess?.usage
        let kubesimUsage = context.kubesim.usage
        let driverUsage = ProcessUsage.current()
        // The clean-up follows the last release: a revision beyond revisionHistoryLimit (1) goes
        // once its pods have. Waited for (bounded) so the end check reads a settled fleet; what
        // is still there after the wait is reported as it is.
        try? await context.waitForAll("revisions beyond revisionHistoryLimit deleted", context.names, timeout: .seconds(60)) { name in
            (context.watch.replicaSetsPerApp([name]).keys.first ?? 0) <= 2
        }
        let replicaSets = context.watch.replicaSetsPerApp(context.names)
        return BenchReport(
            setup: BenchReport.Setup(
                releases: count, replicas: settings.replicas, strategy: "Rolling: maxSurge 1, maxUnavailable 0",
                canary: FleetManifests.canaryDescription, podReadyDelayMs: settings.podReadyDelayMs,
                operatorArguments: OperatorProcess.arguments(settings),
                scenarios: Scenario.allCases.filter(settings.runs).map(\.rawValue)),
            fleet: fleet, startup: startup, idle: idle, singleRelease: single, massRolling: massRolling, massCanary: massCanary,
            revert: revert,
            processes: BenchReport.ProcessTotals(
                operatorPeakResidentBytes: operatorUsage?.peakResidentBytes ?? 0, operatorCPUSeconds: operatorUsage?.cpuSeconds ?? 0,
                kubesimPeakResidentBytes: kubesimUsage?.peakResidentBytes ?? 0, kubesimCPUSeconds: kubesimUsage?.cpuSeconds ?? 0,
                driverPeakResidentBytes: driverUsage?.peakResidentBytes ?? 0, driverCPUSeconds: driverUsage?.cpuSeconds ?? 0),
            checks: BenchReport.Checks(
                readyAtEnd: context.names.filter { context.watch.view(of: $0)?.isReady == true }.count,
                replicaSetsPerAppReleaseAtEnd: Dictionary(uniqueKeysWithValues: replicaSets.map { (String($0.key), $0.value) })))
    }

    /// The AppRelease CRD, as `kubectl apply -f crds/` installs it.
    private func installCRDs(_ client: KubernetesClient) async throws {
        let directory = URL(fileURLWithPath: settings.crdDirectory)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []
        var installed = 0
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for document in try YAMLParser.parseDocuments(text) where document["kind"]?.stringValue == "CustomResourceDefinition" {
                try await client.create(.customResourceDefinitions, namespace: nil, object: document)
                installed += 1
            }
        }
        guard installed > 0 else {
            throw BenchError("no CustomResourceDefinition in \(settings.crdDirectory)/*.yaml (run from the repository, or pass --crds)")
        }
    }
}

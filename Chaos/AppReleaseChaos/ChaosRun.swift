import AppReleaseAPI
import Foundation
import KubeClient
import KubeModels
import KubeSim
import Synchronization
import TestSupport

/// One chaos run: kubesim here, two operator replicas beside it, the driver, the faults and the
/// checker together for the run's length; then the faults stop and every release in flight
/// must end; then the report.
struct ChaosRun {
    let settings: ChaosSettings

    func execute() async throws -> ChaosReport {
        var options = KubeSimOptions()
        // Pods take a second to become ready, so that releases are still moving when faults hit.
        options.podReadyDelay = .seconds(1)
        let sim = try await KubeSim.start(options)
        let kubeconfig = settings.logDirectory + "/kubeconfig"
        let replicas = OperatorReplicas(settings: settings, kubeconfig: kubeconfig)
        do {
            let report = try await execute(sim: sim, replicas: replicas, kubeconfig: kubeconfig)
            await replicas.stopAll()
            await sim.shutdown()
            return report
        } catch {
            await replicas.stopAll()
            await sim.shutdown()
            throw error
        }
    }

    private func execute(sim: KubeSim, replicas: OperatorReplicas, kubeconfig: String) async throws -> ChaosReport {
        try sim.writeKubeconfig(to: kubeconfig)
        var configuration = try ClientConfiguration(kubeconfig: try KubeconfigLoader.parse(sim.kubeconfig(), file: "kubesim"))
        configuration.userAgent = "apprelease-chaos/driver"
        let client = try KubernetesClient(configuration: configuration)
        try await installCRDs(client)

        var seeds = SeededGenerator(seed: settings.seed)
        let tally = ChaosTally()
        let ledger = Ledger(ChaosDriver.initialFleet(size: settings.apps))
        let driver = ChaosDriver(client: client, sim: sim, ledger: ledger, tally: tally, settings: settings, seed: seeds.next())
        try replicas.replenish()
        try await driver.createFleet()

        let checking = Mutex(true)
        let checker = Task { [settings] in
            var checker = InvariantChecker(sim: sim, ledger: ledger, tally: tally, settings: settings)
            while checking.withLock({ $0 }) {
                checker.tick()
                try? await Task.sleep(for: .milliseconds(250))
            }
            checker.tick()
            checker.checkPermissions()
        }
        let promoter = Task { await driver.promoteWaiting() }

        let workStarted = ContinuousClock.now
        let end = workStarted + settings.duration
        var schedule = FaultSchedule(sim: sim, replicas: replicas, tally: tally, settings: settings, random: SeededGenerator(seed: seeds.next()))
        async let faults: Void = schedule.run(until: end)
        await driver.run(until: end)
        await faults
        sim.faults.reset()
        try replicas.replenish()

        // Every release still in flight must end, faults over.
        let settleStarted = ContinuousClock.now
        let settleLimit = settleStarted + .seconds(AppManifests.progressDeadlineSeconds) + settings.releaseBound + .seconds(10)
        while ledger.all.contains(where: \.inFlight) && ContinuousClock.now < settleLimit {
            try await Task.sleep(for: .milliseconds(500))
        }
        // A few more ticks for what follows the last release (clean-up, the last status write).
        try await Task.sleep(for: settings.cleanupBound / 2)
        let settled = ContinuousClock.now - settleStarted
        checking.withLock { $0 = false }
        await checker.value
        promoter.cancel()
        await promoter.value

        return ChaosReport(
            settings: settings, tally: tally.snapshot, workDuration: settleStarted - workStarted, settleDuration: settled,
            injectedFailures: sim.faults.injectedFailures, requests: sim.requestCount, replicasStarted: replicas.replicasStarted,
            fleet: ledger.all)
    }

    /// Ours, and the Gateway API's HTTPRoute (the upstream CRD the tests use), as a cluster
    /// with a Gateway controller has it.
    private func installCRDs(_ client: KubernetesClient) async throws {
        let directory = URL(fileURLWithPath: settings.crdDirectory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var texts = try files.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
        guard texts.contains(where: { $0.contains("kind: CustomResourceDefinition") }) else {
            throw ChaosError("no CustomResourceDefinition in \(settings.crdDirectory)/*.yaml (run from the repository, or pass --crds)")
        }
        texts.append(try GatewayAPIFixture.httpRouteCRD())
        for text in texts {
            for document in try YAMLParser.parseDocuments(text) where document["kind"]?.stringValue == "CustomResourceDefinition" {
                try await client.create(.customResourceDefinitions, namespace: nil, object: document)
            }
        }
    }
}

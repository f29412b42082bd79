import KubeClient
import KubeModels

extension BenchContext {
    /// Creates every Service and AppRelease before any operator runs; returns the image they run.
    func createFleet() async throws -> (image: String, seconds: Double) {
        let start = ContinuousClock.now
        let image = Digests.good(nextSerial())
        _ = try await concurrently(names) { [client, settings] name in
            try await client.create(.services, namespace: settings.namespace, object: FleetManifests.service(name, namespace: settings.namespace))
            try await client.create(
                .appReleases, namespace: settings.namespace,
                object: FleetManifests.appRelease(name, image: image, replicas: settings.replicas, namespace: settings.namespace))
        }
        return (image, (ContinuousClock.now - start).seconds)
    }

    /// The operator's first start over the new fleet: every AppRelease observed, then Ready.
    func rollOut(image: String, createSeconds: Double) async throws -> BenchReport.FleetRollout {
        let before = try await probe()
        let process = try OperatorProcess.start(settings, kubeconfigPath: kubesim.kubeconfigPath, number: 1)
        operatorProcess = process
        // Known from here on, so the probes read the operator's metrics.
        _ = try await process.metricsPort()
        let timeout = settings.timeout(releasing: names.count)
        try await waitForAll("AppReleases observed", names, timeout: timeout) { watch.observedTime(of: $0) != nil }
        try await waitForAll("AppReleases Ready", names, timeout: timeout) { watch.readyTime(of: $0, image: image) != nil }
        let lastObserved = names.compactMap { watch.observedTime(of: $0) }.max() ?? process.startedAt
        let lastReady = names.compactMap { watch.readyTime(of: $0, image: image) }.max() ?? process.startedAt
        try await settle()
        let cost = ScenarioCost(from: before, to: try await probe())
        return BenchReport.FleetRollout(
            createSeconds: createSeconds, allObservedSeconds: (lastObserved - process.startedAt).seconds,
            allReadySeconds: (lastReady - process.startedAt).seconds,
            requestsPerRelease: Double(cost.operatorRequests.total) / Double(names.count), cost: cost,
            operatorPeakResidentBytes: cost.operatorPeakResidentBytes, operatorCPUSeconds: cost.operatorCPUSeconds)
    }
}

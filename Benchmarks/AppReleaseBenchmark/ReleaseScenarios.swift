import KubeClient

extension BenchContext {
    /// One digest patch at a time among the idle fleet, each waited for until Ready.
    func measureSingleReleases() async throws -> BenchReport.Releases {
        let before = try await probe()
        var toReplicaSet: [Duration] = []
        var toReady: [Duration] = []
        for sample in 0..<settings.samples {
            let name = names[sample % names.count]
            let image = Digests.good(nextSerial())
            let sent = ContinuousClock.now
            try await client.patch(.appReleases, namespace: settings.namespace, name: name, patch: FleetManifests.release(image: image))
            try await waitForAll("the release of \(name)", [name], timeout: settings.timeout(releasing: 1), every: .milliseconds(5)) {
                watch.readyTime(of: $0, image: image) != nil
            }
            if let ready = watch.readyTime(of: name, image: image) { toReady.append(ready - sent) }
            if let created = watch.replicaSetTime(of: name, image: image) { toReplicaSet.append(created - sent) }
        }
        let end = ContinuousClock.now
        try await settle()
        return summary(
            strategy: "Rolling", releases: settings.samples, allDone: end - before.at, toReplicaSet: toReplicaSet, toDone: toReady,
            cost: ScenarioCost(from: before, to: try await probe()))
    }

    /// Every AppRelease patched to one new digest at once (with the canary, to the canary
    /// strategy in the same patch), until all are Ready. The fleet goes back to Rolling after
    /// the canary, unmeasured.
    func measureMassRelease(canary: Bool) async throws -> BenchReport.Releases {
        let image = Digests.good(nextSerial())
        let patch = canary ? FleetManifests.release(image: image, strategy: FleetManifests.canary) : FleetManifests.release(image: image)
        let before = try await probe()
        let sent = try await patchAll(names, patch)
        try await waitForAll(canary ? "canary releases Ready" : "rolling releases Ready", names, timeout: settings.timeout(releasing: names.count)) {
            watch.readyTime(of: $0, image: image) != nil
        }
        let result = try await settleAndSummarize(
            strategy: canary ? "Canary" : "Rolling", sent: sent, before: before) { name in
                watch.readyTime(of: name, image: image)
            } replicaSetTime: { name in
                watch.replicaSetTime(of: name, image: image)
            }
        if canary {
            let switched = try await patchAll(names, FleetManifests.strategy(FleetManifests.rolling))
            try await waitForAll("AppReleases back on Rolling", names, timeout: settings.timeout(releasing: names.count)) { name in
                guard let view = watch.view(of: name), let generation = switched[name]?.generation else { return false }
                return view.generation >= generation && view.isObserved && view.isReady
            }
            try await settle()
        }
        return result
    }

    /// `--reverts` AppReleases patched to a crash digest at once, until each one's stable
    /// revision is restored; then released to a good digest again (timed apart), so the fleet
    /// ends Ready.
    func measureRevert() async throws -> BenchReport.Releases {
        let targets = Array(names.prefix(settings.reverts))
        let image = Digests.crash(nextSerial())
        let before = try await probe()
        let sent = try await patchAll(targets, FleetManifests.release(image: image))
        try await waitForAll("crash releases reverted", targets, timeout: settings.timeout(releasing: targets.count)) {
            watch.restoredTime(of: $0, image: image) != nil
        }
        var result = try await settleAndSummarize(strategy: "Rolling", sent: sent, before: before, reverts: true) { name in
            watch.restoredTime(of: name, image: image)
        } replicaSetTime: { name in
            watch.replicaSetTime(of: name, image: image)
        }

        let recovery = Digests.good(nextSerial())
        let start = ContinuousClock.now
        _ = try await patchAll(targets, FleetManifests.release(image: recovery))
        try await waitForAll("reverted AppReleases released again", targets, timeout: settings.timeout(releasing: targets.count)) {
            watch.readyTime(of: $0, image: recovery) != nil
        }
        result.recoverySeconds = (ContinuousClock.now - start).seconds
        try await settle()
        return result
    }

    private func settleAndSummarize(
        strategy: String, sent: [String: Sent], before: Probe, reverts: Bool = false, doneTime: (String) -> ContinuousClock.Instant?,
        replicaSetTime: (String) -> ContinuousClock.Instant?
    ) async throws -> BenchReport.Releases {
        let targets = Array(sent.keys)
        let lastDone = targets.compactMap(doneTime).max() ?? ContinuousClock.now
        try await settle()
        let cost = ScenarioCost(from: before, to: try await probe())
        let first = sent.values.map(\.at).min() ?? before.at
        return summary(
            strategy: strategy, releases: targets.count, allDone: lastDone - first,
            toReplicaSet: targets.compactMap { name in both(sent[name]?.at, replicaSetTime(name)).map { $1 - $0 } },
            toDone: targets.compactMap { name in both(sent[name]?.at, doneTime(name)).map { $1 - $0 } }, reverts: reverts, cost: cost)
    }

    private func summary(
        strategy: String, releases: Int, allDone: Duration, toReplicaSet: [Duration], toDone: [Duration], reverts: Bool = false,
        cost: ScenarioCost
    ) -> BenchReport.Releases {
        let requests = cost.operatorRequests
        return BenchReport.Releases(
            strategy: strategy, releases: releases, allDoneSeconds: allDone.seconds, patchToReplicaSet: LatencySummary(toReplicaSet),
            patchToReady: reverts ? nil : LatencySummary(toDone), patchToRestored: reverts ? LatencySummary(toDone) : nil,
            requestsPerRelease: Double(requests.total) / Double(releases),
            requestsPerReleaseByVerb: RequestTally.perRelease(requests.byVerb, releases),
            requestsPerReleaseByKind: RequestTally.perRelease(requests.counts, releases),
            statusWritesPerRelease: Double(requests.statusWrites) / Double(releases),
            conflictsPerRelease: Double(requests.conflictTotal) / Double(releases),
            operatorCPUSecondsPerRelease: cost.operatorCPUSeconds / Double(releases),
            operatorCountersPerRelease: cost.operatorCounters.mapValues { $0 / Double(releases) },
            replicaSetsPerAppRelease: Dictionary(uniqueKeysWithValues: watch.replicaSetsPerApp(names).map { (String($0.key), $0.value) }),
            cost: cost, recoverySeconds: nil)
    }
}

/// Both values, or nil when either is missing.
private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

import KubeModels
import Testing

@testable import KubeSim

@Suite struct ObjectStoreTests {
    let rs = GroupVersionResource.replicaSets

    func replicaSet(_ name: String, replicas: Int64 = 1) -> JSONValue {
        ["metadata": ["name": .string(name)], "spec": ["replicas": .int(replicas)]]
    }

    @Test func createAssignsIdentityAndRejectsDuplicates() throws {
        let store = ObjectStore()
        let created = try store.create(rs, namespace: "default", object: replicaSet("a"))
        #expect(created.meta("uid")?.isEmpty == false)
        #expect(created.meta("creationTimestamp")?.hasSuffix("Z") == true)
        #expect(created["metadata"]?["generation"] == 1)
        #expect(created["apiVersion"] == "apps/v1")
        #expect(throws: StatusError.alreadyExists(rs, name: "a")) {
            try store.create(rs, namespace: "default", object: replicaSet("a"))
        }
        let generated = try store.create(rs, namespace: "default", object: ["metadata": ["generateName": "web-"]])
        #expect(generated.meta("name")?.hasPrefix("web-") == true)
        #expect(generated.meta("name")?.count == 9)
    }

    @Test("a selector on an indexed label finds exactly what a scan finds, through creates, relabels and deletes")
    func indexedLabelSelection() throws {
        let store = ObjectStore()
        let slices = GroupVersionResource.endpointSlices
        let label = "kubernetes.io/service-name"
        func slice(_ name: String, service: String?) -> JSONValue {
            var labels: [String: JSONValue] = ["other": "x"]
            labels[label] = service.map(JSONValue.string)
            return ["metadata": ["name": .string(name), "labels": .object(labels)], "addressType": "IPv4"]
        }
        func names(_ namespace: String?, _ selector: [String: String]) -> [String] {
            store.list(slices, namespace: namespace, labelSelector: selector).items.compactMap { $0.meta("name") }
        }
        for (index, namespace) in ["a", "b"].enumerated() {
            for number in 0..<4 {
                _ = try store.create(slices, namespace: namespace, object: slice("s\(number)", service: number % 2 == index ? "web" : "api"))
            }
        }
        _ = try store.create(slices, namespace: "a", object: slice("unlabelled", service: nil))
        #expect(names("a", [label: "web"]) == ["s0", "s2"])
        #expect(names("b", [label: "web"]) == ["s1", "s3"])
        #expect(names(nil, [label: "api"]).count == 4)
        #expect(names("a", [label: "web", "other": "y"]).isEmpty)
        #expect(names("a", [label: "none"]).isEmpty)
        // Relabelled: it moves from one Service's selection to the other's.
        _ = try store.mutate(slices, namespace: "a", name: "s0") { current throws(StatusError) in
            var updated = current
            updated.setValue("api", atPath: ["metadata", "labels", label])
            return updated
        }
        #expect(names("a", [label: "web"]) == ["s2"])
        #expect(names("a", [label: "api"]) == ["s0", "s1", "s3"])
        _ = try store.delete(slices, namespace: "a", name: "s2")
        #expect(names("a", [label: "web"]).isEmpty)
        // Paging over an indexed selection.
        let page = store.list(slices, namespace: "a", labelSelector: [label: "api"], limit: 2)
        #expect(page.items.compactMap { $0.meta("name") } == ["s0", "s1"])
        let rest = store.list(slices, namespace: "a", labelSelector: [label: "api"], after: page.continueKey)
        #expect(rest.items.compactMap { $0.meta("name") } == ["s3"])
    }

    @Test("pages follow key order in one namespace and across all, and see creates and deletes made between pages")
    func pagingFollowsChanges() throws {
        let store = ObjectStore()
        // "a-b" sorts between "a" and "b" ('-' < '/'), so a namespace's keys must be found as a run.
        for namespace in ["b", "a", "a-b"] {
            for number in [3, 1, 2] { _ = try store.create(rs, namespace: namespace, object: replicaSet("rs\(number)")) }
        }
        func keys(_ list: StoreList) -> [String] { list.items.map { "\($0.meta("namespace") ?? "")/\($0.meta("name") ?? "")" } }
        let first = store.list(rs, namespace: "a", limit: 2)
        #expect(keys(first) == ["a/rs1", "a/rs2"])
        #expect(first.remainingEstimate == 1)
        _ = try store.create(rs, namespace: "a", object: replicaSet("rs4"))
        _ = try store.create(rs, namespace: "a", object: replicaSet("rs0"))
        let rest = store.list(rs, namespace: "a", after: first.continueKey)
        #expect(keys(rest) == ["a/rs3", "a/rs4"])
        #expect(rest.continueKey == nil)
        var all: [String] = []
        var after: String?
        repeat {
            let page = store.list(rs, after: after, limit: 4)
            all += keys(page)
            after = page.continueKey
            if all.count == 4 {
                _ = try store.delete(rs, namespace: "b", name: "rs2")
                _ = try store.create(rs, namespace: "b", object: replicaSet("rs0"))
            }
        } while after != nil
        #expect(all == ["a-b/rs1", "a-b/rs2", "a-b/rs3", "a/rs0", "a/rs1", "a/rs2", "a/rs3", "a/rs4", "b/rs0", "b/rs1", "b/rs3"])
        #expect(store.list(rs, namespace: "c").items.isEmpty)
    }

    @Test func staleUpdateConflictsAndGenerationFollowsSpecOnly() throws {
        let store = ObjectStore()
        let created = try store.create(rs, namespace: "default", object: replicaSet("a"))
        var scaled = created
        scaled["spec"] = ["replicas": 3]
        let updated = try store.update(rs, namespace: "default", object: scaled)
        #expect(updated["metadata"]?["generation"] == 2)
        let error = #expect(throws: StatusError.self) { try store.update(rs, namespace: "default", object: scaled) }
        #expect(error?.code == 409)
        #expect(error?.reason == "Conflict")

        var withStatus = updated
        withStatus["status"] = ["replicas": 3]
        let statusUpdated = try store.updateStatus(rs, namespace: "default", object: withStatus)
        #expect(statusUpdated["metadata"]?["generation"] == 2)
        #expect(statusUpdated["status"]?["replicas"] == 3)
        // A spec update cannot write status when a status subresource exists.
        var sneaky = statusUpdated
        sneaky["status"] = ["replicas": 99]
        sneaky.setMeta("labels", ["x": "y"])
        let labelled = try store.update(rs, namespace: "default", object: sneaky)
        #expect(labelled["status"]?["replicas"] == 3)
        #expect(labelled["metadata"]?["generation"] == 2)
        // A no-op update commits nothing.
        let again = try store.update(rs, namespace: "default", object: labelled)
        #expect(again.meta("resourceVersion") == labelled.meta("resourceVersion"))
    }

    @Test func finalizersHoldDeletionUntilRemoved() throws {
        let store = ObjectStore()
        var object = replicaSet("a")
        object.setMeta("finalizers", ["example.com/hold"])
        try store.create(rs, namespace: "default", object: object)
        let outcome = try store.delete(rs, namespace: "default", name: "a")
        guard case .pending(var pending) = outcome else {
            Issue.record("expected a pending delete")
            return
        }
        #expect(pending.meta("deletionTimestamp") != nil)
        pending.setMeta("finalizers", nil)
        try store.update(rs, namespace: "default", object: pending)
        #expect(throws: StatusError.notFound(rs, name: "a")) { try store.get(rs, namespace: "default", name: "a") }
    }

    @Test func watchResumesWithoutGapsAndRefusesCompactedVersions() async throws {
        let store = ObjectStore(eventWindow: 100)
        let first = try store.create(rs, namespace: "default", object: replicaSet("a"))
        let resumeFrom = UInt64(first.meta("resourceVersion") ?? "") ?? 0
        try store.create(rs, namespace: "default", object: replicaSet("b"))
        let stream = try store.watch(rs, namespace: "default", after: resumeFrom)
        try store.create(rs, namespace: "other", object: replicaSet("c"))
        try store.create(rs, namespace: "default", object: replicaSet("d"))
        var names: [String] = []
        for await event in stream {
            names.append(event.name)
            if names.count == 2 { break }
        }
        #expect(names == ["b", "d"])
        store.compactEventWindow()
        let error = #expect(throws: StatusError.self) { try store.watch(rs, namespace: "default", after: resumeFrom) }
        #expect(error?.code == 410)
    }

    @Test func windowOverflowExpiresOldVersions() throws {
        let store = ObjectStore(eventWindow: 3)
        let first = try store.create(rs, namespace: "default", object: replicaSet("a"))
        for index in 0..<5 { try store.create(rs, namespace: "default", object: replicaSet("n\(index)")) }
        let resumeFrom = UInt64(first.meta("resourceVersion") ?? "") ?? 0
        #expect(throws: StatusError.self) { try store.watch(rs, namespace: nil, after: resumeFrom) }
        #expect(throws: Never.self) { try store.watch(rs, namespace: nil, after: store.currentResourceVersion - 2) }
    }
}

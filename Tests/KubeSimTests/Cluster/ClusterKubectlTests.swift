import Foundation
import KubeSim
import TestSupport
import Testing

/// The simulated cluster as the real kubectl sees it, through kubesim's HTTP API.
@Suite(.enabled(if: Kubectl.isAvailable, "kubectl is not on PATH"))
struct ClusterKubectlTests {
    static func replicaSet(_ name: String, replicas: Int = 1, image: String = "nginx:1.27", app: String? = nil, owner: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: \(name)
        \(owner)
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: \(app ?? name)}}
          template:
            metadata: {labels: {app: \(app ?? name)}}
            spec:
              containers:
              - name: app
                image: \(image)
                ports: [{name: http, containerPort: 8080}]
        """
    }

    static func ownerReference(kind: String, name: String, uid: String) -> String {
        "  ownerReferences: [{apiVersion: sim.example.com/v1, kind: \(kind), name: \(name), uid: \(uid), controller: true, blockOwnerDeletion: true}]"
    }

    static let service = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        """

    static let releaseCRD = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: releases.sim.example.com}
        spec:
          group: sim.example.com
          names: {plural: releases, singular: release, kind: Release}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """

    static func words(_ text: String) -> [String] { text.split(whereSeparator: \.isWhitespace).map(String.init) }

    @Test func podsBecomeReadyAndTheServiceEndpointsFollowThem() async throws {
        try await withKubeSim { fixture in
            let kubectl = fixture.kubectl
            try await kubectl.succeed(["apply", "-f", "-"], stdin: Self.replicaSet("web", replicas: 3) + "\n---\n" + Self.service)
            try await eventually("3 ready replicas") {
                try await kubectl.succeed(["get", "rs", "web", "-o", "jsonpath={.status.readyReplicas}"]) == "3"
            }
            try await kubectl.succeed(["wait", "--for=condition=Ready", "pod", "-l", "app=web", "--timeout=60s"])
            let table = try await kubectl.succeed(["get", "pods", "-l", "app=web", "--no-headers"])
            let rows = table.split(separator: "\n").map { Self.words(String($0)) }
            #expect(rows.count == 3)
            #expect(rows.allSatisfy { $0.count >= 3 && $0[0].hasPrefix("web-") && $0[1] == "1/1" && $0[2] == "Running" })

            let podIPs = Set(Self.words(try await kubectl.succeed(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.podIP}"])))
            #expect(podIPs.count == 3)
            try await eventually("Endpoints list every ready pod") {
                Set(Self.words(try await kubectl.succeed(["get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}"])))
                    == podIPs
            }
            let port = try await kubectl.succeed(["get", "endpoints", "web", "-o", "jsonpath={.subsets[0].ports[0].port}"])
            #expect(port == "8080")
            let sliceIPs = try await kubectl.succeed([
                "get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "jsonpath={.items[*].endpoints[*].addresses[0]}",
            ])
            #expect(Set(Self.words(sliceIPs)) == podIPs)
            // kubectl's table for slices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE, as on an API server.
            let sliceRow = Self.words(
                try await kubectl.succeed(["get", "endpointslices", "-l", "kubernetes.io/service-name=web", "--no-headers"]))
            #expect(sliceRow.count == 5 && sliceRow[1] == "IPv4" && sliceRow[2] == "8080", "\(sliceRow)")
            #expect(Set(sliceRow.count > 3 ? sliceRow[3].split(separator: ",").map(String.init) : []) == podIPs)

            try await kubectl.succeed(["scale", "rs", "web", "--replicas=1"])
            try await eventually("one pod serves") {
                let ips = Self.words(try await kubectl.succeed(["get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}"]))
                return ips.count == 1 && podIPs.contains(ips[0])
            }
            try await eventually("the surplus pods are gone") {
                Self.words(try await kubectl.succeed(["get", "pods", "-l", "app=web", "-o", "name"])).count == 1
            }
        }
    }

    @Test func crashingAndUnpullableImagesShowInKubectl() async throws {
        try await withKubeSim { fixture in
            let kubectl = fixture.kubectl
            try await kubectl.succeed(
                ["apply", "-f", "-"],
                stdin: Self.replicaSet("crash", image: "example.com/app:crash") + "\n---\n" + Self.replicaSet("broken", image: "app:pullerr"))
            try await eventually("the crashing pod restarts repeatedly and shows CrashLoopBackOff", timeout: .seconds(60)) {
                let restarts = try await kubectl.succeed([
                    "get", "pods", "-l", "app=crash", "-o", "jsonpath={.items[0].status.containerStatuses[0].restartCount}",
                ])
                let table = try await kubectl.succeed(["get", "pods", "-l", "app=crash", "--no-headers"])
                return (Int(restarts) ?? 0) >= 2 && table.contains("CrashLoopBackOff")
            }
            try await eventually("the unpullable pod backs off") {
                try await kubectl.succeed(["get", "pods", "-l", "app=broken", "--no-headers"]).contains("ImagePullBackOff")
            }
            let phase = try await kubectl.succeed(["get", "pods", "-l", "app=broken", "-o", "jsonpath={.items[0].status.phase}"])
            #expect(phase == "Pending")
            let ready = try await kubectl.succeed(["get", "rs", "crash", "-o", "jsonpath={.status.readyReplicas}/{.status.replicas}"])
            #expect(ready == "/1")
        }
    }

    @Test func deletingACustomResourceOwnerCollectsReplicaSetsAndPods() async throws {
        try await withKubeSim { fixture in
            let kubectl = fixture.kubectl
            try await kubectl.succeed(["apply", "-f", "-"], stdin: Self.releaseCRD)
            for (name, cascade) in [("bg", "background"), ("fg", "foreground")] {
                try await kubectl.succeed(
                    ["apply", "-f", "-"], stdin: "apiVersion: sim.example.com/v1\nkind: Release\nmetadata: {name: \(name)}\nspec: {}\n")
                let uid = try await kubectl.succeed(["get", "release", name, "-o", "jsonpath={.metadata.uid}"])
                let owner = Self.ownerReference(kind: "Release", name: name, uid: uid)
                try await kubectl.succeed(["apply", "-f", "-"], stdin: Self.replicaSet("\(name)-v1", replicas: 2, owner: owner))
                try await eventually("\(name)-v1 is ready") {
                    try await kubectl.succeed(["get", "rs", "\(name)-v1", "-o", "jsonpath={.status.readyReplicas}"]) == "2"
                }
                // kubectl waits until the owner is gone; with foreground deletion that is after its dependents.
                try await kubectl.succeed(["delete", "release", name, "--cascade=\(cascade)", "--timeout=60s"])
                if cascade == "foreground" {
                    #expect(try await kubectl.succeed(["get", "rs,pods", "-o", "name"]).isEmpty)
                }
                try await eventually("\(name)'s ReplicaSet and pods are collected") {
                    try await kubectl.succeed(["get", "rs,pods", "-o", "name"]).isEmpty
                }
            }
        }
    }

    @Test func orphanCascadeKeepsPods() async throws {
        try await withKubeSim { fixture in
            let kubectl = fixture.kubectl
            try await kubectl.succeed(["apply", "-f", "-"], stdin: Self.replicaSet("web", replicas: 2))
            try await eventually("2 ready replicas") {
                try await kubectl.succeed(["get", "rs", "web", "-o", "jsonpath={.status.readyReplicas}"]) == "2"
            }
            try await kubectl.succeed(["delete", "rs", "web", "--cascade=orphan", "--timeout=60s"])
            let owners = try await kubectl.succeed(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.ownerReferences}"])
            #expect(owners.isEmpty)
            #expect(Self.words(try await kubectl.succeed(["get", "pods", "-l", "app=web", "-o", "name"])).count == 2)
        }
    }
}

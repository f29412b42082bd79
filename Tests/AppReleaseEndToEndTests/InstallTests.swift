import AppReleaseController
import Foundation
import KubeModels
import KubeSim
import TestSupport
import Testing

/// What a team installs on Monday: `kubectl apply -k manifests/` (or the namespaced overlay) with
/// the real kubectl, held to the operator's own list of the calls it makes (`OperatorPermissions`),
/// and the calls the operator actually sends held to that list.
@Suite("Install: manifests/ and the operator's permissions", .serialized, .timeLimit(.minutes(10)))
struct InstallTests {
    static let manifests = Binaries.repositoryRoot + "/manifests"

    @Test("kubectl apply -k manifests/ installs the CRD and a hardened operator with exactly the permissions it uses")
    func clusterWideInstall() async throws {
        try await Cluster.with { cluster in
            let objects = try await cluster.rendered(Self.manifests)
            #expect(
                Set(objects.map(\.kind)) == [
                    "Namespace", "CustomResourceDefinition", "ServiceAccount", "Role", "RoleBinding", "ClusterRole",
                    "ClusterRoleBinding", "Deployment", "Service", "PodDisruptionBudget",
                ])
            let clusterRole = try #require(objects.first { $0.kind == "ClusterRole" })
            #expect(Grant.all(in: clusterRole.object) == Grant.all(in: OperatorPermissions.workloads))
            let leaderElection = try #require(objects.first { $0.kind == "Role" })
            #expect(Grant.all(in: leaderElection.object) == Grant.all(in: OperatorPermissions.leaderElection))
            for object in objects where object.kind != "Namespace" && object.kind != "CustomResourceDefinition" {
                let scoped = !["ClusterRole", "ClusterRoleBinding"].contains(object.kind)
                #expect((object.namespace == "apprelease-system") == scoped, "\(object.kind) \(object.name)")
            }
            let deployment = try #require(objects.first { $0.kind == "Deployment" })
            try OperatorDeployment(deployment.object).checkHardened()
            try await OperatorDeployment(deployment.object).checkArgumentsAccepted(binaries: cluster.binaries)

            // A real API server validates everything without installing the operator beside the
            // lane's own; kubesim takes the real apply.
            let apply = ["apply", "-k", Self.manifests] + (cluster.lane.isReal ? ["--dry-run=server"] : [])
            let applied = try await cluster.kubectl(apply, namespaced: false)
            #expect(applied.succeeded, "\(applied)")
            if !cluster.lane.isReal {
                let installed = try await cluster.kubectlOK(
                    "get", "serviceaccount,role,rolebinding,deployment,service,poddisruptionbudget", "-n", "apprelease-system",
                    "-o", "name")
                let expected = [
                    "serviceaccount/apprelease-controller", "role.rbac.authorization.k8s.io/apprelease-controller-leader-election",
                    "rolebinding.rbac.authorization.k8s.io/apprelease-controller-leader-election",
                    "deployment.apps/apprelease-controller", "service/apprelease-controller-metrics",
                    "poddisruptionbudget.policy/apprelease-controller",
                ]
                #expect(Set(installed.split(separator: "\n").map(String.init)).isSuperset(of: expected), "\(installed)")
            }
        }
    }

    @Test("manifests/namespaced/ runs the operator in one namespace with a Role and nothing cluster-wide")
    func namespacedInstall() async throws {
        try await Cluster.with { cluster in
            let objects = try await cluster.rendered(Self.manifests + "/namespaced")
            #expect(Set(objects.map(\.kind)) == ["ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget"])
            #expect(objects.allSatisfy { $0.namespace == "my-team" }, "every object in the overlay's namespace")
            let workloads = try #require(objects.first { $0.kind == "Role" && $0.name == "apprelease-controller" })
            #expect(Grant.all(in: workloads.object) == Grant.all(in: OperatorPermissions.workloads))
            let leaderElection = try #require(objects.first { $0.kind == "Role" && $0.name != "apprelease-controller" })
            #expect(Grant.all(in: leaderElection.object) == Grant.all(in: OperatorPermissions.leaderElection))
            for binding in objects where binding.kind == "RoleBinding" {
                let subject = binding.object["subjects"]?.arrayValue?.first
                #expect(subject?["namespace"]?.stringValue == "my-team", "\(binding.name) binds the overlay's ServiceAccount")
            }
            let deployment = OperatorDeployment(try #require(objects.first { $0.kind == "Deployment" }).object)
            #expect(deployment.arguments.contains("--namespace=$(POD_NAMESPACE)"))
            #expect(deployment.environment["POD_NAMESPACE"] == "metadata.namespace")
            try deployment.checkHardened()
            try await deployment.checkArgumentsAccepted(binaries: cluster.binaries)

            try await cluster.kubectlOK("create", "namespace", "my-team")
            let apply = ["apply", "-k", Self.manifests + "/namespaced"] + (cluster.lane.isReal ? ["--dry-run=server"] : [])
            let applied = try await cluster.kubectl(apply, namespaced: false)
            if cluster.lane.isReal { _ = try await cluster.kubectl("delete", "namespace", "my-team", "--wait=false") }
            #expect(applied.succeeded, "\(applied)")
        }
    }

    @Test(
        "every request the operator sends is one its permissions grant, and every permission is used",
        .enabled(if: E2ELane.isKubesim, "reads kubesim's per-client request log"))
    func requestsStayWithinPermissions() async throws {
        try await Cluster.with { cluster in
            let sim = try #require(cluster.sim)
            await cluster.stopOperator()
            try await cluster.installGatewayAPI()
            try cluster.startOperator(extraArguments: cluster.leaderElectionArguments)

            // Rolling: three releases past a history of one (ReplicaSets deleted), a crash (reverted).
            try await cluster.apply(AppReleaseManifest(revisionHistoryLimit: 1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            for image in [Images.v2, Images.image("web", "v4")] {
                try await cluster.release(image: image)
                #expect(try await cluster.wait(for: "Ready").succeeded)
            }
            try await cluster.release(image: Images.crash)
            #expect(try await cluster.wait(for: "Degraded").succeeded)

            // Canary on an HTTPRoute: Services pinned, route weights patched.
            try await cluster.kubectlOK("apply", "-f", "-", input: Self.route)
            try await cluster.apply(
                AppReleaseManifest(
                    name: "api", replicas: 2, strategy: Self.canary, extraServices: ["api-stable", "api-canary"]))
            #expect(try await cluster.wait(for: "Ready", of: "api").succeeded)
            try await cluster.release("api", image: Images.image("api", "v2"))
            try await waitUntil("the canary at its pause") {
                try await cluster.field("appreleases/api", ".status.currentStepIndex") == "1"
            }
            try await cluster.request("apprelease.dev/promote", of: "api")
            #expect(try await cluster.wait(for: "Ready", of: "api").succeeded)
            // The same ignored promotion twice: the second Event is a patch of the first. (On
            // `api`: `web`'s releases have used up its burst of Events, as client-go's would.)
            for value in ["first", "second"] {
                try await cluster.request("apprelease.dev/promote", value: value, of: "api")
                try await waitUntil("promotion \(value) acknowledged") {
                    try await cluster.field("appreleases/api", ".status.acknowledged.results.promote.value") == value
                }
            }
            try await waitUntil("the repeated Event counted") {
                try await cluster.kubectlOK(
                    "get", "events", "--field-selector", "reason=PromoteIgnored", "-o", "jsonpath={.items[*].count}") == "2"
            }

            let sent = sim.requestsByClient().keys.filter { $0.userAgent.hasPrefix("apprelease-controller/") }
            var violations: [String] = []
            var used: Set<Grant> = []
            for request in sent {
                let grant = Grant(group: request.group, resource: request.resource, verb: request.verb)
                let isLease = request.resource == "leases"
                let granted = Grant.all(in: isLease ? OperatorPermissions.leaderElection : OperatorPermissions.workloads)
                if !granted.contains(grant) { violations.append("\(request): not granted") }
                if isLease && request.namespace != cluster.leaseNamespace { violations.append("\(request): outside the Lease's namespace") }
                used.insert(grant)
            }
            #expect(violations.isEmpty, "\(violations.sorted().joined(separator: "\n"))")
            let expected = Grant.all(in: OperatorPermissions.workloads + OperatorPermissions.leaderElection, includingRare: false)
            #expect(expected.subtracting(used).isEmpty, "granted but never sent: \(expected.subtracting(used).sorted())")
        }
    }

    @Test(
        "with --namespace the operator sends nothing outside that namespace",
        .enabled(if: E2ELane.isKubesim, "reads kubesim's per-client request log"))
    func namespacedOperatorStaysInItsNamespace() async throws {
        try await Cluster.with { cluster in
            let sim = try #require(cluster.sim)
            await cluster.stopOperator()
            for namespace in ["team-a", "team-b"] {
                try await cluster.kubectlOK("create", "namespace", namespace)
                try await cluster.kubectlOK("apply", "-n", namespace, "-f", "-", input: AppReleaseManifest().yaml)
            }
            let before = Set(sim.requestsByClient().keys)
            try cluster.startOperator(extraArguments: [
                "--namespace", "team-a", "--leader-elect", "--leader-election-namespace", "team-a",
            ])
            #expect(try await cluster.kubectl("wait", "--for=condition=Ready", "appreleases/web", "-n", "team-a", "--timeout=90s").succeeded)
            let sent = sim.requestsByClient().keys.filter { $0.userAgent.hasPrefix("apprelease-controller/") && !before.contains($0) }
            #expect(!sent.isEmpty)
            let outside = sent.filter { $0.namespace != "team-a" }
            #expect(outside.isEmpty, "\(outside.map(\.description).sorted())")
            #expect(try await cluster.kubectlOK("get", "replicasets", "-n", "team-b", "-o", "name").isEmpty)
        }
    }

    static let canary = """
            type: Canary
            canary:
              steps: [{setWeight: 50}, {pause: {}}]
              stableService: api-stable
              canaryService: api-canary
              trafficRouting: {httpRoute: {name: api}}
        """

    static let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: api
        spec:
          parentRefs: [{name: gateway}]
          rules:
          - backendRefs:
            - {name: api-stable, port: 80, weight: 100}
            - {name: api-canary, port: 80, weight: 0}

        """
}

/// One verb on one resource of one group: the unit RBAC grants and a request needs.
struct Grant: Hashable, Comparable, CustomStringConvertible {
    var group: String
    var resource: String
    var verb: String

    var description: String { "\(verb) \(group.isEmpty ? "" : group + "/")\(resource)" }
    static func < (lhs: Grant, rhs: Grant) -> Bool { lhs.description < rhs.description }

    /// What a Role or ClusterRole grants; a wildcard is kept as "*", which no list contains.
    static func all(in role: JSONValue) -> Set<Grant> {
        var grants: Set<Grant> = []
        for rule in role["rules"]?.arrayValue ?? [] {
            let strings = { (field: String) in (rule[field]?.arrayValue ?? []).compactMap(\.stringValue) }
            for group in strings("apiGroups") {
                for resource in strings("resources") {
                    for verb in strings("verbs") { grants.insert(Grant(group: group, resource: resource, verb: verb)) }
                }
            }
        }
        return grants
    }

    static func all(in rules: [PermissionRule], includingRare: Bool = true) -> Set<Grant> {
        Set(
            rules.flatMap { rule in
                rule.verbs.filter { includingRare || !rule.rareVerbs.contains($0) }
                    .map { Grant(group: rule.group, resource: rule.resource, verb: $0) }
            })
    }
}

/// One object of a rendered kustomization.
struct RenderedObject {
    var object: JSONValue
    var kind: String { object["kind"]?.stringValue ?? "" }
    var name: String { object[path: "metadata", "name"]?.stringValue ?? "" }
    var namespace: String? { object[path: "metadata", "namespace"]?.stringValue }
}

extension Cluster {
    /// What `kubectl apply -k directory` would send, as kubectl renders it.
    func rendered(_ directory: String) async throws -> [RenderedObject] {
        let json = try await kubectl(["apply", "-k", directory, "--dry-run=client", "-o", "json"], namespaced: false)
        guard json.succeeded else { throw E2EError("kubectl apply -k \(directory) --dry-run=client failed:\n\(json)") }
        let list = try JSONValue(parsing: json.output)
        return (list["items"]?.arrayValue ?? [list]).map(RenderedObject.init)
    }
}

/// The operator's Deployment as `manifests/` ships it.
struct OperatorDeployment {
    let object: JSONValue
    init(_ object: JSONValue) { self.object = object }

    var podSpec: JSONValue? { object[path: "spec", "template", "spec"] }
    var container: JSONValue? { podSpec?["containers"]?.arrayValue?.first }
    var arguments: [String] { (container?["args"]?.arrayValue ?? []).compactMap(\.stringValue) }
    /// Variables set from a field reference, by name: the field's path.
    var environment: [String: String] {
        var fields: [String: String] = [:]
        for variable in container?["env"]?.arrayValue ?? [] {
            if let name = variable["name"]?.stringValue,
                let path = variable[path: "valueFrom", "fieldRef", "fieldPath"]?.stringValue
            {
                fields[name] = path
            }
        }
        return fields
    }

    /// The restricted Pod Security Standard and what the issue asks of an operator on call.
    func checkHardened() throws {
        #expect(object[path: "spec", "replicas"]?.intValue == 2)
        #expect(arguments.contains("--leader-elect=true"), "two replicas need leader election")
        #expect(podSpec?[path: "securityContext", "runAsNonRoot"]?.boolValue == true)
        #expect(podSpec?[path: "securityContext", "seccompProfile", "type"]?.stringValue == "RuntimeDefault")
        let security = try #require(container?["securityContext"])
        #expect(security["readOnlyRootFilesystem"]?.boolValue == true)
        #expect(security["allowPrivilegeEscalation"]?.boolValue == false)
        #expect(security[path: "capabilities", "drop"]?.arrayValue?.compactMap(\.stringValue) == ["ALL"])
        #expect(container?[path: "livenessProbe", "httpGet", "path"]?.stringValue == "/healthz")
        #expect(container?[path: "readinessProbe", "httpGet", "path"]?.stringValue == "/readyz")
        #expect(container?[path: "resources", "requests", "memory"] != nil)
        #expect(container?[path: "resources", "limits", "memory"] != nil)
    }

    /// The operator binary parses the Deployment's arguments (with the pod's variables expanded
    /// as the kubelet does): it gets as far as loading its kubeconfig, which is absent here,
    /// rather than stopping at a usage error (exit 64).
    func checkArgumentsAccepted(binaries: String) async throws {
        let expanded = arguments.map { $0.replacingOccurrences(of: "$(POD_NAMESPACE)", with: "my-team") }
        let run = try await ProcessRunner.run(
            binaries + "/apprelease-controller", expanded + ["--kubeconfig", "/nonexistent/kubeconfig"], timeout: .seconds(30))
        #expect(run.status != 64, "the Deployment's arguments are refused:\n\(run.output)")
        #expect(run.output.contains("cannot build the Kubernetes client"), "\(run.output)")
    }
}

import Foundation

/// Where the end-to-end scenarios run. kubesim is the workbench; a real control plane is the
/// truth (it estimates CEL cost, decodes protobuf, rate-limits its controllers, enforces RBAC).
enum E2ELane: Sendable, Equatable {
    case kubesim
    /// Any cluster: kind, k3d, a bare control plane with `kubesim kubelet` as its nodes.
    case real(kubeconfig: String)

    static let kubeconfigVariable = "APPRELEASE_E2E_KUBECONFIG"

    static var current: E2ELane {
        guard let path = ProcessInfo.processInfo.environment[kubeconfigVariable], !path.isEmpty else { return .kubesim }
        return .real(kubeconfig: path)
    }

    var isReal: Bool { self != .kubesim }

    /// For `.enabled(if:)`: scenarios that need kubesim's fault injection or request counters.
    static var isKubesim: Bool { !current.isReal }
    static var isReal: Bool { current.isReal }
}

extension Cluster {
    /// Leader election where the operator's Role allows it (`manifests/`: its own namespace on a
    /// real cluster), under a Lease name of this test's own.
    var leaseNamespace: String { lane.isReal ? "apprelease-system" : "default" }
    var leaseName: String { lane.isReal ? "\(namespace)-lock" : "apprelease-controller-lock" }
    var leaderElectionArguments: [String] {
        ["--leader-elect", "--leader-election-namespace", leaseNamespace, "--leader-election-id", leaseName]
    }

    /// Everything `kubectl apply -k manifests/` installs except the operator's Deployment (the
    /// test runs the operator itself), a namespace for the test, and a kubeconfig that
    /// authenticates as the ServiceAccount: the operator gets exactly the permissions a user
    /// installs, so a missing RBAC rule fails here as it would in production.
    func prepareRealNamespace() async throws {
        let install = try await kubectlOK("kustomize", Binaries.repositoryRoot + "/manifests")
        let withoutOperator = install.components(separatedBy: "\n---\n")
            .filter { document in !document.split(separator: "\n").contains("kind: Deployment") }
            .joined(separator: "\n---\n")
        let installed = try await kubectl(["apply", "-f", "-"], input: withoutOperator, namespaced: false)
        guard installed.succeeded else { throw E2EError("installing manifests/ failed:\n\(installed)") }
        try await kubectlOK("create", "namespace", namespace)
        let token = try await kubectlOK(
            "create", "token", "apprelease-controller", "--namespace", "apprelease-system", "--duration", "2h")
        let server = try await kubectlOK("config", "view", "--minify", "--raw", "-o", "jsonpath={.clusters[0].cluster.server}")
        var clusterEntry = "    server: \(server)"
        let view = { (field: String) in
            try await self.kubectlOK("config", "view", "--minify", "--raw", "-o", "jsonpath={.clusters[0].cluster.\(field)}")
        }
        if case let data = try await view("certificate-authority-data"), !data.isEmpty {
            clusterEntry += "\n    certificate-authority-data: \(data)"
        } else if case let file = try await view("certificate-authority"), !file.isEmpty {
            clusterEntry += "\n    certificate-authority: \(file)"
        }
        let config = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: e2e
              cluster:
            \(clusterEntry)
            users:
            - name: apprelease-controller
              user:
                token: \(token.trimmingCharacters(in: .whitespacesAndNewlines))
            contexts:
            - name: e2e
              context: {cluster: e2e, user: apprelease-controller, namespace: \(namespace)}
            current-context: e2e

            """
        try config.write(toFile: operatorKubeconfig, atomically: true, encoding: .utf8)
    }
}

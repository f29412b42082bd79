import Foundation
import Testing

@testable import AppReleasePlugin

/// The plugin finds the cluster and the namespace exactly as kubectl does.
@Suite("Cluster resolution")
struct ClusterResolutionTests {
    /// Two contexts on one cluster: `shop` (with a namespace, current) and `plain` (without).
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:6443"}
        users:
        - name: u
          user: {token: abc}
        contexts:
        - name: shop
          context: {cluster: c, user: u, namespace: shop}
        - name: plain
          context: {cluster: c, user: u}
        current-context: shop

        """

    static let other = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c2
          cluster: {server: "https://127.0.0.2:6443"}
        users:
        - name: u2
          user: {token: def}
        contexts:
        - name: staging
          context: {cluster: c2, user: u2, namespace: staging}
        current-context: staging

        """

    /// A private directory with `config` (the kubeconfig above) and `other`.
    final class Files: Sendable {
        let directory: String
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory + "/home/.kube", withIntermediateDirectories: true)
            try ClusterResolutionTests.kubeconfig.write(toFile: config, atomically: true, encoding: .utf8)
            try ClusterResolutionTests.other.write(toFile: other, atomically: true, encoding: .utf8)
        }
        var config: String { directory + "/config" }
        var other: String { directory + "/other" }
        var home: String { directory + "/home" }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    static func namespace(_ arguments: [String], environment: [String: String]) throws -> String {
        let options = try ClusterOptions.parse(arguments)
        return try options.connect(environment: environment).namespace
    }

    @Test func theCurrentContextsNamespaceIsTheDefault() throws {
        let files = try Files()
        #expect(try Self.namespace([], environment: ["KUBECONFIG": files.config]) == "shop")
    }

    @Test func aContextWithoutNamespaceMeansDefault() throws {
        let files = try Files()
        #expect(try Self.namespace(["--context", "plain"], environment: ["KUBECONFIG": files.config]) == "default")
    }

    @Test func theNamespaceFlagWins() throws {
        let files = try Files()
        #expect(try Self.namespace(["-n", "payments"], environment: ["KUBECONFIG": files.config]) == "payments")
        #expect(try Self.namespace(["--namespace", "payments", "--context", "plain"], environment: ["KUBECONFIG": files.config]) == "payments")
    }

    @Test func kubeconfigFlagBeatsTheEnvironment() throws {
        let files = try Files()
        #expect(try Self.namespace(["--kubeconfig", files.other], environment: ["KUBECONFIG": files.config]) == "staging")
    }

    @Test func kubeconfigListIsMergedFirstFileFirst() throws {
        let files = try Files()
        let list = "\(files.config):\(files.other)"
        // current-context comes from the first file that sets it; contexts from every file.
        #expect(try Self.namespace([], environment: ["KUBECONFIG": list]) == "shop")
        #expect(try Self.namespace(["--context", "staging"], environment: ["KUBECONFIG": list]) == "staging")
    }

    @Test func homeKubeconfigComesBeforeTheServiceAccount() throws {
        let files = try Files()
        try Self.kubeconfig.write(toFile: files.home + "/.kube/config", atomically: true, encoding: .utf8)
        let environment = ["HOME": files.home, "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        #expect(try Self.namespace([], environment: environment) == "shop")
    }

    @Test func anUnknownContextIsAConfigurationErrorNamingIt() throws {
        let files = try Files()
        do {
            _ = try Self.namespace(["--context", "prod"], environment: ["KUBECONFIG": files.config])
            Issue.record("expected an error")
        } catch let error as PluginError {
            #expect(error.exitCode == .clusterError)
            #expect(error.description.hasPrefix("error: kubeconfig"))
            #expect(error.description.contains("context \"prod\": context not found (available: plain, shop)"))
        }
    }
}

import Foundation
import KubeClient
import Testing

@Suite struct KubeconfigTests {
    static let first = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: shared
          cluster:
            server: https://first.example:6443
            certificate-authority: ca.crt
        - name: only-first
          cluster:
            server: https://only-first.example
            insecure-skip-tls-verify: true
        users:
        - name: alice
          user:
            token: first-token
        contexts:
        - name: dev
          context: {cluster: shared, user: alice, namespace: team-a}
        """

    static let second = """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: shared
          cluster:
            server: https://second.example:6443
        - name: only-second
          cluster:
            server: https://only-second.example
            tls-server-name: api.internal
            proxy-url: http://proxy:3128
        users:
        - name: alice
          user:
            token: second-token
        - name: bob
          user:
            client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        contexts:
        - name: prod
          context: {cluster: only-second, user: bob}
        - name: dev
          context: {cluster: only-second, user: bob}
        """

    static let third = """
        current-context: dev
        """

    /// Writes the three files into a temp dir; returns (dir, paths).
    static func writeFiles() throws -> (String, [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let paths = ["\(directory)/a.yaml", "\(directory)/b.yaml", "\(directory)/c.yaml"]
        for (path, text) in zip(paths, [first, second, third]) { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        try "PEM".write(toFile: "\(directory)/ca.crt", atomically: true, encoding: .utf8)
        return (directory, paths)
    }

    @Test func mergesKUBECONFIGWithFirstFileWinning() throws {
        let (directory, paths) = try Self.writeFiles()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["KUBECONFIG": [paths[0], "", "\(directory)/missing.yaml", paths[1], paths[2], paths[0]].joined(separator: ":"), "HOME": directory]
        let config = try #require(try KubeconfigLoader.load(environment: environment))
        #expect(config.clusters["shared"]?.server == "https://first.example:6443")
        #expect(config.users["alice"]?.token == "first-token")
        #expect(config.contexts["dev"]?.cluster == "shared")
        #expect(config.clusters.keys.sorted() == ["only-first", "only-second", "shared"])
        // current-context comes from the first file that sets one (b), not the last (c).
        #expect(config.currentContext == "prod")
        #expect(config.currentContextFile == paths[1])

        let prod = try ClientConfiguration(kubeconfig: config)
        #expect(prod.server == "https://only-second.example")
        #expect(prod.namespace == "default")
        #expect(prod.tls.serverName == "api.internal")
        #expect(prod.proxyURL == "http://proxy:3128")
        #expect(prod.clientCertificate == .data(Array("CERT".utf8)))
        #expect(prod.clientKey == .data(Array("KEY".utf8)))

        let dev = try ClientConfiguration(kubeconfig: config, context: "dev")
        #expect(dev.server == "https://first.example:6443")
        #expect(dev.namespace == "team-a")
        #expect(dev.authentication == .bearerToken("first-token"))
        // Relative paths resolve against the file that named them.
        #expect(dev.tls.certificateAuthorityFile == "\(directory)/ca.crt")

        let overridden = try ClientConfiguration(kubeconfig: config, context: "dev", namespace: "other")
        #expect(overridden.namespace == "other")
    }

    @Test func explicitKubeconfigBeatsTheEnvironment() throws {
        let (directory, paths) = try Self.writeFiles()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try #require(try KubeconfigLoader.load(explicitPath: paths[0], environment: ["KUBECONFIG": paths[1]]))
        #expect(config.currentContext == nil)
        #expect(config.users["alice"]?.token == "first-token")
        #expect {
            try KubeconfigLoader.load(explicitPath: "\(directory)/nope", environment: [:])
        } throws: { error in
            (error as? ConfigError)?.description == "kubeconfig \(directory)/nope: file does not exist"
        }
    }

    @Test func fallsBackToHomeKubeConfig() throws {
        let (directory, paths) = try Self.writeFiles()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/.kube", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: paths[1], toPath: "\(directory)/.kube/config")
        let configuration = try ClientConfiguration.load(environment: ["HOME": directory])
        #expect(configuration.contextName == "prod")
    }

    @Test func errorsNameTheFileTheContextAndTheProblem() throws {
        let (directory, paths) = try Self.writeFiles()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try #require(try KubeconfigLoader.load(explicitPath: paths[1], environment: [:]))
        #expect {
            try ClientConfiguration(kubeconfig: config, context: "staging")
        } throws: { error in
            let text = "\(error)"
            return text.contains(paths[1]) && text.contains("context \"staging\"") && text.contains("context not found (available: dev, prod)")
        }
        let missingCluster = try KubeconfigLoader.parse(
            "contexts:\n- name: x\n  context: {cluster: nowhere, user: u}\ncurrent-context: x\n", file: "/tmp/k.yaml")
        #expect {
            try ClientConfiguration(kubeconfig: missingCluster)
        } throws: { error in
            "\(error)" == "kubeconfig /tmp/k.yaml, context \"x\": cluster \"nowhere\" not found (available: none)"
        }
        let noCurrent = try KubeconfigLoader.parse("clusters: []\n", file: "/tmp/empty.yaml")
        #expect(throws: ConfigError.self) { try ClientConfiguration(kubeconfig: noCurrent) }
    }

    @Test(arguments: [
        ("clusters: {a: b}", "clusters: must be a list"),
        ("clusters:\n- cluster: {server: x}", "clusters[0].name: is missing"),
        ("clusters:\n- name: a\n  cluster: {server: x}\n- name: a\n  cluster: {server: y}", "duplicate cluster name \"a\""),
        ("users:\n- name: u\n  user: {client-key-data: '!!!'}", "users[0].user.client-key-data: is not valid base64"),
        ("users:\n- name: u\n  user:\n    exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}", "is not supported"),
        ("users:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1}", "users[0].user.exec.command: is missing"),
        ("kind: Pod", "kind must be \"Config\""),
        ("a: [", "YAML error"),
    ])
    func rejectsBrokenFilesClearly(text: String, fragment: String) {
        #expect {
            try KubeconfigLoader.parse(text, file: "/etc/kube.yaml")
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("kubeconfig /etc/kube.yaml") && description.contains(fragment)
        }
    }

    @Test func rejectsContradictoryUsersAndClusters() throws {
        let twoMethods = try KubeconfigLoader.parse(
            """
            clusters: [{name: c, cluster: {server: "https://x"}}]
            users: [{name: u, user: {token: t, username: a, password: b}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """, file: "/k")
        #expect {
            try ClientConfiguration(kubeconfig: twoMethods)
        } throws: { error in
            "\(error)".contains("more than one authentication method is set: token, username/password")
        }
        let insecureWithCA = try KubeconfigLoader.parse(
            """
            clusters: [{name: c, cluster: {server: "https://x", insecure-skip-tls-verify: true, certificate-authority-data: UEVN}}]
            contexts: [{name: x, context: {cluster: c}}]
            current-context: x
            """, file: "/k")
        #expect(throws: ConfigError.self) { try ClientConfiguration(kubeconfig: insecureWithCA) }
        let badServer = try KubeconfigLoader.parse(
            "clusters: [{name: c, cluster: {server: \"ftp://x\"}}]\ncontexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x\n", file: "/k")
        #expect(throws: ConfigError.self) { try ClientConfiguration(kubeconfig: badServer) }
    }

    @Test func parsesExecPlugins() throws {
        let config = try KubeconfigLoader.parse(
            """
            clusters: [{name: c, cluster: {server: "https://x", certificate-authority-data: UEVN}}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: ./bin/get-token
                  args: [--cluster, c]
                  env: [{name: A, value: "1"}]
                  provideClusterInfo: true
                  installHint: install it
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """, file: "/home/me/.kube/config")
        let configuration = try ClientConfiguration(kubeconfig: config)
        guard case .exec(let exec, let info) = configuration.authentication else {
            Issue.record("expected exec authentication")
            return
        }
        #expect(exec.command == "/home/me/.kube/./bin/get-token")
        #expect(exec.args == ["--cluster", "c"])
        #expect(exec.env.map(\.name) == ["A"])
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
        #expect(info?.server == "https://x")
        #expect(info?.certificateAuthorityData == Array("PEM".utf8))
    }

    @Test func inClusterConfigReadsTheServiceAccount() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sa-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "tok".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        try "PEM".write(toFile: "\(directory)/ca.crt", atomically: true, encoding: .utf8)
        try "apps\n".write(toFile: "\(directory)/namespace", atomically: true, encoding: .utf8)
        let environment = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]
        let configuration = try ClientConfiguration.inCluster(environment: environment, directory: directory)
        #expect(configuration.server == "https://[fd00::1]:443")
        #expect(configuration.namespace == "apps")
        #expect(configuration.authentication == .tokenFile("\(directory)/token"))
        #expect(configuration.tls.certificateAuthorityFile == "\(directory)/ca.crt")
        #expect(throws: ConfigError.self) { try ClientConfiguration.inCluster(environment: [:], directory: directory) }
    }
}

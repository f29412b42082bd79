import Foundation
import KubeSim
import Testing

/// Operators' logs are shipped to log stores many people read. Whatever the operator
/// authenticates with (a client key, a bearer token, an exec plugin's output) must never reach a
/// log line, even at trace level, through a release, a revert and a credential rotation.
@Suite(
    "Credentials never reach the operator's log", .serialized, .timeLimit(.minutes(10)),
    .enabled(if: E2ELane.isKubesim, "issues kubesim client certificates and tokens"))
struct SecretsInLogsTests {
    @Test("at trace level: a client key, then exec-plugin tokens rotated after a 401, appear in no log line")
    func credentialsNeverLogged() async throws {
        try await Cluster.with(tls: true) { cluster in
            let sim = try #require(cluster.sim)
            await cluster.stopOperator()
            var secrets: [String] = []

            // 1. A client certificate and key in the kubeconfig.
            let certificate = try sim.issueClientCertificate(commonName: "apprelease-controller")
            let keyData = Data(certificate.privateKeyPEM.utf8).base64EncodedString()
            let withKey = try cluster.operatorKubeconfig(
                user: """
                      client-certificate-data: \(Data(certificate.certificatePEM.utf8).base64EncodedString())
                      client-key-data: \(keyData)
                  """, name: "client-key")
            secrets.append(keyData)
            // The key as PEM: each base64 line of its body.
            secrets += certificate.privateKeyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count >= 16 }.map(String.init)
            let keyed = try cluster.startOperator(kubeconfig: withKey, logLevel: "trace")
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            let first = try await cluster.wait(for: "Ready")
            #expect(first.succeeded, "\(first)")
            await cluster.stopOperator()

            // 2. An exec credential plugin, whose token is rotated: the old one is revoked, the
            // operator gets 401, runs the plugin again and carries on with the new one.
            let (oldToken, newToken) = ("exec-old-" + UUID().uuidString, "exec-new-" + UUID().uuidString)
            secrets += [oldToken, newToken]
            sim.acceptToken(oldToken)
            let tokenFile = cluster.directory + "/plugin-token"
            try oldToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let plugin = cluster.directory + "/credential-plugin.sh"
            try """
                #!/bin/sh
                printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat \(tokenFile))"
                """.write(toFile: plugin, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin)
            let withPlugin = try cluster.operatorKubeconfig(
                user: """
                      exec:
                        apiVersion: client.authentication.k8s.io/v1
                        command: \(plugin)
                        interactiveMode: Never
                  """, name: "exec-plugin")
            let exec = try cluster.startOperator(kubeconfig: withPlugin, logLevel: "trace")
            try await cluster.release(image: Images.v2)
            let second = try await cluster.wait(for: "Ready")
            #expect(second.succeeded, "\(second)")

            try newToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
            sim.acceptToken(newToken)
            sim.revokeToken(oldToken)
            try await cluster.release(image: Images.crash)
            let reverted = try await cluster.wait(for: "Degraded", timeout: 120)
            #expect(reverted.succeeded, "\(reverted)")
            #expect(exec.output().contains("credentials rejected; refreshed and retrying"), "the rotation was not exercised")

            for (name, process) in [("client key", keyed), ("exec plugin", exec)] {
                let log = process.output()
                // Trace level really was on: requests are logged one by one.
                #expect(log.contains("[KubeClient] request"), "\(name): no request lines at trace level")
                for secret in secrets {
                    let lines = log.split(separator: "\n").filter { $0.contains(secret) }
                    #expect(lines.isEmpty, "\(name): a credential in the log: \(lines.prefix(2))")
                }
                #expect(!log.contains("Bearer "), "\(name): an Authorization header in the log")
            }
        }
    }
}

extension Cluster {
    /// A kubeconfig for kubesim's server and CA with `user` (indented YAML under `user:`).
    func operatorKubeconfig(user: String, name: String) throws -> String {
        let sim = try #require(sim)
        let lines = sim.kubeconfig().split(separator: "\n", omittingEmptySubsequences: false)
        var result: [Substring] = []
        var skipping = false
        for line in lines {
            if line.hasPrefix("  user:") {
                result.append("  user:")
                result.append(contentsOf: user.split(separator: "\n"))
                skipping = true
            } else if skipping && line.hasPrefix("    ") {
                continue
            } else {
                skipping = false
                result.append(line)
            }
        }
        let path = directory + "/\(name).kubeconfig"
        try result.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

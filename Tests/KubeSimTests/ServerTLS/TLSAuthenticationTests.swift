import Foundation
import KubeSim
import TestSupport
import Testing

/// TLS mode: kubectl trusts the generated CA and authenticates with the kubeconfig's bearer
/// token or a CA-signed client certificate; anything else gets 401.
@Suite(.enabled(if: Kubectl.isAvailable, "kubectl is not on PATH"))
struct TLSAuthenticationTests {
    func withTLSSim(_ body: (KubeSimFixture) async throws -> Void) async throws {
        try await withKubeSim({
            $0.tls = true
            $0.simulateCluster = false
        }, body)
    }

    @Test func tokenFromKubeconfigIsAcceptedAndOthersAreNot() async throws {
        try await withTLSSim { fixture in
            #expect(fixture.sim.baseURL.hasPrefix("https://127.0.0.1:"))
            let namespaces = try await fixture.kubectl.succeed(["get", "namespaces", "-o", "name"])
            #expect(namespaces.contains("namespace/default"))
            let wrong = try await fixture.kubectl.run(["get", "namespaces", "--token=not-a-valid-token"])
            #expect(!wrong.succeeded)
            #expect(wrong.stderr.contains("provide credentials") || wrong.stderr.contains("Unauthorized"))

            fixture.sim.acceptToken("extra-token")
            try await fixture.kubectl.succeed(["get", "namespaces", "--token=extra-token"])
            fixture.sim.revokeToken("extra-token")
            let revoked = try await fixture.kubectl.run(["get", "namespaces", "--token=extra-token"])
            #expect(!revoked.succeeded)
        }
    }

    @Test func clientCertificateSignedByTheCAAuthenticates() async throws {
        try await withTLSSim { fixture in
            let pair = try fixture.sim.issueClientCertificate(commonName: "tester")
            let ca = try #require(fixture.sim.caCertificatePEM)
            let kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kubesim
                  cluster:
                    server: \(fixture.sim.baseURL)
                    certificate-authority-data: \(Data(ca.utf8).base64EncodedString())
                users:
                - name: tester
                  user:
                    client-certificate-data: \(Data(pair.certificatePEM.utf8).base64EncodedString())
                    client-key-data: \(Data(pair.privateKeyPEM.utf8).base64EncodedString())
                contexts:
                - name: kubesim
                  context: {cluster: kubesim, user: tester, namespace: default}
                current-context: kubesim
                """
            let path = "\(fixture.directory)/cert-kubeconfig"
            try kubeconfig.write(toFile: path, atomically: true, encoding: .utf8)
            let kubectl = Kubectl(kubeconfigPath: path, cacheDirectory: "\(fixture.directory)/cert-cache")
            let output = try await kubectl.succeed(["get", "namespaces", "-o", "name"])
            #expect(output.contains("namespace/kube-system"))
            #expect(fixture.sim.requestCounts()["LIST namespaces", default: 0] >= 1)
            #expect(fixture.sim.acceptedConnections >= 1)
        }
    }
}

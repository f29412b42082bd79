import Foundation
import KubeClient
import KubeModels
import KubeSim
import Testing
import TestSupport

@Suite struct TLSAuthTests {
    /// A kubeconfig for `sim` with a chosen CA and user block.
    static func kubeconfig(_ sim: KubeSim, caPEM: String?, cluster extra: String = "", user: String) -> String {
        let authority = caPEM.map { "\n    certificate-authority-data: \(Data($0.utf8).base64EncodedString())" } ?? ""
        return """
            clusters:
            - name: sim
              cluster:
                server: \(sim.baseURL)\(authority)\(extra)
            users:
            - name: u
              user:
            \(user)
            contexts:
            - name: sim
              context: {cluster: sim, user: u, namespace: default}
            current-context: sim
            """
    }

    static func client(
        _ text: String, file: String = "/tmp/kubeconfig", configure: (inout ClientConfiguration) -> Void = { _ in }
    ) throws -> KubernetesClient {
        var configuration = try ClientConfiguration(kubeconfig: KubeconfigLoader.parse(text, file: file))
        configure(&configuration)
        return try KubernetesClient(configuration: configuration)
    }

    @Test func bearerTokenOverHTTP2WithTheClusterCA() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let client = try makeClient(fixture)
            defer { client.shutdown() }
            let namespaces = try await client.list(.namespaces, namespace: nil)
            #expect(namespaces.items.contains { $0[path: "metadata", "name"] == "default" })
        }
    }

    @Test func clientCertificatesFromDataAndFromFiles() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let sim = fixture.sim
            let (certificate, key) = try sim.issueClientCertificate(commonName: "alice")
            let inline = Self.kubeconfig(
                sim, caPEM: sim.caCertificatePEM,
                user: "    client-certificate-data: \(Data(certificate.utf8).base64EncodedString())\n    client-key-data: \(Data(key.utf8).base64EncodedString())")
            let blobClient = try Self.client(inline)
            defer { blobClient.shutdown() }
            _ = try await blobClient.get(.namespaces, namespace: nil, name: "default")

            try certificate.write(toFile: "\(fixture.directory)/alice.crt", atomically: true, encoding: .utf8)
            try key.write(toFile: "\(fixture.directory)/alice.key", atomically: true, encoding: .utf8)
            try (sim.caCertificatePEM ?? "").write(toFile: "\(fixture.directory)/ca.crt", atomically: true, encoding: .utf8)
            let files = Self.kubeconfig(sim, caPEM: nil, cluster: "\n    certificate-authority: ca.crt", user: "    client-certificate: alice.crt\n    client-key: alice.key")
            let fileClient = try Self.client(files, file: "\(fixture.directory)/config")
            defer { fileClient.shutdown() }
            _ = try await fileClient.get(.namespaces, namespace: nil, name: "default")

            let anonymous = try Self.client(Self.kubeconfig(sim, caPEM: sim.caCertificatePEM, user: "    {}"))
            defer { anonymous.shutdown() }
            await #expect {
                try await anonymous.get(.namespaces, namespace: nil, name: "default")
            } throws: { error in
                (error as? KubernetesError)?.isUnauthorized == true
            }
        }
    }

    @Test func aWrongCAFailsVerification() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { other in
                let text = Self.kubeconfig(fixture.sim, caPEM: other.sim.caCertificatePEM, user: "    token: \(fixture.sim.token ?? "")")
                let client = try Self.client(text)
                defer { client.shutdown() }
                await #expect {
                    try await client.get(.namespaces, namespace: nil, name: "default")
                } throws: { error in
                    guard let error = error as? KubernetesError, error.isTransport else { return false }
                    return "\(error)".lowercased().contains("certificate")
                }
            }
        }
    }

    @Test func tlsServerNameAndInsecureSkipVerify() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let sim = fixture.sim
            let token = "    token: \(sim.token ?? "")"
            // The serving certificate names localhost and 127.0.0.1, not "wrong.example".
            let named = try Self.client(Self.kubeconfig(sim, caPEM: sim.caCertificatePEM, cluster: "\n    tls-server-name: localhost", user: token))
            defer { named.shutdown() }
            _ = try await named.get(.namespaces, namespace: nil, name: "default")
            let misnamed = try Self.client(Self.kubeconfig(sim, caPEM: sim.caCertificatePEM, cluster: "\n    tls-server-name: wrong.example", user: token))
            defer { misnamed.shutdown() }
            await #expect {
                try await misnamed.get(.namespaces, namespace: nil, name: "default")
            } throws: { error in
                (error as? KubernetesError)?.isTransport == true
            }
            let insecure = try Self.client(Self.kubeconfig(sim, caPEM: nil, cluster: "\n    insecure-skip-tls-verify: true", user: token))
            defer { insecure.shutdown() }
            _ = try await insecure.get(.namespaces, namespace: nil, name: "default")
        }
    }

    @Test func tokenFileRotationIsPickedUp() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let sim = fixture.sim
            let original = try #require(sim.token)
            let tokenPath = "\(fixture.directory)/token"
            try original.write(toFile: tokenPath, atomically: true, encoding: .utf8)
            let client = try Self.client(Self.kubeconfig(sim, caPEM: sim.caCertificatePEM, user: "    tokenFile: token"), file: "\(fixture.directory)/config")
            defer { client.shutdown() }
            _ = try await client.get(.namespaces, namespace: nil, name: "default")

            // Rotate: the new token is valid, the old one is revoked, the file is replaced.
            let rotated = "rotated-\(UUID().uuidString)"
            sim.acceptToken(rotated)
            try rotated.write(toFile: tokenPath, atomically: true, encoding: .utf8)
            sim.revokeToken(original)
            _ = try await client.get(.namespaces, namespace: nil, name: "default")
            _ = try await client.list(.configMaps, namespace: "default")

            // A token that is revoked without a new file cannot be refreshed: 401 surfaces.
            sim.revokeToken(rotated)
            await #expect {
                try await client.get(.namespaces, namespace: nil, name: "default")
            } throws: { error in
                (error as? KubernetesError)?.isUnauthorized == true
            }
        }
    }
}

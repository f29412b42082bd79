import Foundation
import KubeClient
import KubeModels
import KubeSim
import Testing
import TestSupport

@Suite struct ExecPluginTests {
    /// Counts its runs in `count`, records its environment, and prints the token in `token-N`
    /// (or `token`) as a v1 ExecCredential.
    static let script = """
        #!/bin/sh
        dir="$(dirname "$0")"
        n=$(cat "$dir/count" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo "$n" > "$dir/count"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/info-$n.json"
        printf '%s %s' "$PLUGIN_MODE" "$*" > "$dir/env-$n"
        if [ -f "$dir/token-$n" ]; then token=$(cat "$dir/token-$n"); else token=$(cat "$dir/token"); fi
        if [ "$token" = "fail" ]; then echo "no credentials for you" >&2; exit 3; fi
        if [ "$token" = "hang" ]; then sleep 20; fi
        if [ "$token" = "flood" ]; then yes '{"apiVersion":'; fi
        if [ "$token" = "garbage" ]; then printf 'Password: hunter2\n{"kind":'; exit 0; fi
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}' "$token"
        """

    static func setUp(
        _ fixture: KubeSimFixture, configure: (inout ClientConfiguration) -> Void = { _ in }
    ) throws -> (KubernetesClient, String) {
        let directory = "\(fixture.directory)/plugin"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/get-token"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        let text = TLSAuthTests.kubeconfig(
            fixture.sim, caPEM: fixture.sim.caCertificatePEM,
            user: """
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: plugin/get-token
                      args: [--region, eu]
                      env: [{name: PLUGIN_MODE, value: test}]
                      provideClusterInfo: true
                      interactiveMode: Never
                """)
        let client = try TLSAuthTests.client(text, file: "\(fixture.directory)/config", configure: configure)
        return (client, directory)
    }

    static func runs(_ directory: String) -> Int {
        Int((try? String(contentsOfFile: "\(directory)/count", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
    }

    @Test func credentialsAreCachedThenRefreshedAfter401() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let (client, directory) = try Self.setUp(fixture)
            defer { client.shutdown() }
            fixture.sim.acceptToken("exec-one")
            try "exec-one".write(toFile: "\(directory)/token-1", atomically: true, encoding: .utf8)
            try "exec-two".write(toFile: "\(directory)/token-2", atomically: true, encoding: .utf8)

            async let first = client.get(.namespaces, namespace: nil, name: "default")
            async let second = client.list(.namespaces, namespace: nil)
            _ = try await (first, second)
            _ = try await client.get(.namespaces, namespace: nil, name: "kube-system")
            #expect(Self.runs(directory) == 1, "concurrent and later requests share one cached credential")

            let info = try JSONValue(parsing: String(contentsOfFile: "\(directory)/info-1.json", encoding: .utf8))
            #expect(info["apiVersion"] == "client.authentication.k8s.io/v1")
            #expect(info["kind"] == "ExecCredential")
            #expect(info[path: "spec", "interactive"] == false)
            #expect(info[path: "spec", "cluster", "server"]?.stringValue == fixture.sim.baseURL)
            #expect(try String(contentsOfFile: "\(directory)/env-1", encoding: .utf8) == "test --region eu")

            // The server stops accepting the cached token: 401 → run the plugin again → retry once.
            fixture.sim.acceptToken("exec-two")
            fixture.sim.revokeToken("exec-one")
            let namespace = try await client.get(.namespaces, namespace: nil, name: "default")
            #expect(namespace[path: "metadata", "name"] == "default")
            #expect(Self.runs(directory) == 2)
        }
    }

    @Test func aFailingPluginReportsItsStatusAndStderr() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let (client, directory) = try Self.setUp(fixture)
            defer { client.shutdown() }
            try "fail".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
            await #expect {
                try await client.get(.namespaces, namespace: nil, name: "default")
            } throws: { error in
                let text = "\(error)"
                return error is ExecPluginError && text.contains("exited with status 3") && text.contains("no credentials for you")
            }
        }
    }

    /// Every request waits for the plugin: one that hangs (here a shell whose child sleeps with
    /// the pipes open) is killed at the timeout and the request fails saying so.
    @Test func aHangingPluginIsKilledAtTheTimeout() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let (client, directory) = try Self.setUp(fixture) { $0.execPluginTimeout = .seconds(1) }
            defer { client.shutdown() }
            try "hang".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
            let started = ContinuousClock.now
            await #expect {
                try await client.get(.namespaces, namespace: nil, name: "default")
            } throws: { error in
                error is ExecPluginError && "\(error)".contains("did not finish within 1.0 seconds; killed")
            }
            #expect(ContinuousClock.now - started < .seconds(10), "the request waited for the plugin to end on its own")
        }
    }

    @Test func aPluginPrintingWithoutEndIsKilled() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let (client, directory) = try Self.setUp(fixture)
            defer { client.shutdown() }
            try "flood".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
            await #expect {
                try await client.get(.namespaces, namespace: nil, name: "default")
            } throws: { error in
                error is ExecPluginError && "\(error)".contains("printed more than 1048576 bytes; killed")
            }
        }
    }

    /// Garbage is refused naming the plugin and the problem, and what it printed (which may hold
    /// a secret) is not repeated in the error.
    @Test func garbageOutputIsRefusedWithoutRepeatingIt() async throws {
        try await withKubeSim({ $0.tls = true; $0.simulateCluster = false }) { fixture in
            let (client, directory) = try Self.setUp(fixture)
            defer { client.shutdown() }
            try "garbage".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
            await #expect {
                try await client.get(.namespaces, namespace: nil, name: "default")
            } throws: { error in
                let text = "\(error)"
                return error is ExecPluginError && text.contains("output is not an ExecCredential JSON document") && !text.contains("hunter2")
            }
        }
    }
}

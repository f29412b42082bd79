import Foundation
import KubeSim

/// A running kubesim with a kubeconfig in a private temporary directory and a `Kubectl` for it.
public final class KubeSimFixture: Sendable {
    public let sim: KubeSim
    public let directory: String
    public let kubeconfigPath: String
    public let kubectl: Kubectl

    init(sim: KubeSim) throws {
        self.sim = sim
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        kubeconfigPath = "\(directory)/kubeconfig"
        try sim.writeKubeconfig(to: kubeconfigPath)
        kubectl = Kubectl(kubeconfigPath: kubeconfigPath, cacheDirectory: "\(directory)/cache")
    }

    public func shutdown() async {
        await sim.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Starts kubesim on an ephemeral loopback port (cluster simulation per `options`).
public func startKubeSim(_ configure: (inout KubeSimOptions) -> Void = { _ in }) async throws -> KubeSimFixture {
    var options = KubeSimOptions()
    configure(&options)
    let sim = try await KubeSim.start(options)
    do {
        return try KubeSimFixture(sim: sim)
    } catch {
        await sim.shutdown()
        throw error
    }
}

/// Runs `body` against a fresh kubesim and shuts it down afterwards, even when `body` throws.
public func withKubeSim<T>(
    _ configure: (inout KubeSimOptions) -> Void = { _ in }, _ body: (KubeSimFixture) async throws -> T
) async throws -> T {
    let fixture = try await startKubeSim(configure)
    do {
        let result = try await body(fixture)
        await fixture.shutdown()
        return result
    } catch {
        await fixture.shutdown()
        throw error
    }
}

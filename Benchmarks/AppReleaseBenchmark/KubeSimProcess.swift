import Foundation
import TestSupport

/// `kubesim` in a process of its own, serving plain HTTP on a free loopback port.
final class KubeSimProcess: Sendable {
    let process: ChildProcess
    let baseURL: String
    let kubeconfigPath: String

    private init(process: ChildProcess, baseURL: String, kubeconfigPath: String) {
        self.process = process
        self.baseURL = baseURL
        self.kubeconfigPath = kubeconfigPath
    }

    static func start(_ settings: BenchSettings) async throws -> KubeSimProcess {
        let kubeconfigPath = settings.logDirectory + "/kubeconfig"
        let process = try ChildProcess(
            name: "kubesim", executable: settings.kubesimBinary,
            arguments: ["serve", "--port", "0", "--kubeconfig-out", kubeconfigPath, "--pod-ready-delay-ms", "\(settings.podReadyDelayMs)"],
            logDirectory: settings.logDirectory)
        do {
            // Its one line on stdout, written once the kubeconfig is.
            let baseURL = try await process.awaitOutput("its address") { output in
                output.split(separator: "\n").lazy.compactMap { line in
                    line.hasPrefix("kubesim listening on ") ? String(line.dropFirst("kubesim listening on ".count)) : nil
                }.first
            }
            return KubeSimProcess(process: process, baseURL: baseURL, kubeconfigPath: kubeconfigPath)
        } catch {
            await process.stop()
            throw error
        }
    }

    /// Every resource request kubesim has served, by client.
    func requests() async throws -> [ClientRequestCount] {
        let (status, body) = try await LoopbackHTTP.get(baseURL + "/kubesim/requests")
        guard status == 200 else { throw BenchError("GET /kubesim/requests: \(status) \(String(decoding: body, as: UTF8.self))") }
        return try JSONDecoder().decode([ClientRequestCount].self, from: body)
    }

    var usage: ProcessUsage? { ProcessUsage.read(pid: process.pid) }

    func stop() async { await process.stop(grace: .seconds(10)) }
}

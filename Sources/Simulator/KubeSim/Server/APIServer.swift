import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// Runs the Hummingbird application serving kubesim on loopback: HTTP/1.1 in plain mode, TLS
/// with ALPN (h2, http/1.1) in TLS mode.
struct APIServer: Sendable {
    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    let task: Task<Void, Never>
    let port: Int

    static func start(
        host: String, port: Int, responder: KubeSimResponder, tls: TLSConfiguration?
    ) async throws -> APIServer {
        var logger = Logger(label: "kubesim")
        // Cancelling the server on shutdown logs an error per open connection: expected, not news.
        logger.logLevel = .critical
        let server: HTTPServerBuilder = if let tls { try .http2Upgrade(tlsConfiguration: tls) } else { .http1() }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder, server: server, configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }, logger: logger)
        let failure = Mutex<String?>(nil)
        let task = Task {
            do {
                try await app.run()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            portContinuation.finish()
        }
        var boundPort: Int?
        for await value in ports {
            boundPort = value
            break
        }
        guard let boundPort, boundPort > 0 else {
            task.cancel()
            throw StartError(description: "kubesim could not listen on \(host):\(port): \(failure.withLock { $0 } ?? "unknown error")")
        }
        return APIServer(task: task, port: boundPort)
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}


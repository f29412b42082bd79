import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// Runs the Hummingbird application serving kubesim on loopback: HTTP/1.1 in plain mode, TLS
/// with ALPN (h2, http/1.1) in TLS mode.
struct APIServer: Sendable {
    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    let task: Task<Void, Never>
    let group: ServiceGroup
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
        // Run under a service group so that stopping is a graceful shutdown: cancelling a
        // Hummingbird server that still holds freshly accepted connections traps in NIO
        // ("Deinited NIOAsyncWriter without calling finish()"), and clients reconnect the moment
        // their watches end.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
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
        return APIServer(task: task, group: group, port: boundPort)
    }

    /// Stops accepting connections. In-flight requests finish; connections close after them.
    func beginShutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// Waits for the server to end, cancelling it if in-flight requests outlast `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        await beginShutdown()
        let deadline = Task { [task] in
            try await Task.sleep(for: grace)
            task.cancel()
        }
        await task.value
        deadline.cancel()
    }
}


import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The probe and metrics HTTP server (Hummingbird). Routes are fixed: `/healthz`, `/readyz`,
/// `/metrics`; an endpoint serves those it is given.
struct HTTPEndpoint: Sendable {
    struct Routes: Sendable {
        var healthz: (@Sendable () -> Bool)?
        var readyz: (@Sendable () -> Bool)?
        var metrics: (@Sendable () -> String)?
    }

    let address: ListenAddress
    let routes: Routes
    let logger: Logger

    /// Serves until cancelled; `bound` resolves with the actual port (or the bind error).
    func run(bound: PortPromise, stopper: ServerStopper) async throws {
        let router = Router()
        if let healthz = routes.healthz {
            router.get("/healthz") { _, _ -> Response in Self.probe(healthz()) }
        }
        if let readyz = routes.readyz {
            router.get("/readyz") { _, _ -> Response in Self.probe(readyz()) }
        }
        if let metrics = routes.metrics {
            router.get("/metrics") { _, _ -> Response in
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics())))
            }
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? address.port)) },
            logger: logger)
        // Run under our own ServiceGroup so the manager can stop the server gracefully;
        // cancelling Hummingbird instead logs a spurious error.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        stopper.set(group)
        defer { stopper.finished.fire() }
        do {
            try await group.run()
            bound.resolve(.failure(ConfigurationError("server on \(address) stopped before binding")))
        } catch {
            bound.resolve(.failure(error))
            throw error
        }
    }

    private static func probe(_ ok: Bool) -> Response {
        Response(
            status: ok ? .ok : .serviceUnavailable,
            body: .init(byteBuffer: ByteBuffer(string: ok ? "ok\n" : "not ready\n")))
    }
}

/// The port an endpoint bound to, once known.
final class PortPromise: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiters: [CheckedContinuation<Result<Int, any Error>, Never>] = []
    }

    private let state = Mutex(State())

    func resolve(_ result: Result<Int, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Result<Int, any Error>, Never>] in
            guard state.result == nil else { return [] }
            state.result = result
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    var port: Int? {
        state.withLock { state in
            if case .success(let port) = state.result { return port }
            return nil
        }
    }

    func wait() async -> Result<Int, any Error> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<Int, any Error>? in
                if let result = state.result { return result }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Lets the manager stop a running endpoint gracefully.
final class ServerStopper: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)
    private let stopped = Mutex(false)
    let finished = OneShotSignal()

    func set(_ serviceGroup: ServiceGroup) {
        let alreadyStopped = stopped.withLock { $0 }
        group.withLock { $0 = serviceGroup }
        if alreadyStopped { Task { await serviceGroup.triggerGracefulShutdown() } }
    }

    func stop() async {
        stopped.withLock { $0 = true }
        if let serviceGroup = group.withLock({ $0 }) { await serviceGroup.triggerGracefulShutdown() }
        // Bounded: a client holding a connection open must not hold up the shutdown.
        _ = await finished.wait(atMost: .seconds(3))
    }
}

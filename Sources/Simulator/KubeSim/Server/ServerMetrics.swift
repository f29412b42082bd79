import NIOCore
import Synchronization

/// Connection and request counters, for tests that assert connection reuse or an idle client.
final class ServerMetrics: Sendable {
    private struct Counts {
        var connections: Set<ObjectIdentifier> = []
        var connectionCount = 0
        var requests = 0
        var byVerbAndResource: [String: Int] = [:]
        var byClient: [ClientRequest: Int] = [:]
        var conflictsByClient: [ClientRequest: Int] = [:]
    }

    private let counts = Mutex(Counts())

    /// Counts a connection the first time a request arrives on it. Identities are forgotten
    /// when the connection closes, so a later connection reusing the address counts anew.
    func noteConnection(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let isNew = counts.withLock { counts in
            guard counts.connections.insert(id).inserted else { return false }
            counts.connectionCount += 1
            return true
        }
        if isNew {
            channel.closeFuture.whenComplete { [self] _ in
                counts.withLock { _ = $0.connections.remove(id) }
            }
        }
    }

    func noteRequest(verb: String, resource: String, client: ClientRequest?) {
        counts.withLock {
            $0.requests += 1
            $0.byVerbAndResource["\(verb) \(resource)", default: 0] += 1
            if let client { $0.byClient[client, default: 0] += 1 }
        }
    }

    /// A request of `client` answered 409 Conflict (a stale resourceVersion, AlreadyExists).
    func noteConflict(client: ClientRequest?) {
        guard let client else { return }
        counts.withLock { $0.conflictsByClient[client, default: 0] += 1 }
    }

    var acceptedConnections: Int { counts.withLock { $0.connectionCount } }
    var requestCount: Int { counts.withLock { $0.requests } }
    func requestCounts() -> [String: Int] { counts.withLock { $0.byVerbAndResource } }
    func requestsByClient() -> [ClientRequest: Int] { counts.withLock { $0.byClient } }
    func conflictsByClient() -> [ClientRequest: Int] { counts.withLock { $0.conflictsByClient } }
}

import Foundation
import KubeModels
import Logging
import Synchronization

/// The `KubernetesAPI` over libcurl: one multi handle on its own thread, every request and watch
/// multiplexed over one HTTP/2 connection, a shared token bucket, retries for safe requests, and
/// credentials refreshed after a 401.
public final class KubernetesClient: KubernetesAPI, Sendable {
    public let configuration: ClientConfiguration
    let transport: CurlTransport
    let credentialProvider: any CredentialProvider
    let rateLimiter: RateLimiter
    let retryPolicy: RetryPolicy
    let logger: Logger
    let counters = StatisticsCounters()

    public init(configuration: ClientConfiguration, logger: Logger = Logger(label: "kubeclient")) throws(ConfigError) {
        self.configuration = configuration
        self.logger = logger
        transport = CurlTransport(factory: try CurlEasyFactory(configuration: configuration))
        credentialProvider = configuration.makeCredentialProvider()
        rateLimiter = RateLimiter(qps: configuration.qps, burst: configuration.burst)
        retryPolicy = RetryPolicy(maxRetries: configuration.maxRetries)
        if configuration.tls.insecureSkipVerify {
            logger.warning(
                "insecure-skip-tls-verify is set: the API server's certificate is not verified",
                metadata: ["server": "\(configuration.server)", "context": "\(configuration.contextName ?? "-")"])
        }
    }

    /// kubectl's lookup (`--kubeconfig`, `KUBECONFIG`, in-cluster, `~/.kube/config`).
    public convenience init(
        kubeconfigPath: String? = nil, context: String? = nil, namespace: String? = nil, logger: Logger = Logger(label: "kubeclient")
    ) throws(ConfigError) {
        try self.init(configuration: ClientConfiguration.load(kubeconfigPath: kubeconfigPath, context: context, namespace: namespace), logger: logger)
    }

    deinit { transport.shutdown() }

    /// Aborts every transfer in flight and stops the transport thread.
    public func shutdown() { transport.shutdown() }

    public var defaultNamespace: String { configuration.namespace }

    public var statistics: ClientStatistics { counters.snapshot }

    public var requestBacklog: Duration { rateLimiter.backlog }

    /// Sends `request` with rate limiting, credentials, one re-authentication after a 401, and
    /// retries. Returns any HTTP answer; callers turn non-2xx into errors.
    func execute(_ request: HTTPRequest, stream: (any ResponseStream)? = nil) async throws -> HTTPResponse {
        var attempt = 0
        var reauthenticated = false
        while true {
            try await rateLimiter.acquire()
            let credentials = try await credentialProvider.credentials()
            let id = counters.requests.wrappingAdd(1, ordering: .relaxed).newValue
            let started = ContinuousClock.now
            let response: HTTPResponse
            do {
                response = try await transport.send(request, credentials: credentials, stream: stream)
            } catch let error as KubernetesError where error.isTransport {
                logger.debug("request failed", metadata: metadata(id, request, started, ["error": "\(error)", "attempt": "\(attempt)"]))
                guard retryPolicy.shouldRetryTransportError(request: request, attempt: attempt) else { throw error }
                try await Task.sleep(for: retryPolicy.delay(attempt: attempt, retryAfterSeconds: nil))
                attempt += 1
                continue
            }
            logger.debug("request", metadata: metadata(id, request, started, ["status": "\(response.status)", "attempt": "\(attempt)"]))
            if response.status == 401 && !reauthenticated {
                reauthenticated = true
                if await credentialProvider.invalidate(credentials) {
                    logger.debug("credentials rejected; refreshed and retrying", metadata: ["request": "\(id)"])
                    continue
                }
            }
            if !response.isSuccess && retryPolicy.shouldRetry(status: response.status, request: request, attempt: attempt) {
                let delay = retryPolicy.delay(attempt: attempt, retryAfterSeconds: response.retryAfterSeconds)
                logger.debug("retrying", metadata: ["request": "\(id)", "status": "\(response.status)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
                attempt += 1
                continue
            }
            return response
        }
    }

    /// `execute`, then the body as JSON, or the decoded `Status` as a thrown error.
    func executeJSON(_ request: HTTPRequest) async throws -> JSONValue {
        let response = try await execute(request)
        guard response.isSuccess else { throw KubernetesError.from(response) }
        if response.body.isEmpty { return .null }
        do {
            defer { counters.addDecoded(response.body.count) }
            return try JSONValue(parsing: response.body)
        } catch {
            throw KubernetesError.transport("\(request.method) \(request.path): response is not JSON: \(error)")
        }
    }

    /// Request IDs, method, path and timing only: never headers, tokens or bodies.
    private func metadata(_ id: UInt64, _ request: HTTPRequest, _ started: ContinuousClock.Instant, _ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "request": "\(id)", "method": "\(request.method)", "path": "\(request.path)",
            "elapsed": "\(ContinuousClock.now - started)",
        ]
        metadata.merge(extra) { _, new in new }
        return metadata
    }
}

@testable import KubeClient
import KubeModels
import Testing

@Suite struct TransportPolicyTests {
    @Test func rateLimiterAllowsTheBurstThenSpacesRequests() {
        let limiter = RateLimiter(qps: 10, burst: 5)
        let waits = (0..<5).map { _ in limiter.reserve() }
        #expect(waits.allSatisfy { $0 == .zero })
        let sixth = limiter.reserve()
        let seventh = limiter.reserve()
        #expect(sixth > .zero && sixth <= .milliseconds(100))
        #expect(seventh > sixth)
        #expect(RateLimiter(qps: 0, burst: 1).reserve() == .zero)
    }

    @Test func backlogSaysHowLongTheNextRequestWouldWaitWithoutTakingAToken() {
        // 1 per second: a refill during the test is at most a fraction of a token.
        let limiter = RateLimiter(qps: 1, burst: 2)
        #expect(limiter.backlog == .zero)
        #expect(limiter.backlog == .zero, "looking took a token")
        _ = limiter.reserve()
        _ = limiter.reserve()
        let backlog = limiter.backlog
        #expect(backlog > .milliseconds(500) && backlog <= .seconds(1))
        #expect(limiter.reserve() > .zero)
        #expect(limiter.backlog > backlog, "a reserved token did not lengthen the backlog")
        #expect(RateLimiter(qps: 0, burst: 1).backlog == .zero)
    }

    @Test func retriesSafeRequestsAndAny429() {
        let policy = RetryPolicy(maxRetries: 3)
        let get = HTTPRequest(method: "GET", path: "/api/v1/pods")
        let post = HTTPRequest(method: "POST", path: "/api/v1/namespaces/default/pods")
        #expect(policy.shouldRetry(status: 503, request: get, attempt: 0))
        #expect(policy.shouldRetry(status: 429, request: post, attempt: 0))
        #expect(!policy.shouldRetry(status: 503, request: post, attempt: 0))
        #expect(!policy.shouldRetry(status: 404, request: get, attempt: 0))
        #expect(!policy.shouldRetry(status: 503, request: get, attempt: 3))
        #expect(policy.shouldRetryTransportError(request: get, attempt: 0))
        #expect(!policy.shouldRetryTransportError(request: post, attempt: 0))
        var watch = get
        watch.isWatch = true
        #expect(!policy.shouldRetryTransportError(request: watch, attempt: 0))
    }

    @Test func backoffHonoursRetryAfterAndGrowsWithJitter() {
        let policy = RetryPolicy(maxRetries: 5)
        #expect(policy.delay(attempt: 0, retryAfterSeconds: 2) == .seconds(2))
        #expect(policy.delay(attempt: 0, retryAfterSeconds: 3600) == .seconds(60))
        for attempt in 0..<8 {
            let delay = policy.delay(attempt: attempt, retryAfterSeconds: nil)
            let ceiling = min(Duration.milliseconds(100) * (1 << attempt), .seconds(10))
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
    }

    @Test func buildsResourcePaths() {
        #expect(ResourcePath.path(.pods, namespace: "default", name: "web-1") == "/api/v1/namespaces/default/pods/web-1")
        #expect(ResourcePath.path(.pods, namespace: nil) == "/api/v1/pods")
        #expect(ResourcePath.path(.replicaSets, namespace: "ns", name: "rs", subresource: "scale") == "/apis/apps/v1/namespaces/ns/replicasets/rs/scale")
        #expect(ResourcePath.path(.namespaces, namespace: "ignored", name: "kube-system") == "/api/v1/namespaces/kube-system")
        #expect(ResourcePath.query([("labelSelector", "app in (a,b),!x"), ("limit", nil)]) == "?labelSelector=app%20in%20%28a%2Cb%29%2C%21x")
    }

    @Test func proxiesFollowGoRules() throws {
        let remote = try ServerEndpoint("https://api.example.com:6443")
        let local = try ServerEndpoint("https://127.0.0.1:6443")
        let env = ["HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": ".internal,10.0.0.0/8"]
        #expect(ProxyResolver.proxy(for: remote, proxyURL: nil, environment: env) == "http://proxy:3128")
        #expect(ProxyResolver.proxy(for: local, proxyURL: nil, environment: env) == "")
        #expect(ProxyResolver.proxy(for: try ServerEndpoint("https://k8s.internal"), proxyURL: nil, environment: env) == "")
        #expect(ProxyResolver.proxy(for: try ServerEndpoint("https://10.1.2.3"), proxyURL: nil, environment: env) == "")
        #expect(ProxyResolver.proxy(for: remote, proxyURL: "socks5://p:1080", environment: env) == "socks5://p:1080")
        #expect(ProxyResolver.proxy(for: remote, proxyURL: nil, environment: ["https_proxy": "http://lower:1"]) == "http://lower:1")
        #expect(ProxyResolver.proxy(for: try ServerEndpoint("http://api:80"), proxyURL: nil, environment: env) == "")
    }

    @Test func tlsServerNameRoutesThroughConnectTo() throws {
        let endpoint = try ServerEndpoint("https://10.0.0.1:6443/prefix/")
        #expect(endpoint.url(for: "/api", tlsServerName: "kubernetes") == "https://kubernetes:6443/prefix/api")
        #expect(endpoint.connectTo(tlsServerName: "kubernetes") == "kubernetes:6443:10.0.0.1:6443")
        let v6 = try ServerEndpoint("https://[::1]:6443")
        #expect(v6.url(for: "/api", tlsServerName: nil) == "https://[::1]:6443/api")
    }

    @Test func decodesStatusBodiesIntoTypedErrors() {
        let body = Array(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"slow down","reason":"TooManyRequests","code":429}"#.utf8)
        let error = KubernetesError.from(HTTPResponse(status: 429, headers: ["retry-after": "7"], body: body))
        #expect(error.isTooManyRequests)
        #expect(error.status?.details?.retryAfterSeconds == 7)
        #expect(error.status?.message == "slow down")
        let html = KubernetesError.from(HTTPResponse(status: 503, headers: [:], body: Array("<html>down</html>".utf8)))
        #expect(html.isServerError && html.status?.reason == "ServiceUnavailable")
        let gone = KubernetesError.from(HTTPResponse(status: 410, headers: [:], body: []))
        #expect(gone.isGone)
    }
}

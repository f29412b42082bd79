import Foundation

/// The upstream Gateway API HTTPRoute CRD kept in Tests/Fixtures/gateway-api (see its README),
/// and the kind of HTTPRoute a canary release steers: one rule splitting traffic between a
/// stable and a canary Service.
public enum GatewayAPIFixture {
    /// Tests/Fixtures/gateway-api, found from this source file so any test target can use it.
    public static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gateway-api").path
    }

    /// `kubectl apply -f` this path to install HTTPRoutes as a cluster would.
    public static var httpRouteCRDPath: String { directory + "/gateway.networking.k8s.io_httproutes.yaml" }

    public static func httpRouteCRD() throws -> String {
        try String(contentsOfFile: httpRouteCRDPath, encoding: .utf8)
    }

    /// An HTTPRoute attached to Gateway `gateway`, its one rule sending traffic to `web-stable`
    /// and `web-canary` on port 80 with the given weights (nil leaves `weight` out).
    public static func route(
        _ name: String = "web", namespace: String = "default", stableWeight: Int? = 90, canaryWeight: Int? = 10
    ) -> String {
        func weight(_ value: Int?) -> String { value.map { "\n      weight: \($0)" } ?? "" }
        return """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: \(name)
              namespace: \(namespace)
            spec:
              parentRefs:
              - name: gateway
              hostnames:
              - web.example.com
              rules:
              - matches:
                - path:
                    type: PathPrefix
                    value: /
                backendRefs:
                - name: web-stable
                  port: 80\(weight(stableWeight))
                - name: web-canary
                  port: 80\(weight(canaryWeight))

            """
    }
}

import AppReleaseAPI
import KubeModels

/// The Services and the HTTPRoute an AppRelease's strategy routes traffic through, read from its
/// raw spec. The controller must be watching them before the engine can plan, so this does not
/// wait for the engine's validation: a spec the engine rejects plans no traffic action, and
/// watching what it names meanwhile costs one filtered watch at most.
struct TrafficNames: Sendable, Hashable {
    var services: Set<String> = []
    var httpRoute: String?

    /// Nothing named: Rolling, or a spec whose strategy does not decode.
    static let none = TrafficNames()

    init(services: Set<String> = [], httpRoute: String? = nil) {
        self.services = services
        self.httpRoute = httpRoute
    }

    /// Only the section of the strategy in use counts (the engine's default is Rolling, which
    /// routes nothing), so a Rolling release never causes a Service or HTTPRoute watch. Only
    /// `spec.strategy` is decoded: a malformed field elsewhere must not hide the names.
    init(spec: JSONValue) {
        guard let section = spec["strategy"], let strategy = try? section.decode(StrategySpec.self) else {
            self = .none
            return
        }
        switch strategy.type ?? .rolling {
        case .blueGreen:
            let blueGreen = strategy.blueGreen
            self = TrafficNames(services: Self.names(blueGreen?.activeService, blueGreen?.previewService))
        case .canary:
            let canary = strategy.canary
            let route = canary?.trafficRouting?.httpRoute?.name
            self = TrafficNames(
                services: Self.names(canary?.stableService, canary?.canaryService),
                httpRoute: route.flatMap { $0.isEmpty ? nil : $0 })
        default:
            self = .none
        }
    }

    /// What an AppRelease object names: its spec's Services and route, and the Services its
    /// status still lists as pinned (the engine removes their pin once it sees them).
    init(appRelease: JSONValue) {
        self.init(spec: appRelease["spec"] ?? .null)
        let pinned = appRelease[path: "status", "pinnedServices"]?.arrayValue?.compactMap(\.stringValue) ?? []
        services.formUnion(pinned.filter { !$0.isEmpty })
    }

    var httpRoutes: Set<String> { httpRoute.map { [$0] } ?? [] }

    private static func names(_ candidates: String?...) -> Set<String> {
        Set(candidates.compactMap { $0 }.filter { !$0.isEmpty })
    }
}

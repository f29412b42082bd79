import Synchronization

enum Strategy: String, CaseIterable, Sendable {
    case rolling = "Rolling"
    case blueGreen = "BlueGreen"
    case canary = "Canary"
}

/// What the simulated kubelet makes of an image: it reads the pod's fate from the repository name.
enum Digest: String, CaseIterable, Sendable {
    case good, slow, crash, pullerr, unready

    /// A release of it must fail and be reverted.
    var failsRelease: Bool { self == .crash || self == .pullerr || self == .unready }

    /// A distinct digest-pinned reference per `serial`.
    func image(serial: UInt64) -> String {
        let repository = self == .good ? "registry.example/app" : "registry.example/app-\(rawValue)"
        let hex = String(serial, radix: 16)
        return "\(repository)@sha256:\(String(repeating: "0", count: 64 - hex.count))\(hex)"
    }
}

/// How a release must end.
enum ExpectedOutcome: String, Sendable {
    /// The new image is stable and Ready.
    case ready
    /// Failed and reverted: Degraded=True, the stable image another.
    case reverted
    /// An abort raced the release: either is right.
    case either
}

struct Expectation: Sendable {
    var image: String
    var digest: Digest
    var outcome: ExpectedOutcome
    var since: ContinuousClock.Instant
    /// A request annotation (`retry`, `abort`) whose value the status must acknowledge first.
    var acknowledgement: (key: String, value: String)?

    /// A release of `image`: its digest decides how it must end.
    static func release(_ image: String, _ digest: Digest, since: ContinuousClock.Instant, acknowledgement: (key: String, value: String)? = nil) -> Expectation {
        Expectation(image: image, digest: digest, outcome: digest.failsRelease ? .reverted : .ready, since: since, acknowledgement: acknowledgement)
    }
}

/// One AppRelease as the driver made it. Its Services are named after it: `name` (the Service
/// users reach: Rolling's only one, BlueGreen's active, Canary's stable) and `name-preview` or
/// `name-canary`.
struct AppRecord: Sendable {
    let name: String
    let strategy: Strategy
    /// Rolling only; BlueGreen and Canary keep every stable pod serving.
    let maxUnavailable: Int
    let autoPromotionSeconds: Int?
    /// Canary only: traffic split by an HTTPRoute of the same name.
    let httpRoute: Bool
    var replicas = 3
    var image: String
    var digest: Digest
    var deleted = false
    var deletedAt: ContinuousClock.Instant?
    var expectation: Expectation?
    /// Pods the user-facing Service must keep (less `maxUnavailable`): set once it first served
    /// `replicas` ready endpoints, lowered at once by a scale-down, raised only once served.
    var capacity: Int?

    var inFlight: Bool { expectation != nil }
}

/// The driver's record of the fleet, read by the checker. One lock; nothing awaits inside it.
final class Ledger: Sendable {
    private let apps: Mutex<[String: AppRecord]>

    init(_ records: [AppRecord]) {
        apps = Mutex(Dictionary(uniqueKeysWithValues: records.map { ($0.name, $0) }))
    }

    var names: [String] { apps.withLock { $0.keys.sorted() } }

    subscript(name: String) -> AppRecord? { apps.withLock { $0[name] } }

    func update<T>(_ name: String, _ change: (inout AppRecord) -> T) -> T? {
        apps.withLock { apps in
            guard var record = apps[name] else { return nil }
            let result = change(&record)
            apps[name] = record
            return result
        }
    }

    var all: [AppRecord] { apps.withLock { $0.values.sorted { $0.name < $1.name } } }
}

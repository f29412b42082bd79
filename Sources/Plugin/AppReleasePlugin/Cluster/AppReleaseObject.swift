import AppReleaseAPI
import KubeModels

/// Typed reads of an AppRelease as the API server returned it. Decoding is lenient, like the
/// engine's: a field that does not decode reads as absent rather than failing a command that
/// does not need it.
struct AppReleaseObject: Sendable {
    let json: JSONValue

    init(_ json: JSONValue) { self.json = json }

    var name: String { json.meta.name }
    var namespace: String { json.meta.namespace }
    var annotations: [String: String] { json.meta.annotations }

    var spec: AppReleaseSpec? { try? (json["spec"] ?? .object([:])).decode(AppReleaseSpec.self) }
    var status: AppReleaseStatus { (try? (json["status"] ?? .object([:])).decode(AppReleaseStatus.self)) ?? AppReleaseStatus() }

    /// `spec.image` read directly, so a spec that does not decode as a whole still shows it.
    var image: String { json[path: "spec", "image"]?.stringValue ?? "" }
    var paused: Bool { json[path: "spec", "paused"]?.boolValue ?? false }
    var strategyType: StrategyType { spec?.strategy?.type ?? .rolling }
}

extension AppReleaseObject {
    /// How kubectl names an object in what it prints: `apprelease.apprelease.dev/web`.
    static func reference(_ name: String) -> String {
        "\(AppReleaseAPI.kind.lowercased()).\(AppReleaseAPI.group)/\(name)"
    }
}

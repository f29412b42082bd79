import Foundation
import KubeModels

/// `meta.k8s.io/v1` Table responses: what `kubectl get` prints. Custom resources use their
/// `additionalPrinterColumns`; a few built-ins get kubectl's familiar columns.
enum TableConverter {
    struct Column: Sendable {
        var name: String
        var type: String
        var format: String
        var priority: Int
        var description: String
        var cell: @Sendable (JSONValue) -> JSONValue
    }

    static func table(for objects: [JSONValue], _ served: ServedResource, resourceVersion: String) -> JSONValue {
        let columns = self.columns(for: served)
        let definitions: [JSONValue] = columns.map {
            [
                "name": .string($0.name), "type": .string($0.type), "format": .string($0.format), "description": .string($0.description),
                "priority": .int(Int64($0.priority)),
            ]
        }
        let rows: [JSONValue] = objects.map { object in
            ["cells": .array(columns.map { $0.cell(object) }), "object": object]
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": ["resourceVersion": .string(resourceVersion)],
            "columnDefinitions": .array(definitions), "rows": .array(rows),
        ]
    }

    static let nameColumn = Column(
        name: "Name", type: "string", format: "name", priority: 0, description: "Name must be unique within a namespace.",
        cell: { .string($0.meta("name") ?? "") })
    static let ageColumn = Column(
        name: "Age", type: "string", format: "", priority: 0, description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
        cell: { .string(age($0.meta("creationTimestamp"))) })

    static func columns(for served: ServedResource) -> [Column] {
        if let version = served.crdVersion {
            guard !version.printerColumns.isEmpty else { return [nameColumn, ageColumn] }
            return [nameColumn] + version.printerColumns.map(printerColumn)
        }
        return builtinColumns(served.gvr.resource) ?? [nameColumn, ageColumn]
    }

    private static func printerColumn(_ column: CustomResourceDefinition.PrinterColumn) -> Column {
        let path = JSONPath(column.jsonPath)
        return Column(
            name: column.name, type: column.type == "date" ? "date" : column.type, format: column.format ?? "", priority: column.priority,
            description: column.description ?? "", cell: { object in
                guard let value = path?.evaluate(object).first, value != .null else { return .null }
                switch column.type {
                case "date": return .string(age(value.stringValue))
                case "integer": return value.intValue.map { .int($0) } ?? .null
                case "number", "boolean": return value
                default: return JSONPath.text(value).map { .string($0) } ?? .null
                }
            })
    }

    private static func column(_ name: String, priority: Int = 0, _ cell: @escaping @Sendable (JSONValue) -> JSONValue) -> Column {
        Column(name: name, type: "string", format: "", priority: priority, description: "", cell: cell)
    }

    private static func builtinColumns(_ resource: String) -> [Column]? {
        switch resource {
        case "pods":
            return [
                nameColumn,
                column("Ready") { pod in
                    let statuses = pod["status"]?["containerStatuses"]?.arrayValue ?? []
                    let total = max(statuses.count, pod["spec"]?["containers"]?.arrayValue?.count ?? 0)
                    return .string("\(statuses.filter { $0["ready"]?.boolValue == true }.count)/\(total)")
                },
                column("Status", podStatus),
                column("Restarts") { pod in
                    .int((pod["status"]?["containerStatuses"]?.arrayValue ?? []).reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) })
                },
                ageColumn,
                column("IP", priority: 1) { .string($0["status"]?["podIP"]?.stringValue ?? "<none>") },
                column("Node", priority: 1) { .string($0["spec"]?["nodeName"]?.stringValue ?? "<none>") },
            ]
        case "replicasets":
            return [
                nameColumn,
                column("Desired") { .int($0["spec"]?["replicas"]?.intValue ?? 1) },
                column("Current") { .int($0["status"]?["replicas"]?.intValue ?? 0) },
                column("Ready") { .int($0["status"]?["readyReplicas"]?.intValue ?? 0) },
                ageColumn,
                column("Containers", priority: 1) { containers($0, "name") },
                column("Images", priority: 1) { containers($0, "image") },
            ]
        case "deployments":
            return [
                nameColumn,
                column("Ready") { .string("\($0["status"]?["readyReplicas"]?.intValue ?? 0)/\($0["spec"]?["replicas"]?.intValue ?? 1)") },
                column("Up-to-date") { .int($0["status"]?["updatedReplicas"]?.intValue ?? 0) },
                column("Available") { .int($0["status"]?["availableReplicas"]?.intValue ?? 0) },
                ageColumn,
            ]
        case "services":
            return [
                nameColumn,
                column("Type") { .string($0["spec"]?["type"]?.stringValue ?? "ClusterIP") },
                column("Cluster-IP") { .string($0["spec"]?["clusterIP"]?.stringValue ?? "<none>") },
                column("External-IP") { _ in "<none>" },
                column("Port(s)") { service in
                    let ports = (service["spec"]?["ports"]?.arrayValue ?? []).map {
                        "\($0["port"]?.intValue ?? 0)/\($0["protocol"]?.stringValue ?? "TCP")"
                    }
                    return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
                },
                ageColumn,
            ]
        case "namespaces":
            return [nameColumn, column("Status") { .string($0["status"]?["phase"]?.stringValue ?? "Active") }, ageColumn]
        case "endpoints":
            return [
                nameColumn,
                column("Endpoints") { endpoints in
                    var addresses: [String] = []
                    for subset in endpoints["subsets"]?.arrayValue ?? [] {
                        let ports = (subset["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
                        for address in subset["addresses"]?.arrayValue ?? [] {
                            let ip = address["ip"]?.stringValue ?? ""
                            addresses += ports.isEmpty ? [ip] : ports.map { "\(ip):\($0)" }
                        }
                    }
                    return .string(addresses.isEmpty ? "<none>" : addresses.joined(separator: ","))
                },
                ageColumn,
            ]
        case "endpointslices":
            // As the API server prints them: ready addresses, at most three, then "+ N more...".
            return [
                nameColumn,
                column("AddressType") { .string($0["addressType"]?.stringValue ?? "") },
                column("Ports") { slice in
                    let ports = (slice["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }.map(String.init)
                    return .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ","))
                },
                column("Endpoints") { slice in
                    let ready = (slice["endpoints"]?.arrayValue ?? []).filter { $0[path: "conditions", "ready"]?.boolValue != false }
                    let addresses = ready.compactMap { $0["addresses"]?.arrayValue?.first?.stringValue }
                    guard !addresses.isEmpty else { return "<unset>" }
                    let shown = addresses.prefix(3).joined(separator: ",")
                    return .string(addresses.count > 3 ? "\(shown) + \(addresses.count - 3) more..." : shown)
                },
                ageColumn,
            ]
        case "horizontalpodautoscalers":
            return [
                nameColumn,
                column("Reference") { hpa in
                    let target = hpa["spec"]?["scaleTargetRef"]
                    return .string("\(target?["kind"]?.stringValue ?? "")/\(target?["name"]?.stringValue ?? "")")
                },
                column("Targets", hpaTargets),
                column("MinPods") { .int($0["spec"]?["minReplicas"]?.intValue ?? 1) },
                column("MaxPods") { .int($0["spec"]?["maxReplicas"]?.intValue ?? 0) },
                column("Replicas") { .int($0["status"]?["currentReplicas"]?.intValue ?? 0) },
                ageColumn,
            ]
        case "poddisruptionbudgets":
            return [
                nameColumn,
                column("Min Available") { .string($0["spec"]?["minAvailable"].flatMap(JSONPath.text) ?? "N/A") },
                column("Max Unavailable") { .string($0["spec"]?["maxUnavailable"].flatMap(JSONPath.text) ?? "N/A") },
                column("Allowed Disruptions") { .int($0["status"]?["disruptionsAllowed"]?.intValue ?? 0) },
                ageColumn,
            ]
        case "customresourcedefinitions":
            return [nameColumn, column("Created At") { .string($0.meta("creationTimestamp") ?? "") }]
        default:
            return nil
        }
    }

    /// kubectl's TARGETS for resource metrics ("cpu: <unknown>/70%"); other metric types as
    /// "<type>: <unknown>", since nothing here measures them.
    private static func hpaTargets(_ hpa: JSONValue) -> JSONValue {
        let metrics = hpa["spec"]?["metrics"]?.arrayValue ?? []
        guard !metrics.isEmpty else { return "<none>" }
        let targets = metrics.map { metric -> String in
            guard let resource = metric["resource"], let name = resource["name"]?.stringValue else {
                return "\(metric["type"]?.stringValue ?? "metric"): <unknown>"
            }
            let target = resource["target"]
            if let utilization = target?["averageUtilization"]?.intValue { return "\(name): <unknown>/\(utilization)%" }
            let value = target?["averageValue"].flatMap(JSONPath.text) ?? target?["value"].flatMap(JSONPath.text) ?? "<unset>"
            return "\(name): <unknown>/\(value)"
        }
        return .string(targets.joined(separator: ", "))
    }

    private static func containers(_ object: JSONValue, _ field: String) -> JSONValue {
        let values = (object["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []).compactMap { $0[field]?.stringValue }
        return .string(values.joined(separator: ","))
    }

    private static func podStatus(_ pod: JSONValue) -> JSONValue {
        if pod.meta("deletionTimestamp") != nil { return "Terminating" }
        for status in pod["status"]?["containerStatuses"]?.arrayValue ?? [] {
            if let reason = status["state"]?["waiting"]?["reason"]?.stringValue { return .string(reason) }
            if let reason = status["state"]?["terminated"]?["reason"]?.stringValue { return .string(reason) }
        }
        return .string(pod["status"]?["reason"]?.stringValue ?? pod["status"]?["phase"]?.stringValue ?? "Pending")
    }

    /// kubectl's human-readable age ("45s", "3m20s", "5h", "2d").
    static func age(_ timestamp: String?) -> String {
        guard let timestamp, let date = try? Date(timestamp, strategy: .iso8601) else { return "<unknown>" }
        return humanDuration(Date().timeIntervalSince(date))
    }

    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval)
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        return "\(hours / 24 / 365)y"
    }
}

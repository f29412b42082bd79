import Foundation

/// The samples of a Prometheus text exposition, enough to add up counters and gauges.
struct MetricsText: Sendable {
    struct Sample: Sendable {
        var name: String
        /// As written between the braces: `controller="apprelease",result="success"`.
        var labels: String
        var value: Double

        /// The value of label `name` (`result` in `result="success"`), if the series has it.
        func label(_ name: String) -> String? {
            guard let start = labels.range(of: name + "=\"") else { return nil }
            let rest = labels[start.upperBound...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
    }

    let samples: [Sample]

    init(_ text: String) {
        samples = text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                return nil
            }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: "", value: value) }
            return Sample(name: String(series[..<brace]), labels: String(series[series.index(after: brace)...].dropLast()), value: value)
        }
    }

    /// Every series of `name` added up, or those whose labels include `label` (`result="success"`).
    func sum(_ name: String, label: String? = nil) -> Double {
        samples.filter { sample in sample.name == name && (label.map { sample.labels.contains($0) } ?? true) }.reduce(0) { $0 + $1.value }
    }

    /// The operator's own counts a request tally cannot show: reconciles by result
    /// (`reconciles requeue_after`) and Events by outcome (`events dropped`: the queue was full).
    var operatorCounters: [String: Double] {
        var counters: [String: Double] = [:]
        for sample in samples {
            switch sample.name {
            case "controller_runtime_reconcile_total": counters["reconciles \(sample.label("result") ?? "")", default: 0] += sample.value
            case "controller_runtime_events_total": counters["events \(sample.label("outcome") ?? "")", default: 0] += sample.value
            default: break
            }
        }
        return counters
    }
}

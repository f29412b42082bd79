import Foundation

/// The samples of a Prometheus text exposition, enough to add up counters and gauges.
struct MetricsText: Sendable {
    struct Sample: Sendable {
        var name: String
        /// As written between the braces: `controller="apprelease",result="success"`.
        var labels: String
        var value: Double
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
}

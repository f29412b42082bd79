/// One family of series the runtime exports: its name, type, label names and meaning. The
/// catalogue (`MetricFamily.all`) is what `docs/metrics.md` lists; a test keeps the two equal.
public struct MetricFamily: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    public let name: String
    public let kind: Kind
    /// In the order `RuntimeMetrics` passes their values.
    public let labels: [String]
    /// The `# HELP` line.
    public let help: String
    /// Upper bounds of a histogram's buckets; empty for the other kinds.
    let buckets: [Duration]

    init(_ name: String, _ kind: Kind, labels: [String], help: String, buckets: [Duration] = []) {
        self.name = name
        self.kind = kind
        self.labels = labels
        self.help = help
        self.buckets = buckets
    }
}

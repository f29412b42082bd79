import Foundation
import KubeModels

extension JSONValue {
    /// `metadata.<field>` as a string, if present.
    func meta(_ field: String) -> String? { self["metadata"]?[field]?.stringValue }

    mutating func setMeta(_ field: String, _ value: JSONValue?) {
        var metadata = self["metadata"]?.objectValue ?? [:]
        metadata[field] = value
        self["metadata"] = .object(metadata)
    }

    /// `metadata.labels` as a string map; non-string values are ignored.
    public var labels: [String: String] {
        guard let fields = self["metadata"]?["labels"]?.objectValue else { return [:] }
        var labels: [String: String] = [:]
        for (key, value) in fields { if let string = value.stringValue { labels[key] = string } }
        return labels
    }

    var finalizers: [String] {
        self["metadata"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The object without the named top-level fields, to compare "spec" parts.
    func removingFields(_ names: Set<String>) -> JSONValue {
        guard case .object(var fields) = self else { return self }
        for name in names { fields[name] = nil }
        return .object(fields)
    }
}

enum Clock {
    /// RFC 3339 with second precision, as Kubernetes serializes metav1.Time.
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601)
    }
}

enum NameGenerator {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// The random suffix the API server appends to `generateName`.
    static func suffix(length: Int = 5) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A strict-enough parser of the Prometheus text exposition format (0.0.4) for tests: every line
/// is a `# HELP`, a `# TYPE` with a known type, or a sample `name{label="value",...} number`.
struct PrometheusText {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var reason: String
        var description: String { "\(reason): \(line)" }
    }

    init(_ text: String) throws {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("# HELP ") { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw ParseError(line: line, reason: "bad TYPE line")
                }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            samples.append(try Self.sample(line))
        }
    }

    private static func isNameChar(_ c: Character, first: Bool) -> Bool {
        c == "_" || c == ":" || (c.isASCII && c.isLetter) || (!first && c.isASCII && c.isNumber)
    }

    private static func sample(_ line: String) throws -> Sample {
        var index = line.startIndex
        var name = ""
        while index < line.endIndex, isNameChar(line[index], first: name.isEmpty) {
            name.append(line[index])
            index = line.index(after: index)
        }
        guard !name.isEmpty else { throw ParseError(line: line, reason: "no metric name") }
        var labels: [String: String] = [:]
        if index < line.endIndex, line[index] == "{" {
            index = line.index(after: index)
            while index < line.endIndex, line[index] != "}" {
                var key = ""
                while index < line.endIndex, isNameChar(line[index], first: key.isEmpty), line[index] != ":" {
                    key.append(line[index])
                    index = line.index(after: index)
                }
                guard !key.isEmpty, index < line.endIndex, line[index] == "=" else { throw ParseError(line: line, reason: "bad label name") }
                index = line.index(after: index)
                guard index < line.endIndex, line[index] == "\"" else { throw ParseError(line: line, reason: "label value not quoted") }
                index = line.index(after: index)
                var value = ""
                while index < line.endIndex, line[index] != "\"" {
                    if line[index] == "\\" { index = line.index(after: index) }
                    guard index < line.endIndex else { break }
                    value.append(line[index])
                    index = line.index(after: index)
                }
                guard index < line.endIndex else { throw ParseError(line: line, reason: "unterminated label value") }
                index = line.index(after: index)
                labels[key] = value
                if index < line.endIndex, line[index] == "," { index = line.index(after: index) }
            }
            guard index < line.endIndex else { throw ParseError(line: line, reason: "unterminated labels") }
            index = line.index(after: index)
        }
        let rest = line[index...].split(separator: " ")
        guard let first = rest.first, let value = Double(first) ?? (first == "+Inf" ? .infinity : nil), rest.count <= 2 else {
            throw ParseError(line: line, reason: "bad sample value")
        }
        return Sample(name: name, labels: labels, value: value)
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }
}

enum HTTP {
    /// GET a loopback URL; returns status and body.
    static func get(_ url: String) async throws -> (Int, String) {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        let (data, response) = try await URLSession.shared.data(from: target)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}

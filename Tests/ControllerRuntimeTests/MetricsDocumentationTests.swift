import Foundation
import Testing

@testable import ControllerRuntime

/// docs/metrics.md lists exactly the families the runtime exports: types, labels and meaning.
@Suite("Metrics documentation")
struct MetricsDocumentationTests {
    struct Row: Hashable, CustomStringConvertible {
        var name: String
        var type: String
        var labels: [String]
        /// Without the Markdown: the `# HELP` line says the same.
        var meaning: String
        var description: String { "\(name) \(type) \(labels): \(meaning)" }
    }

    static func documentedRows() throws -> [Row] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        return text.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            func unquoted(_ cell: String) -> String { cell.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            return Row(
                name: unquoted(cells[0]), type: cells[1],
                labels: cells[2].split(separator: ",").map { unquoted($0.trimmingCharacters(in: .whitespaces)) },
                meaning: cells[3].replacingOccurrences(of: "`", with: ""))
        }
    }

    @Test("the table in docs/metrics.md is the catalogue, row for row, in the words of the HELP lines")
    func tableMatchesTheCatalogue() throws {
        let documented = try Self.documentedRows()
        let exported = MetricFamily.all.map { Row(name: $0.name, type: $0.kind.rawValue, labels: $0.labels, meaning: $0.help) }
        #expect(documented == exported)
        #expect(Set(MetricFamily.all.map(\.name)).count == MetricFamily.all.count, "a name listed twice")
    }
}

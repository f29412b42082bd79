import Foundation

/// A table as `kubectl get` prints one: upper-case headers, left-aligned columns separated by
/// three spaces (kubectl's tabwriter padding), no trailing spaces, `<none>` for an empty cell.
struct ColumnTable: Sendable {
    static let none = "<none>"

    let columns: [String]
    private(set) var rows: [[String]] = []

    init(columns: [String]) { self.columns = columns }

    mutating func append(_ row: [String]) {
        rows.append(row.map { $0.isEmpty ? Self.none : $0 })
    }

    /// Every line ends with a newline; a table without rows is its header only.
    var rendered: String {
        let lines = [columns] + rows
        var widths = columns.map(\.count)
        for line in rows {
            for (index, cell) in line.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        return lines.map { line in
            line.enumerated().map { index, cell in
                index == line.count - 1 ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}

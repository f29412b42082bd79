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
        TextTable([columns] + rows, gap: 3).lines().joined(separator: "\n") + "\n"
    }
}

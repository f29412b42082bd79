import Foundation

/// Rows of cells laid out in columns two spaces apart, as kubectl prints tables. Trailing
/// blanks are cut, so an empty last cell leaves no padding behind.
struct TextTable {
    var rows: [[String]] = []

    init(_ rows: [[String]] = []) { self.rows = rows }

    mutating func append(_ row: [String]) { rows.append(row) }

    func lines(indent: String = "") -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}

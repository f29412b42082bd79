import Foundation

/// Rows of cells laid out in columns `gap` spaces apart, as kubectl prints tables (two in
/// `describe`, three in `get`). Trailing blanks are cut, so an empty last cell leaves no padding.
struct TextTable: Sendable {
    var rows: [[String]] = []
    var gap = 2

    init(_ rows: [[String]] = [], gap: Int = 2) {
        self.rows = rows
        self.gap = gap
    }

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
                line += index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + gap, withPad: " ", startingAt: 0)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}

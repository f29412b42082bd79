import KubeModels
import RolloutEngine

/// The `history` table: one row per release, oldest first, images shortened to `web@1a2b3c4d5e6f`.
enum HistoryTable {
    static func render(_ rows: [HistoryRow]) -> String {
        var table = ColumnTable(columns: ["REVISION", "HASH", "IMAGE", "OUTCOME", "STARTED", "FINISHED", "REASON"])
        for row in rows {
            table.append([
                row.number.map(String.init) ?? ColumnTable.none, row.revision, RolloutEngine.shortImage(row.image), row.outcome,
                row.startedAt.map(KubeTime.format) ?? ColumnTable.none, row.finishedAt.map(KubeTime.format) ?? ColumnTable.none,
                row.reason ?? ColumnTable.none,
            ])
        }
        return table.rendered
    }
}

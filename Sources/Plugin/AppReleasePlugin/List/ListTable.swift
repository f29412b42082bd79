import Foundation
import KubeModels
import RolloutEngine

/// The `list` table: one AppRelease per row, the NAMESPACE column with `--all-namespaces`.
enum ListTable {
    static func render(_ objects: [AppReleaseObject], allNamespaces: Bool, now: Date = Date()) -> String {
        var table = ColumnTable(
            columns: (allNamespaces ? ["NAMESPACE"] : []) + ["NAME", "STRATEGY", "PHASE", "STEP", "READY", "IMAGE", "AGE"])
        for object in objects {
            let spec = object.spec
            let status = object.status
            let step = ReleaseStep.text(
                strategy: object.strategyType, steps: spec?.strategy?.canary?.steps?.count ?? 0, currentIndex: status.currentStepIndex)
            let desired = spec?.replicas ?? 1
            let age = object.json.meta.creationTimestamp.flatMap(KubeTime.parse).map { HumanDuration.render(now.timeIntervalSince($0)) }
            table.append(
                (allNamespaces ? [object.namespace] : []) + [
                    object.name, object.strategyType.rawValue, status.phase?.rawValue ?? "", step ?? "-",
                    "\(status.availableReplicas ?? 0)/\(desired)", object.image.isEmpty ? "" : RolloutEngine.shortImage(object.image),
                    age ?? "",
                ])
        }
        return table.rendered
    }
}

import Foundation
import KubeModels
import RolloutEngine

/// The `list` table: one AppRelease per row, the NAMESPACE column with `--all-namespaces`.
///
/// SERVING is the stable revision's image (what serves, and the revert target) and TARGET is
/// `spec.image`, as in `kubectl get ar`: after a revert the two differ, and the failed image is
/// never mistaken for the one serving.
enum ListTable {
    static func render(_ objects: [AppReleaseObject], allNamespaces: Bool, now: Date = Date()) -> String {
        var table = ColumnTable(
            columns: (allNamespaces ? ["NAMESPACE"] : []) + ["NAME", "STRATEGY", "PHASE", "STEP", "READY", "SERVING", "TARGET", "AGE"])
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
                    "\(status.availableReplicas ?? 0)/\(desired)", shortImage(status.stableImage), shortImage(object.image),
                    age ?? "",
                ])
        }
        return table.rendered
    }

    private static func shortImage(_ image: String?) -> String {
        guard let image, !image.isEmpty else { return ColumnTable.none }
        return RolloutEngine.shortImage(image)
    }
}

/// The Deployment controller's rolling-update arithmetic (`pkg/controller/deployment/rolling.go`,
/// `sync.go` and `util/deployment_util.go`), over plain counts so it can be checked against the
/// published examples.
public enum RollingMath {
    /// A ReplicaSet as the arithmetic sees it.
    public struct Member: Sendable, Hashable {
        public var name: String
        /// `spec.replicas`.
        public var replicas: Int
        public var available: Int
        /// `max-replicas` annotation: `replicas + maxSurge` when it was last scaled.
        public var maxReplicasAnnotation: Int?
        /// Age order: larger is newer.
        public var revisionNumber: Int

        public init(name: String, replicas: Int, available: Int, maxReplicasAnnotation: Int? = nil, revisionNumber: Int = 0) {
            self.name = name
            self.replicas = replicas
            self.available = available
            self.maxReplicasAnnotation = maxReplicasAnnotation
            self.revisionNumber = revisionNumber
        }
    }

    /// `NewRSNewReplicas`: the new ReplicaSet grows while all pods stay within `desired + surge`,
    /// never beyond `desired`.
    public static func newReplicas(newRS: Member, all: [Member], desired: Int, surge: Int) -> Int {
        let current = all.reduce(0) { $0 + $1.replicas }
        let maxTotal = desired + surge
        if current >= maxTotal { return newRS.replicas }
        let scaleUp = min(maxTotal - current, desired - newRS.replicas)
        return newRS.replicas + max(scaleUp, 0)
    }

    /// `reconcileOldReplicaSets`: first remove unhealthy old pods (they serve nothing and would
    /// otherwise block the release, kubernetes#16737), then healthy ones while availability stays
    /// at or above `desired - unavailable`, counting the new ReplicaSet's unavailable pods against
    /// the budget. `old` is scaled down in the given order. Returns new sizes for changed members.
    public static func scaleDownOld(
        newRS: Member, old: [Member], desired: Int, unavailable: Int
    ) -> [String: Int] {
        let oldPods = old.reduce(0) { $0 + $1.replicas }
        guard oldPods > 0 else { return [:] }
        let allPods = oldPods + newRS.replicas
        let minAvailable = desired - unavailable
        let newUnavailable = newRS.replicas - newRS.available
        let maxScaledDown = allPods - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return [:] }

        var sizes: [String: Int] = [:]
        var members = old
        // cleanupUnhealthyReplicas
        var cleaned = 0
        for index in members.indices {
            if cleaned >= maxScaledDown { break }
            let member = members[index]
            guard member.replicas > 0, member.replicas > member.available else { continue }
            let count = min(maxScaledDown - cleaned, member.replicas - member.available)
            members[index].replicas -= count
            sizes[member.name] = members[index].replicas
            cleaned += count
        }
        // scaleDownOldReplicaSetsForRollingUpdate
        let available = members.reduce(0) { $0 + $1.available } + newRS.available
        guard available > minAvailable else { return sizes }
        let budget = available - minAvailable
        var scaled = 0
        for index in members.indices {
            if scaled >= budget { break }
            guard members[index].replicas > 0 else { continue }
            let count = min(members[index].replicas, budget - scaled)
            members[index].replicas -= count
            sizes[members[index].name] = members[index].replicas
            scaled += count
        }
        return sizes
    }

    /// `sync.go scale`: after `desired` changed, share the change out over the active ReplicaSets
    /// in proportion to their size (`getProportion`), larger ones first; on ties newer ones
    /// first when growing and older ones first when shrinking; the rounding leftover goes to the
    /// first. `statusReplicas` stands in for a missing `max-replicas` annotation. Returns the
    /// new size of every member whose size is decided (all active members).
    public static func proportionalSizes(
        newRS: Member?, members: [Member], desired: Int, surge: Int, statusReplicas: Int
    ) -> [String: Int] {
        let active = members.filter { $0.replicas > 0 }
        if active.count == 1 { return [active[0].name: desired] }
        if active.isEmpty {
            if let newRS { return [newRS.name: desired] }
            guard let newest = members.max(by: { $0.revisionNumber < $1.revisionNumber }) else { return [:] }
            return [newest.name: desired]
        }
        if let newRS, newRS.replicas == desired, newRS.available >= desired {
            var sizes: [String: Int] = [:]
            for member in active where member.name != newRS.name { sizes[member.name] = 0 }
            return sizes
        }
        let allowed = desired > 0 ? desired + surge : 0
        let total = active.reduce(0) { $0 + $1.replicas }
        let toAdd = allowed - total
        var ordered = active
        if toAdd > 0 {
            ordered.sort { ($0.replicas, $0.revisionNumber) > ($1.replicas, $1.revisionNumber) }
        } else if toAdd < 0 {
            ordered.sort { $0.replicas != $1.replicas ? $0.replicas > $1.replicas : $0.revisionNumber < $1.revisionNumber }
        }
        var sizes: [String: Int] = [:]
        var added = 0
        for member in ordered {
            guard toAdd != 0 else {
                sizes[member.name] = member.replicas
                continue
            }
            let share = proportion(
                member, desired: desired, surge: surge, toAdd: toAdd, added: added, statusReplicas: statusReplicas)
            sizes[member.name] = member.replicas + share
            added += share
        }
        if toAdd != 0, let first = ordered.first {
            sizes[first.name] = max((sizes[first.name] ?? 0) + toAdd - added, 0)
        }
        return sizes
    }

    /// `GetProportion` / `getReplicaSetFraction`.
    static func proportion(
        _ member: Member, desired: Int, surge: Int, toAdd: Int, added: Int, statusReplicas: Int
    ) -> Int {
        guard member.replicas > 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction: Int
        if desired == 0 {
            fraction = -member.replicas
        } else {
            let target = desired + surge
            let annotated = member.maxReplicasAnnotation ?? statusReplicas
            guard annotated > 0 else { return 0 }
            let size = (Double(member.replicas * target) / Double(annotated)).rounded()
            fraction = Int(size) - member.replicas
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }
}

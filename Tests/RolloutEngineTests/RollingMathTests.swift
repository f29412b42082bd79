import KubeModels
import RolloutEngine
import Testing

/// Figures from the Kubernetes documentation of Deployments (concepts/workloads/controllers/deployment).
@Suite("Rolling arithmetic against the Deployment controller's published examples")
struct RollingMathTests {
    typealias M = RollingMath.Member

    @Test func maxUnavailableThirtyPercentScalesOldToSeventyAtOnce() {
        // "when this value is set to 30%, the old ReplicaSet can be scaled down to 70% of desired
        // Pods immediately when the rolling update starts".
        let fence = try? IntOrString.resolveFenceposts(maxSurge: 0, maxUnavailable: "30%", desired: 10)
        #expect(fence?.unavailable == 3)
        let sizes = RollingMath.scaleDownOld(
            newRS: M(name: "new", replicas: 0, available: 0), old: [M(name: "old", replicas: 10, available: 10)],
            desired: 10, unavailable: 3)
        #expect(sizes == ["old": 7])
    }

    @Test func maxSurgeThirtyPercentCapsTotalAtOneHundredThirty() {
        // "when this value is set to 30%, the new ReplicaSet can be scaled up immediately ... such
        // that the total number of old and new Pods does not exceed 130% of desired Pods".
        let surge = (try? IntOrString("30%").scaledValue(total: 10, roundUp: true)) ?? -1
        #expect(surge == 3)
        let new = M(name: "new", replicas: 0, available: 0)
        let old = M(name: "old", replicas: 10, available: 10)
        #expect(RollingMath.newReplicas(newRS: new, all: [old, new], desired: 10, surge: surge) == 3)
        // Once old pods are gone the new ReplicaSet grows again, never past desired.
        let later = M(name: "new", replicas: 3, available: 3)
        #expect(RollingMath.newReplicas(newRS: later, all: [M(name: "old", replicas: 7, available: 7), later], desired: 10, surge: 3) == 6)
        #expect(RollingMath.newReplicas(newRS: M(name: "new", replicas: 9, available: 9), all: [M(name: "new", replicas: 9, available: 9)], desired: 10, surge: 3) == 10)
    }

    @Test func defaultsOnThreeReplicasKeepBetweenTwoAndFour() {
        // "at least 75% of the desired number of Pods are up (25% max unavailable) ... at most 125%"
        // with 3 replicas: surge rounds up to 1, unavailability rounds down to 0.
        let fence = try? IntOrString.resolveFenceposts(maxSurge: "25%", maxUnavailable: "25%", desired: 3)
        #expect(fence?.surge == 1 && fence?.unavailable == 0)
    }

    @Test func unhealthyOldPodsAreCleanedUpFirst() {
        // kubernetes#16737: old pods that are not available do not count and must not block.
        let sizes = RollingMath.scaleDownOld(
            newRS: M(name: "new", replicas: 3, available: 3),
            old: [M(name: "a", replicas: 2, available: 0), M(name: "b", replicas: 1, available: 1)],
            desired: 3, unavailable: 0)
        #expect(sizes == ["a": 0, "b": 0])
        let blocked = RollingMath.scaleDownOld(
            newRS: M(name: "new", replicas: 1, available: 0), old: [M(name: "old", replicas: 3, available: 3)],
            desired: 3, unavailable: 0)
        #expect(blocked.isEmpty, "an unavailable new pod leaves no budget")
    }

    @Test func proportionalScalingDocumentedExample() {
        // "10 replicas, maxSurge=3, maxUnavailable=2 ... new ReplicaSet 5, old 8 ... scaled to 15:
        // 3 replicas are added to the old ReplicaSet and 2 replicas are added to the new ReplicaSet".
        let old = M(name: "old", replicas: 8, available: 8, maxReplicasAnnotation: 13, revisionNumber: 1)
        let new = M(name: "new", replicas: 5, available: 0, maxReplicasAnnotation: 13, revisionNumber: 2)
        let sizes = RollingMath.proportionalSizes(newRS: new, members: [old, new], desired: 15, surge: 3, statusReplicas: 13)
        #expect(sizes == ["old": 11, "new": 7])
    }

    @Test func proportionalScalingDownAndLeftovers() {
        let old = M(name: "old", replicas: 11, available: 11, maxReplicasAnnotation: 18, revisionNumber: 1)
        let new = M(name: "new", replicas: 7, available: 0, maxReplicasAnnotation: 18, revisionNumber: 2)
        let sizes = RollingMath.proportionalSizes(newRS: new, members: [old, new], desired: 10, surge: 3, statusReplicas: 18)
        #expect(sizes["old", default: -1] + sizes["new", default: -1] == 13)
        #expect(sizes == ["old": 8, "new": 5])
        // To zero: everything goes.
        let zero = RollingMath.proportionalSizes(newRS: new, members: [old, new], desired: 0, surge: 0, statusReplicas: 18)
        #expect(zero == ["old": 0, "new": 0])
        // One active ReplicaSet takes the whole count; a saturated new one empties the others.
        #expect(RollingMath.proportionalSizes(newRS: new, members: [M(name: "new", replicas: 3, available: 3)], desired: 5, surge: 1, statusReplicas: 3) == ["new": 5])
        let saturated = M(name: "new", replicas: 5, available: 5)
        #expect(RollingMath.proportionalSizes(newRS: saturated, members: [M(name: "old", replicas: 1, available: 1), saturated], desired: 5, surge: 1, statusReplicas: 6) == ["old": 0])
    }
}

import Foundation
import KubeModels
import Testing

@Suite struct ModelTests {
    @Test func decodesAReplicaSetWithoutLosingTheTemplate() throws {
        let json = #"""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-abc","namespace":"default","uid":"u1",
             "resourceVersion":"42","generation":2,"labels":{"app":"web"},
             "ownerReferences":[{"apiVersion":"apprelease.dev/v1alpha1","kind":"AppRelease","name":"web","uid":"o1","controller":true,"blockOwnerDeletion":true}]},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}]}]}}},
             "status":{"replicas":3,"readyReplicas":2,"availableReplicas":2,"observedGeneration":2,
                       "conditions":[{"type":"ReplicaFailure","status":"False"}]}}
            """#
        let value = try JSONValue(parsing: json)
        let replicaSet = try value.decode(ReplicaSet.self)
        #expect(replicaSet.metadata.controllerReference?.kind == "AppRelease")
        #expect(replicaSet.spec?.replicas == 3)
        #expect(replicaSet.spec?.selector.matches(["app": "web"]) == true)
        #expect(replicaSet.status?.readyReplicas == 2)
        #expect(replicaSet.spec?.template?.spec?[path: "containers"]?.arrayValue?.first?["ports"] == [["containerPort": 80]])
        #expect(value.objectMeta?.resourceVersion == "42")
        let encoded = try JSONValue(encoding: replicaSet)
        #expect(encoded[path: "spec", "template"] == value[path: "spec", "template"])
    }

    @Test func decodesPodStatusParts() throws {
        let json = #"""
            {"metadata":{"name":"p"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
             "containerStatuses":[{"name":"c","ready":false,"restartCount":4,
               "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}},
               "lastState":{"terminated":{"exitCode":1,"reason":"Error"}}}]}}
            """#
        let pod = try JSONValue(parsing: json).decode(Pod.self)
        #expect(pod.isReady)
        let status = try #require(pod.status?.containerStatuses?.first)
        #expect(status.restartCount == 4)
        #expect(status.state?.waiting?.reason == "CrashLoopBackOff")
        #expect(status.lastState?.terminated?.exitCode == 1)
    }

    @Test func decodesServiceLeaseEventAndHTTPRoute() throws {
        let service = try JSONValue(parsing: #"{"metadata":{"name":"s"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":"http"}]}}"#)
            .decode(Service.self)
        #expect(service.spec?.ports?.first?.targetPort == "http")
        let lease = try JSONValue(parsing: #"{"metadata":{"name":"l"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"renewTime":"2024-01-02T03:04:05.123456Z"}}"#)
            .decode(Lease.self)
        #expect(lease.spec?.leaseDurationSeconds == 15)
        let event = try JSONValue(parsing: #"{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Started","count":2,"type":"Normal"}"#)
            .decode(Event.self)
        #expect(event.involvedObject.kind == "Pod")
        let route = try JSONValue(parsing: #"{"metadata":{"name":"r"},"spec":{"parentRefs":[{"name":"gw"}],"rules":[{"backendRefs":[{"name":"stable","port":80,"weight":90},{"name":"canary","port":80,"weight":10}]}]}}"#)
            .decode(HTTPRoute.self)
        #expect(route.spec?.rules?.first?.backendRefs?.map(\.weight) == [90, 10])
    }

    @Test func kubeTimeRoundTrips() throws {
        let date = try #require(KubeTime.parse("2024-02-29T23:59:58Z"))
        #expect(KubeTime.format(date) == "2024-02-29T23:59:58Z")
        #expect(date.timeIntervalSince1970 == 1_709_251_198)
        let micro = try #require(KubeTime.parse("2024-01-02T03:04:05.123456Z"))
        #expect(KubeTime.formatMicro(micro) == "2024-01-02T03:04:05.123456Z")
        let offset = try #require(KubeTime.parse("2024-01-02T05:04:05+02:00"))
        #expect(KubeTime.format(offset) == "2024-01-02T03:04:05Z")
        #expect(KubeTime.parse("2024-13-01T00:00:00Z") == nil)
        #expect(KubeTime.parse("yesterday") == nil)
        #expect(KubeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}

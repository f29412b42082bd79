import KubeModels
import Testing

@testable import KubeSim

@Suite struct RequestParsingTests {
    @Test func pathsResolveToTargets() {
        #expect(RequestTarget(path: "/api") == .coreVersions)
        #expect(RequestTarget(path: "/apis/apps/v1") == .resourceList(group: "apps", version: "v1"))
        #expect(RequestTarget(path: "/openapi/v3/apis/example.com/v1") == .openAPIV3(group: "example.com", version: "v1"))
        #expect(
            RequestTarget(path: "/api/v1/namespaces/default/pods/web-1/status")
                == .resource(.init(group: "", version: "v1", resource: "pods", namespace: "default", name: "web-1", subresource: "status")))
        #expect(RequestTarget(path: "/api/v1/namespaces/default") == .resource(.init(group: "", version: "v1", resource: "namespaces", name: "default")))
        #expect(
            RequestTarget(path: "/api/v1/namespaces/default/status")
                == .resource(.init(group: "", version: "v1", resource: "namespaces", name: "default", subresource: "status")))
        #expect(
            RequestTarget(path: "/apis/apps/v1/watch/namespaces/ns/replicasets")
                == .resource(.init(group: "apps", version: "v1", resource: "replicasets", namespace: "ns", watchPrefix: true)))
        #expect(RequestTarget(path: "/apis/apps/v1/namespaces/ns/replicasets/a/b/c") == .unknown)
        #expect(RequestTarget(path: "/kubesim/faults") == .faults)
        #expect(RequestTarget(path: "/kubesim/requests") == .requests)
        #expect(RequestTarget(path: "/kubesim/requests/x") == .unknown)
    }

    @Test func queryStringsAreDecoded() {
        let query = APIRequest.parseQuery("labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&watch=true&empty")
        #expect(query["labelSelector"] == "app=web,tier in (a,b)")
        #expect(query["watch"] == "true")
        #expect(query["empty"] == "")
    }

    @Test func jsonPathSubset() throws {
        let object: JSONValue = [
            "status": ["conditions": [["type": "Available", "status": "False"], ["type": "Ready", "status": "True"]]],
            "metadata": ["labels": ["app.kubernetes.io/name": "web"]],
        ]
        #expect(JSONPath(#".status.conditions[?(@.type=="Ready")].status"#)?.evaluate(object) == ["True"])
        #expect(JSONPath(".status.conditions[0].type")?.evaluate(object) == ["Available"])
        #expect(JSONPath(".status.conditions[*].type")?.evaluate(object) == ["Available", "Ready"])
        #expect(JSONPath(#"{.metadata.labels['app\.kubernetes\.io/name']}"#)?.evaluate(object) == ["web"])
        #expect(JSONPath(".missing.path")?.evaluate(object) == [])
        #expect(JSONPath("no-leading-dot") == nil)
    }

    @Test func humanDurations() {
        #expect(TableConverter.humanDuration(5) == "5s")
        #expect(TableConverter.humanDuration(200) == "3m20s")
        #expect(TableConverter.humanDuration(3600 * 5 + 60) == "5h1m")
        #expect(TableConverter.humanDuration(86400 * 3) == "3d")
    }
}

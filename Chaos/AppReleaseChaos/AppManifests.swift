import KubeModels

/// The objects the driver applies, as an application team would write them.
enum AppManifests {
    static let progressDeadlineSeconds = 30
    static let revisionHistoryLimit = 2
    static let scaleDownDelaySeconds = 3

    static func appRelease(_ app: AppRecord, namespace: String) -> JSONValue {
        let labels: JSONValue = ["app": .string(app.name)]
        return [
            "apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease",
            "metadata": ["name": .string(app.name), "namespace": .string(namespace)],
            "spec": [
                "image": .string(app.image),
                "replicas": .int(Int64(app.replicas)),
                "selector": ["matchLabels": labels],
                "template": [
                    "metadata": ["labels": labels],
                    "spec": ["containers": [["name": "app", "ports": [["containerPort": 8080]]]]],
                ],
                "progressDeadlineSeconds": .int(Int64(progressDeadlineSeconds)),
                "revisionHistoryLimit": .int(Int64(revisionHistoryLimit)),
                "failFast": ["maxRestarts": 1],
                "strategy": strategy(app),
            ],
        ]
    }

    static func strategy(_ app: AppRecord) -> JSONValue {
        let delay = JSONValue.int(Int64(scaleDownDelaySeconds))
        switch app.strategy {
        case .rolling:
            return ["type": "Rolling", "rolling": ["maxSurge": 1, "maxUnavailable": .int(Int64(app.maxUnavailable))]]
        case .blueGreen:
            var blueGreen: JSONValue = [
                "activeService": .string(app.name), "previewService": .string(app.name + "-preview"), "scaleDownDelaySeconds": delay,
            ]
            if let seconds = app.autoPromotionSeconds { blueGreen["autoPromotionSeconds"] = .int(Int64(seconds)) }
            return ["type": "BlueGreen", "blueGreen": blueGreen]
        case .canary:
            var canary: JSONValue = [
                "stableService": .string(app.name), "canaryService": .string(app.name + "-canary"), "scaleDownDelaySeconds": delay,
                "steps": [["setWeight": 34], ["pause": ["duration": "2s"]], ["setWeight": 67], ["pause": [:]]],
            ]
            if app.httpRoute { canary["trafficRouting"] = ["httpRoute": ["name": .string(app.name)]] }
            return ["type": "Canary", "canary": canary]
        }
    }

    /// The Gateway API route a canary with `trafficRouting` splits: its one rule between the
    /// stable and the canary Service.
    static func httpRoute(_ app: AppRecord, namespace: String) -> JSONValue {
        [
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": ["name": .string(app.name), "namespace": .string(namespace)],
            "spec": [
                "parentRefs": [["name": "gateway"]],
                "rules": [
                    [
                        "backendRefs": [
                            ["name": .string(app.name), "port": 80, "weight": 100], ["name": .string(app.name + "-canary"), "port": 80, "weight": 0],
                        ]
                    ]
                ],
            ],
        ]
    }

    static func serviceNames(_ app: AppRecord) -> [String] {
        switch app.strategy {
        case .rolling: [app.name]
        case .blueGreen: [app.name, app.name + "-preview"]
        case .canary: [app.name, app.name + "-canary"]
        }
    }

    static func service(_ name: String, app: String, namespace: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": ["selector": ["app": .string(app)], "ports": [["port": 80, "targetPort": 8080]]],
        ]
    }
}

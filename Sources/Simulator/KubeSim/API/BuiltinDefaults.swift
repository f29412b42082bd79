import KubeModels

/// The defaults a real API server fills into built-in objects that kubectl and controllers
/// read back (`80/TCP` in `describe`, a Service's clusterIP, a pod's restartPolicy...).
enum BuiltinDefaults {
    static func apply(_ object: JSONValue, resource: String) -> JSONValue {
        var object = object
        switch resource {
        case "pods":
            if let spec = object["spec"] { object["spec"] = podSpec(spec) }
        case "replicasets", "deployments":
            if object["spec"]?["replicas"] == nil { object["spec"]?["replicas"] = 1 }
            if let template = object["spec"]?["template"]?["spec"] { object["spec"]?["template"]?["spec"] = podSpec(template) }
            if resource == "deployments" {
                if object["spec"]?["revisionHistoryLimit"] == nil { object["spec"]?["revisionHistoryLimit"] = 10 }
                if object["spec"]?["progressDeadlineSeconds"] == nil { object["spec"]?["progressDeadlineSeconds"] = 600 }
                if object["spec"]?["strategy"] == nil {
                    object["spec"]?["strategy"] = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"]]
                }
            }
        case "services":
            object["spec"] = service(object["spec"] ?? [:])
        case "horizontalpodautoscalers":
            // autoscaling/v2's only scalar default; `kubectl get hpa` prints it as MINPODS.
            if object["spec"] != nil, object["spec"]?["minReplicas"] == nil { object["spec"]?["minReplicas"] = 1 }
        default: break
        }
        return object
    }

    private static func podSpec(_ spec: JSONValue) -> JSONValue {
        var spec = spec
        for field in ["containers", "initContainers"] {
            guard let containers = spec[field]?.arrayValue else { continue }
            spec[field] = .array(containers.map(container))
        }
        let defaults: [String: JSONValue] = [
            "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
            "terminationGracePeriodSeconds": 30, "securityContext": [:],
        ]
        for (key, value) in defaults where spec[key] == nil { spec[key] = value }
        return spec
    }

    private static func container(_ container: JSONValue) -> JSONValue {
        var container = container
        if container["imagePullPolicy"] == nil {
            let image = container["image"]?.stringValue ?? ""
            let tag = image.split(separator: "/").last.flatMap { $0.contains(":") ? $0.split(separator: ":").last : nil }
            container["imagePullPolicy"] = .string(tag == nil || tag == "latest" ? "Always" : "IfNotPresent")
        }
        if container["terminationMessagePath"] == nil { container["terminationMessagePath"] = "/dev/termination-log" }
        if container["terminationMessagePolicy"] == nil { container["terminationMessagePolicy"] = "File" }
        if let ports = container["ports"]?.arrayValue {
            container["ports"] = .array(ports.map { port in
                var port = port
                if port["protocol"] == nil { port["protocol"] = "TCP" }
                return port
            })
        }
        return container
    }

    private static func service(_ spec: JSONValue) -> JSONValue {
        var spec = spec
        if spec["type"] == nil { spec["type"] = "ClusterIP" }
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if spec["clusterIP"] == nil, spec["type"]?.stringValue != "ExternalName" {
            let address = "10.96.\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
            spec["clusterIP"] = .string(address)
            spec["clusterIPs"] = [.string(address)]
        }
        if let ports = spec["ports"]?.arrayValue {
            spec["ports"] = .array(ports.map { port in
                var port = port
                if port["protocol"] == nil { port["protocol"] = "TCP" }
                if port["targetPort"] == nil { port["targetPort"] = port["port"] ?? .null }
                return port
            })
        }
        return spec
    }
}

import KubeModels

/// Request bodies kubectl 1.37 sent to kubesim (captured on the wire), with the JSON that
/// `kubectl create ... --dry-run=client -o json` prints for the same command.
enum KubectlProtobufBodies {
    /// `kubectl create namespace x`
    static let namespace = ProtoBytes.hex(
        """
        6b3873000a0f0a02763112094e616d65737061636512190a110a017812001a0022002a0032003800420012001a020a00
        1a002200
        """)
    static let namespaceJSON: JSONValue = [
        "kind": "Namespace", "apiVersion": "v1", "metadata": ["name": "x"], "spec": [:], "status": [:],
    ]

    /// `kubectl create deployment d --image=registry.example/d@sha256:a…a`
    static let deployment = ProtoBytes.hex(
        """
        6b3873000a150a07617070732f7631120a4465706c6f796d656e7412f7010a1b0a016412001a0022002a003200380042
        005a080a0361707012016412c9010801120a0a080a036170701201641ab0010a1a0a0012001a0022002a003200380042
        005a080a0361707012016412910112730a0164125a72656769737472792e6578616d706c652f64407368613235363a61
        616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161
        6161616161616161616161616161612a0042006a007200800100880100900100a201001a00320042004a005200580060
        0068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200
        """)
    static let deploymentJSON: JSONValue = [
        "kind": "Deployment", "apiVersion": "apps/v1", "metadata": ["name": "d", "labels": ["app": "d"]],
        "spec": [
            "replicas": 1, "selector": ["matchLabels": ["app": "d"]],
            "template": [
                "metadata": ["labels": ["app": "d"]],
                "spec": [
                    "containers": [
                        [
                            "name": "d", "image": .string("registry.example/d@sha256:" + String(repeating: "a", count: 64)),
                            "resources": [:],
                        ]
                    ]
                ],
            ],
            "strategy": [:],
        ],
        "status": [:],
    ]

    /// `kubectl create service clusterip svc --tcp=80:8080`
    static let service = ProtoBytes.hex(
        """
        6b3873000a0d0a02763112075365727669636512690a1f0a0373766312001a0022002a003200380042005a0a0a036170
        70120373766312420a1b0a0738302d38303830120354435018502207080010903f1a002800120a0a0361707012037376
        631a002209436c757374657249503a00420052005a00600068001a020a001a002200
        """)
    static let serviceJSON: JSONValue = [
        "kind": "Service", "apiVersion": "v1", "metadata": ["name": "svc", "labels": ["app": "svc"]],
        "spec": [
            "ports": [["name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080]], "selector": ["app": "svc"],
            "type": "ClusterIP",
        ],
        "status": ["loadBalancer": [:]],
    ]
}

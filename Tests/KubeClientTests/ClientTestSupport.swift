import Foundation
import KubeClient
import KubeModels
import KubeSim
import TestSupport

/// A client for `fixture` built from the kubeconfig kubesim writes, so config loading is exercised too.
func makeClient(_ fixture: KubeSimFixture, configure: (inout ClientConfiguration) -> Void = { _ in }) throws -> KubernetesClient {
    let kubeconfig = try KubeconfigLoader.parse(fixture.sim.kubeconfig(), file: fixture.kubeconfigPath)
    var configuration = try ClientConfiguration(kubeconfig: kubeconfig)
    configure(&configuration)
    return try KubernetesClient(configuration: configuration)
}

func configMap(_ name: String, data: [String: String] = [:], namespace: String = "default") -> JSONValue {
    [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": .string(name), "namespace": .string(namespace)],
        "data": .object(data.mapValues { .string($0) }),
    ]
}

/// A private temporary directory removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func pod(_ name: String, index: Int) -> JSONValue {
    [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": .string(name), "namespace": "default", "labels": ["app": "bench", "index": .string(String(index))]],
        "spec": ["containers": [["name": "c", "image": "nginx:1.25"]]],
    ]
}

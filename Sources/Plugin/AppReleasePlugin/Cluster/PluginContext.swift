import AppReleaseAPI
import Foundation
import KubeClient
import KubeModels

/// A connected plugin: the client (user agent `kubectl-apprelease`) and the namespace. Every call
/// maps the API server's answer to kubectl's words (`PluginError`).
struct PluginContext: Sendable {
    let api: any KubernetesAPI
    let namespace: String

    init(options: ClusterOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let configuration = try options.configuration(environment: environment)
        do {
            api = try KubernetesClient(configuration: configuration)
        } catch {
            throw PluginError.configuration(error.description)
        }
        namespace = configuration.namespace
    }

    init(api: any KubernetesAPI, namespace: String) {
        self.api = api
        self.namespace = namespace
    }

    /// The AppRelease `name`, or an error naming it as kubectl does.
    func appRelease(_ name: String) async throws -> JSONValue {
        do {
            return try await api.get(.appReleases, namespace: namespace, name: name)
        } catch {
            throw PluginError.from(error, name: name, namespace: namespace)
        }
    }

    /// A JSON merge patch of the AppRelease `name` (spec fields, request annotations); the object
    /// as the API server stored it.
    @discardableResult
    func mergePatch(_ name: String, _ body: JSONValue) async throws -> JSONValue {
        do {
            return try await api.patch(.appReleases, namespace: namespace, name: name, patch: .merge(body))
        } catch {
            throw PluginError.from(error, name: name, namespace: namespace)
        }
    }

    /// A JSON patch (RFC 6902) of the AppRelease `name`: with a `test` operation, a write that
    /// applies only if the field still holds what was read.
    @discardableResult
    func jsonPatch(_ name: String, _ operations: [JSONValue]) async throws -> JSONValue {
        do {
            return try await api.patch(.appReleases, namespace: namespace, name: name, patch: .json(.array(operations)))
        } catch {
            throw PluginError.from(error, name: name, namespace: namespace)
        }
    }

    /// AppReleases of the namespace, or of every namespace.
    func appReleases(allNamespaces: Bool) async throws -> [JSONValue] {
        do {
            return try await api.list(.appReleases, namespace: allNamespaces ? nil : namespace).items
        } catch {
            throw PluginError.from(error)
        }
    }

    /// The ReplicaSets the AppRelease `appRelease` controls (by our revision label, then by its
    /// controller reference, so a ReplicaSet of another AppRelease never counts).
    func replicaSets(of appRelease: JSONValue) async throws -> [JSONValue] {
        let uid = appRelease.meta.uid
        let options = ListOptions(labelSelector: AppReleaseAPI.revisionLabel)
        do {
            return try await api.list(.replicaSets, namespace: namespace, options: options).items.filter {
                $0.meta.controllerReference?.uid == uid
            }
        } catch {
            throw PluginError.from(error)
        }
    }
}

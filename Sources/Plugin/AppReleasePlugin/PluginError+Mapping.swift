import KubeClient

extension PluginError {
    /// `error` in kubectl's words. `name` is the AppRelease the call was about, if any, so a 404
    /// names it; a 404 without an object name is the API server not serving the resource at all.
    static func from(_ error: any Error, name: String? = nil, namespace: String? = nil) -> any Error {
        switch error {
        case let error as PluginError: return error
        case let error as KubernetesError: return from(error, name: name, namespace: namespace)
        case let error as ConfigError: return PluginError.configuration(error.description)
        default: return error
        }
    }

    static func from(_ error: KubernetesError, name: String?, namespace: String?) -> PluginError {
        switch error {
        case .transport(let message): return .unreachable(message)
        case .responseTooLarge: return .configuration(error.description)
        case .invalidRequest(let message): return .configuration(message)
        case .api(let status):
            if status.code == 401 { return .unauthorized }
            if status.code == 404 {
                // kube-apiserver names the object in a 404 for a missing object; a 404 that names
                // none (and says it "could not find the requested resource") is a missing CRD.
                if status.details?.name == nil, status.message?.contains("could not find the requested resource") ?? true {
                    return .resourceNotServed
                }
                if let name, let namespace { return .notFound(name: name, namespace: namespace) }
            }
            if status.code == 422, let name {
                let causes = (status.details?.causes ?? []).compactMap { cause -> String? in
                    guard let message = cause.message else { return nil }
                    return cause.field.map { "\($0): \(message)" } ?? message
                }
                return .invalid(name: name, message: causes.isEmpty ? status.message ?? "" : causes.joined(separator: ", "))
            }
            return .server(reason: status.reason ?? "Unknown", message: status.message ?? "unknown error (HTTP \(status.code))")
        }
    }
}

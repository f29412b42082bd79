import Hummingbird
import KubeModels

extension APIHandler {
    /// `GET /kubesim/requests`: every resource request served so far, one entry per client (user
    /// agent), RBAC verb, resource and namespace, with its count. For a process that runs
    /// kubesim as another process (a benchmark) and needs what `KubeSim.requestsByClient()`
    /// gives in-process; `conflicts` says how many of them were answered 409. Reads never count
    /// themselves: `/kubesim/` paths are not counted.
    func handleRequests(_ request: APIRequest) throws(StatusError) -> Response {
        guard request.method == .get else { throw .methodNotAllowed("use GET to read the request counts") }
        let conflicts = metrics.conflictsByClient()
        let entries = metrics.requestsByClient().sorted { lhs, rhs in
            let left = (lhs.key.userAgent, lhs.key.verb, lhs.key.group, lhs.key.resource, lhs.key.namespace ?? "")
            let right = (rhs.key.userAgent, rhs.key.verb, rhs.key.group, rhs.key.resource, rhs.key.namespace ?? "")
            return left < right
        }
        return Responses.json(
            .array(
                entries.map { client, count in
                    [
                        "userAgent": .string(client.userAgent), "verb": .string(client.verb), "group": .string(client.group),
                        "resource": .string(client.resource), "namespace": client.namespace.map(JSONValue.string) ?? .null,
                        "count": .int(Int64(count)), "conflicts": .int(Int64(conflicts[client] ?? 0)),
                    ]
                }))
    }
}

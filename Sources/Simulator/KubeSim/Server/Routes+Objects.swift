import Foundation
import Hummingbird
import KubeModels

extension APIHandler {
    func get(_ request: APIRequest, _ served: ServedResource, namespace: String?, name: String) throws(StatusError) -> Response {
        let object = present(try store.get(served.gvr, namespace: namespace, name: name), served)
        if request.wantsTable {
            return Responses.json(TableConverter.table(for: [object], served, resourceVersion: object.meta("resourceVersion") ?? ""))
        }
        return Responses.json(object)
    }

    func list(_ request: APIRequest, _ served: ServedResource, namespace: String?) throws(StatusError) -> Response {
        let filter = try Selectors.filter(label: request.query["labelSelector"], field: request.query["fieldSelector"], fieldLabels: served.fieldLabels)
        var after: String?
        if let token = request.query["continue"], !token.isEmpty {
            guard let decoded = ContinueToken.decode(token) else {
                throw .badRequest("continue key is not valid: \(token)")
            }
            after = decoded
        }
        let limit = request.int("limit").flatMap { $0 > 0 ? $0 : nil }
        let page = store.list(served.gvr, namespace: namespace, filter: filter, after: after, limit: limit)
        let items = page.items.map { present($0, served) }
        let resourceVersion = String(page.resourceVersion)
        if request.wantsTable {
            var table = TableConverter.table(for: items, served, resourceVersion: resourceVersion)
            if let key = page.continueKey { table["metadata"]?["continue"] = .string(ContinueToken.encode(key)) }
            return Responses.json(table)
        }
        var metadata: [String: JSONValue] = ["resourceVersion": .string(resourceVersion)]
        if let key = page.continueKey {
            metadata["continue"] = .string(ContinueToken.encode(key))
            metadata["remainingItemCount"] = .int(Int64(page.remainingEstimate))
        }
        let list: JSONValue = [
            "kind": .string(served.listKind), "apiVersion": .string(served.gvr.apiVersion), "metadata": .object(metadata),
            "items": .array(items),
        ]
        return Responses.json(list)
    }

    func create(_ request: APIRequest, _ served: ServedResource, namespace: String?) throws(StatusError) -> Response {
        var object = try request.jsonBody()
        try Self.checkKind(object, served)
        if let namespace { try requireNamespace(namespace) }
        if served.info.hasStatus, served.gvr != .namespaces { object["status"] = nil }
        if served.gvr == .namespaces { object["status"] = ["phase": "Active"] }
        let admission = Admission(served: served, strict: request.query["fieldValidation"] == "Strict", isCreate: true)
        if request.isDryRun {
            return Responses.json(present(try admission.admit(object, old: nil), served), status: .created)
        }
        var created = try store.create(served.gvr, namespace: namespace, object: object, admit: admission.admit)
        if served.gvr == .customResourceDefinitions {
            created = (try? store.updateStatus(served.gvr, namespace: nil, object: CRDStatus.established(created))) ?? created
        }
        return Responses.json(present(created, served), status: .created)
    }

    func update(_ request: APIRequest, _ served: ServedResource, namespace: String?, name: String, subresource: String?)
        throws(StatusError) -> Response
    {
        var object = try request.jsonBody()
        try Self.checkKind(object, served)
        if let bodyName = object.meta("name"), !bodyName.isEmpty, bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        object.setMeta("name", .string(name))
        let admission = Admission(served: served, strict: request.query["fieldValidation"] == "Strict", isCreate: false)
        if request.isDryRun {
            let stored = try? store.get(served.gvr, namespace: namespace, name: name)
            return Responses.json(present(try admission.admit(object, old: stored), served))
        }
        let updated = try store.update(served.gvr, namespace: namespace, object: object, subresource: subresource, admit: admission.admit)
        return Responses.json(present(updated, served))
    }

    func delete(_ request: APIRequest, _ served: ServedResource, namespace: String?, name: String) throws(StatusError) -> Response {
        let options = try deleteOptions(request)
        if request.isDryRun || request.query["dryRun"] == "All" {
            return Responses.json(present(try store.get(served.gvr, namespace: namespace, name: name), served))
        }
        let outcome = try store.delete(served.gvr, namespace: namespace, name: name, options: options)
        switch outcome {
        case .pending(let object): return Responses.json(present(object, served), status: .ok)
        case .deleted(let object): return Responses.json(present(object, served), status: .ok)
        }
    }

    func deleteCollection(_ request: APIRequest, _ served: ServedResource, namespace: String?) throws(StatusError) -> Response {
        let filter = try Selectors.filter(label: request.query["labelSelector"], field: request.query["fieldSelector"], fieldLabels: served.fieldLabels)
        let options = try deleteOptions(request)
        var deleted: [JSONValue] = []
        for item in store.list(served.gvr, namespace: namespace, filter: filter).items {
            if let outcome = try? store.delete(served.gvr, namespace: item.meta("namespace"), name: item.meta("name") ?? "", options: options) {
                deleted.append(present(outcome.object, served))
            }
        }
        let list: JSONValue = [
            "kind": .string(served.listKind), "apiVersion": .string(served.gvr.apiVersion),
            "metadata": ["resourceVersion": .string(String(store.currentResourceVersion))], "items": .array(deleted),
        ]
        return Responses.json(list)
    }

    private func deleteOptions(_ request: APIRequest) throws(StatusError) -> StoreDeleteOptions {
        var options = StoreDeleteOptions()
        if !request.body.isEmpty {
            let body = try request.jsonBody()
            options.propagationPolicy = body["propagationPolicy"]?.stringValue.flatMap(StoreDeleteOptions.Propagation.init)
            options.preconditionUID = body["preconditions"]?["uid"]?.stringValue
            options.preconditionResourceVersion = body["preconditions"]?["resourceVersion"]?.stringValue
            options.gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue.map { Int($0) }
            if body["orphanDependents"]?.boolValue == true { options.propagationPolicy = .orphan }
        }
        if let policy = request.query["propagationPolicy"] {
            guard let parsed = StoreDeleteOptions.Propagation(rawValue: policy) else {
                throw .badRequest("propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
            }
            options.propagationPolicy = parsed
        }
        if let grace = request.int("gracePeriodSeconds") { options.gracePeriodSeconds = grace }
        return options
    }

    func requireNamespace(_ namespace: String) throws(StatusError) {
        let object = try store.get(.namespaces, namespace: nil, name: namespace)
        if object.meta("deletionTimestamp") != nil {
            throw StatusError(
                code: 403, reason: "Forbidden",
                message: "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }

    static func checkKind(_ object: JSONValue, _ served: ServedResource) throws(StatusError) {
        guard case .object = object else { throw .badRequest("the request body must be a JSON object") }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != served.gvr.kind {
            throw .badRequest("the API version in the data (\(object["apiVersion"]?.stringValue ?? "")) does not match the expected API version (\(served.gvr.apiVersion)) or kind \(kind) does not match \(served.gvr.kind)")
        }
    }
}

/// Opaque `continue` tokens: the last key of the previous page.
enum ContinueToken {
    static func encode(_ key: String) -> String {
        Data(key.utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> String? {
        Data(base64Encoded: token).flatMap { String(data: $0, encoding: .utf8) }
    }
}

enum CRDStatus {
    /// A new CRD is accepted and established at once (a real server does so within moments).
    static func established(_ crd: JSONValue) -> JSONValue {
        var crd = crd
        let now = JSONValue.string(Clock.timestamp())
        func condition(_ type: String, _ reason: String, _ message: String) -> JSONValue {
            ["type": .string(type), "status": "True", "lastTransitionTime": now, "reason": .string(reason), "message": .string(message)]
        }
        crd["status"] = [
            "conditions": [
                condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
            ],
            "acceptedNames": crd["spec"]?["names"] ?? [:],
            "storedVersions": .array((crd["spec"]?["versions"]?.arrayValue ?? []).filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }),
        ]
        return crd
    }
}

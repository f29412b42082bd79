import KubeModels

/// Validation and defaulting of a write, run on the exact object about to be committed.
struct Admission: Sendable {
    let served: ServedResource
    /// `fieldValidation=Strict` (kubectl's default): unknown fields are an error, not pruned.
    let strict: Bool
    let isCreate: Bool

    func admit(_ object: JSONValue) throws(StatusError) -> JSONValue {
        let name = object.meta("name") ?? ""
        var causes: [StatusError.Cause] = []
        if isCreate, let problem = NameValidation.problem(name, served: served) {
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \(problem)", field: "metadata.name"))
        }
        var result = served.crd == nil ? BuiltinDefaults.apply(object, resource: served.gvr.resource) : object
        if let schema = served.crdVersion?.schema {
            let outcome = SchemaValidator.validate(object, schema: schema, subresources: served.info)
            if strict, let unknown = outcome.unknownFields.first {
                throw .badRequest("strict decoding error: unknown field \"\(unknown)\"")
            }
            causes += outcome.causes
            result = outcome.object
        }
        causes += MetadataValidation.causes(object)
        causes += BuiltinValidation.causes(object, served)
        if served.gvr == .customResourceDefinitions { causes += CRDValidation.causes(object) }
        if !causes.isEmpty {
            throw .invalid(kind: served.gvr.kind, group: served.gvr.group, name: name, causes: causes)
        }
        return result
    }
}

enum NameValidation {
    /// DNS-1123 subdomain, as most resources require (pods and CRs included).
    static func problem(_ name: String, served: ServedResource) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
        if name.count > 253 { return "must be no more than 253 characters" }
        let valid = !name.isEmpty && name.allSatisfy { allowed.contains($0) }
            && name.first.map { $0.isLetter || $0.isNumber } == true && name.last.map { $0.isLetter || $0.isNumber } == true
        if !valid {
            return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        }
        return nil
    }
}

/// ObjectMeta rules every resource shares.
enum MetadataValidation {
    /// apimachinery's `TotalAnnotationSizeLimitB`: keys and values together.
    static let maximumAnnotationBytes = 256 * 1024

    static func causes(_ object: JSONValue) -> [StatusError.Cause] {
        guard case .object(let annotations)? = object["metadata"]?["annotations"] else { return [] }
        let size = annotations.reduce(0) { $0 + $1.key.utf8.count + ($1.value.stringValue?.utf8.count ?? 0) }
        guard size > maximumAnnotationBytes else { return [] }
        return [
            .init(
                reason: "FieldValueTooLong", message: "Too long: may not be more than \(maximumAnnotationBytes) bytes",
                field: "metadata.annotations")
        ]
    }
}

/// The few built-in validation rules tests rely on.
enum BuiltinValidation {
    static func causes(_ object: JSONValue, _ served: ServedResource) -> [StatusError.Cause] {
        var causes: [StatusError.Cause] = []
        guard served.crd == nil else { return causes }
        switch served.gvr.resource {
        case "replicasets", "deployments":
            if let replicas = object["spec"]?["replicas"]?.intValue, replicas < 0 {
                causes.append(
                    .init(reason: "FieldValueInvalid", message: "Invalid value: \(replicas): must be greater than or equal to 0", field: "spec.replicas"))
            }
            if object["spec"]?["selector"] == nil {
                causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.selector"))
            }
        case "pods":
            if (object["spec"]?["containers"]?.arrayValue ?? []).isEmpty {
                causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.containers"))
            }
        default: break
        }
        return causes
    }
}

enum CRDValidation {
    static func causes(_ crd: JSONValue) -> [StatusError.Cause] {
        var causes: [StatusError.Cause] = []
        let spec = crd["spec"]
        let group = spec?["group"]?.stringValue ?? ""
        let plural = spec?["names"]?["plural"]?.stringValue ?? ""
        if group.isEmpty { causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.group")) }
        if plural.isEmpty { causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.names.plural")) }
        if (spec?["names"]?["kind"]?.stringValue ?? "").isEmpty {
            causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.names.kind"))
        }
        if let name = crd.meta("name"), !group.isEmpty, !plural.isEmpty, name != "\(plural).\(group)" {
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group", field: "metadata.name"))
        }
        let versions = spec?["versions"]?.arrayValue ?? []
        if versions.isEmpty { causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.versions")) }
        if !versions.isEmpty, versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: must have exactly one version marked as storage version", field: "spec.versions"))
        }
        return causes
    }
}

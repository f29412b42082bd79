import KubeModels

/// Validation and defaulting of a write, run on the exact object about to be committed.
struct Admission: Sendable {
    let served: ServedResource
    /// `fieldValidation=Strict` (kubectl's default): unknown fields are an error, not pruned.
    let strict: Bool
    let isCreate: Bool

    /// `old` is the stored object on an update (nil on a create), for CEL transition rules.
    func admit(_ object: JSONValue, old: JSONValue?) throws(StatusError) -> JSONValue {
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
            if let rules = served.crdVersion?.validationRules {
                causes += Self.ruleCauses(rules, result, old: old, schemaCauses: outcome.causes)
            }
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

extension Admission {
    /// Schema errors after which the API server does not evaluate CEL rules (a rule could read
    /// a value of the wrong type, or a missing required field).
    static let blockingReasons: Set<String> = [
        "FieldValueNotSupported", "FieldValueRequired", "FieldValueTooLong", "FieldValueTooMany", "FieldValueTypeInvalid",
    ]

    /// The `x-kubernetes-validations` failures of the defaulted object, or the API server's note
    /// that they were not checked because the schema already refused it.
    static func ruleCauses(_ rules: CELValidator, _ object: JSONValue, old: JSONValue?, schemaCauses: [StatusError.Cause])
        -> [StatusError.Cause]
    {
        guard !schemaCauses.contains(where: { blockingReasons.contains($0.reason) }) else {
            return [
                .init(
                    reason: "FieldValueInvalid",
                    message: "Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
                    field: "<nil>")
            ]
        }
        return rules.validate(object, old: old)
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
        // Rules are compiled when the CRD is stored: one kubesim cannot evaluate refuses the CRD
        // here, rather than being skipped when its objects are written.
        for (index, version) in versions.enumerated() {
            guard let schema = version["schema"]?["openAPIV3Schema"] else { continue }
            causes += CELValidator.compile(schema, path: "spec.versions[\(index)].schema.openAPIV3Schema").problems
        }
        return causes
    }
}

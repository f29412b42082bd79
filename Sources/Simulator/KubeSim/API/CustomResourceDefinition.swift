import KubeModels

/// The parts of an `apiextensions.k8s.io/v1` CustomResourceDefinition kubesim serves from.
struct CustomResourceDefinition: Sendable {
    struct PrinterColumn: Sendable, Hashable {
        var name: String
        var type: String
        var format: String?
        var description: String?
        var priority: Int
        var jsonPath: String
    }

    struct ScaleSubresource: Sendable, Hashable {
        var specReplicasPath: String
        var statusReplicasPath: String
        var labelSelectorPath: String?
    }

    struct Version: Sendable {
        var name: String
        var served: Bool
        var storage: Bool
        var schema: JSONValue?
        /// The schema's CEL rules, compiled once per stored CRD (nil when it has none).
        var validationRules: CELValidator?
        var hasStatus: Bool
        var scale: ScaleSubresource?
        var printerColumns: [PrinterColumn]
        /// `selectableFields` as field selector labels (`.spec.color` → `spec.color`).
        var selectableFields: [String]
    }

    var name: String
    var group: String
    var plural: String
    var singular: String
    var kind: String
    var listKind: String
    var shortNames: [String]
    var categories: [String]
    var namespaced: Bool
    var versions: [Version]

    init?(_ object: JSONValue) {
        guard let spec = object["spec"], let group = spec["group"]?.stringValue, let names = spec["names"],
            let plural = names["plural"]?.stringValue, let kind = names["kind"]?.stringValue
        else { return nil }
        self.name = object["metadata"]?["name"]?.stringValue ?? "\(plural).\(group)"
        self.group = group
        self.plural = plural
        self.kind = kind
        self.singular = names["singular"]?.stringValue ?? kind.lowercased()
        self.listKind = names["listKind"]?.stringValue ?? kind + "List"
        self.shortNames = names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.categories = names["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.namespaced = spec["scope"]?.stringValue != "Cluster"
        self.versions = (spec["versions"]?.arrayValue ?? []).compactMap { version in
            guard let name = version["name"]?.stringValue else { return nil }
            let subresources = version["subresources"]
            let scale = subresources?["scale"].flatMap { scale -> ScaleSubresource? in
                guard let spec = scale["specReplicasPath"]?.stringValue, let status = scale["statusReplicasPath"]?.stringValue
                else { return nil }
                return ScaleSubresource(
                    specReplicasPath: spec, statusReplicasPath: status, labelSelectorPath: scale["labelSelectorPath"]?.stringValue)
            }
            let columns = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { column -> PrinterColumn? in
                guard let name = column["name"]?.stringValue, let path = column["jsonPath"]?.stringValue else { return nil }
                return PrinterColumn(
                    name: name, type: column["type"]?.stringValue ?? "string", format: column["format"]?.stringValue,
                    description: column["description"]?.stringValue, priority: Int(column["priority"]?.intValue ?? 0), jsonPath: path)
            }
            let selectable = (version["selectableFields"]?.arrayValue ?? []).compactMap { field in
                field["jsonPath"]?.stringValue.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
            }
            let schema = version["schema"]?["openAPIV3Schema"]
            return Version(
                name: name, served: version["served"]?.boolValue ?? true, storage: version["storage"]?.boolValue ?? false,
                schema: schema, validationRules: schema.flatMap { CELValidator.compile($0, path: "").validator },
                hasStatus: subresources?["status"] != nil, scale: scale, printerColumns: columns, selectableFields: selectable)
        }
    }

    func resourceInfo(for version: Version) -> ResourceInfo {
        ResourceInfo(
            gvr: GroupVersionResource(group: group, version: version.name, resource: plural, kind: kind, namespaced: namespaced),
            singular: singular, hasStatus: version.hasStatus, hasScale: version.scale != nil, shortNames: shortNames,
            categories: categories, tracksGeneration: true)
    }

    /// The field selector labels the API server accepts for this version's objects: the name, the
    /// namespace when namespaced, and the declared `selectableFields`; any other is a 400.
    func fieldLabels(for version: Version) -> Set<String> {
        var labels: Set<String> = ["metadata.name"]
        if namespaced { labels.insert("metadata.namespace") }
        labels.formUnion(version.selectableFields)
        return labels
    }

    /// Storage semantics come from the storage version (or the first served one).
    var storageInfo: ResourceInfo? {
        guard let version = versions.first(where: \.storage) ?? versions.first(where: \.served) else { return nil }
        return resourceInfo(for: version)
    }
}

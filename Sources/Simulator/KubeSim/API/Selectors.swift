import KubeModels

/// `?labelSelector=` / `?fieldSelector=` as one predicate over stored objects.
enum Selectors {
    /// `fieldLabels`, when given, are the only fields a field selector may name (custom resources:
    /// see `CustomResourceDefinition.fieldLabels`); others are refused with the API server's 400.
    static func filter(label: String?, field: String?, fieldLabels: Set<String>? = nil) throws(StatusError)
        -> (@Sendable (JSONValue) -> Bool)?
    {
        var labels: LabelSelectorRequirementSet?
        var fields: FieldSelector?
        if let label, !label.isEmpty {
            do { labels = try LabelSelector.parse(label) } catch { throw .badRequest("unable to parse requirement: \(error)") }
        }
        if let field, !field.isEmpty {
            do { fields = try FieldSelector.parse(field) } catch { throw .badRequest("invalid field selector: \(error)") }
        }
        if let fieldLabels, let unsupported = fields?.requirements.first(where: { !fieldLabels.contains($0.field) }) {
            throw .badRequest("field label not supported: \(unsupported.field)")
        }
        guard labels != nil || fields != nil else { return nil }
        return { [labels, fields] object in
            if let labels, !labels.matches(object.labels) { return false }
            if let fields, !fields.matches({ fieldValue(object, $0) }) { return false }
            return true
        }
    }

    /// A dotted field path's value as a string (`metadata.name`, `status.phase`, `spec.nodeName`).
    static func fieldValue(_ object: JSONValue, _ path: String) -> String? {
        var current: JSONValue? = object
        for component in path.split(separator: ".") { current = current?[String(component)] }
        switch current {
        case .string(let value)?: return value
        case .int(let value)?: return String(value)
        case .bool(let value)?: return String(value)
        case .double(let value)?: return String(value)
        default: return nil
        }
    }
}

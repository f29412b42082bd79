/// Tables for k8s.io/apimachinery/pkg/apis/meta/v1 (field numbers from its generated.proto).
enum MetaSchemas {
    static let objectMeta = MessageSchema.meta(
        "ObjectMeta",
        [
            .string(1, "name"), .string(2, "generateName"), .string(3, "namespace"), .string(4, "selfLink"),
            .string(5, "uid"), .string(6, "resourceVersion"), .int64(7, "generation"),
            .time(8, "creationTimestamp"), .time(9, "deletionTimestamp"), .int64(10, "deletionGracePeriodSeconds", .pointer),
            .map(11, "labels"), .map(12, "annotations"), .message(13, "ownerReferences", ownerReference, .repeated),
            .string(14, "finalizers", .repeated), .message(17, "managedFields", managedFieldsEntry, .repeated),
        ])

    static let ownerReference = MessageSchema.meta(
        "OwnerReference",
        [
            .string(5, "apiVersion", .always), .string(1, "kind", .always), .string(3, "name", .always),
            .string(4, "uid", .always), .bool(6, "controller", .pointer), .bool(7, "blockOwnerDeletion", .pointer),
        ])

    static let managedFieldsEntry = MessageSchema.meta(
        "ManagedFieldsEntry",
        [
            .string(1, "manager"), .string(2, "operation"), .string(3, "apiVersion"), .time(4, "time"),
            .string(6, "fieldsType"), ProtoField(number: 7, name: "fieldsV1", kind: ValueSchemas.fieldsV1, presence: .pointer),
            .string(8, "subresource"),
        ])

    static let labelSelector = MessageSchema.meta(
        "LabelSelector", [.map(1, "matchLabels"), .message(2, "matchExpressions", labelSelectorRequirement, .repeated)])

    static let labelSelectorRequirement = MessageSchema.meta(
        "LabelSelectorRequirement", [.string(1, "key", .always), .string(2, "operator", .always), .string(3, "values", .repeated)])

    static let condition = MessageSchema.meta(
        "Condition",
        [
            .string(1, "type", .always), .string(2, "status", .always), .int64(3, "observedGeneration"),
            .time(4, "lastTransitionTime"), .string(5, "reason", .always), .string(6, "message", .always),
        ])
}

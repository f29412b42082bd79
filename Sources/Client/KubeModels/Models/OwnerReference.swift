/// `metav1.OwnerReference`: an object's owner, for garbage collection and controller ownership.
public struct OwnerReference: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

extension OwnerReference {
    /// The owner's API group: `apps` for `apps/v1`, empty for the core group's `v1`.
    public var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    /// Whether the owner is of `resource`'s group and kind, in any version of the group.
    public func refers(to resource: GroupVersionResource) -> Bool {
        group == resource.group && kind == resource.kind
    }

    /// Reads a reference from an object's JSON; nil without a kind, name and uid.
    public init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue, let name = json["name"]?.stringValue, let uid = json["uid"]?.stringValue else {
            return nil
        }
        self.init(
            apiVersion: json["apiVersion"]?.stringValue ?? "", kind: kind, name: name, uid: uid, controller: json["controller"]?.boolValue,
            blockOwnerDeletion: json["blockOwnerDeletion"]?.boolValue)
    }

}

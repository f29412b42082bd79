import KubeModels

/// An object as the informer's cache holds it: its compact JSON bytes (one allocation), the
/// resourceVersion a relist compares, and its index values, so that neither keeping the indexes
/// up to date nor a relist's diff has to decode it.
struct CachedObject: Sendable {
    private let bytes: [UInt8]
    let resourceVersion: String?
    /// One entry per index, in the cache's index order.
    let indexValues: [[String]]

    init(_ object: JSONValue, indexers: [IndexFunction]) {
        bytes = object.serialized()
        resourceVersion = ObjectCache.resourceVersion(object)
        indexValues = indexers.map { $0(object) }
    }

    private init(bytes: [UInt8], resourceVersion: String?, indexValues: [[String]]) {
        self.bytes = bytes
        self.resourceVersion = resourceVersion
        self.indexValues = indexValues
    }

    /// The same bytes with the values of `indexers` (an index was added since it was compacted).
    func reindexed(by indexers: [IndexFunction]) -> CachedObject {
        let object = self.object
        return CachedObject(bytes: bytes, resourceVersion: resourceVersion, indexValues: indexers.map { $0(object) })
    }

    /// The object, decoded afresh.
    var object: JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            // The bytes are the writer's own output, never input from outside: a failure here is a
            // writer or parser bug, and serving a wrong object would be worse than stopping.
            preconditionFailure("a cached object's own serialization did not parse back: \(error)")
        }
    }
}

import KubeModels

/// What happened to a cached object. `deleted` is also reported for objects that vanished while
/// the watch was down (found missing by a relist), with the last state the cache knew.
public enum InformerEventKind: String, Sendable, Hashable {
    case added
    case updated
    case deleted
}

/// Called after the cache has applied the change: `(kind, old, new)`; `old` is nil for adds and
/// `new` is nil for deletes (then `old` is the final state: the server's, or the last cached one
/// when a relist found the object gone). Handlers run on the informer's task, in order; keep them short
/// (enqueue a key) and never register handlers from inside one.
public typealias InformerEventHandler = @Sendable (InformerEventKind, JSONValue?, JSONValue?) -> Void

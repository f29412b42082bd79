import Hummingbird
import KubeModels
import NIOCore

extension APIHandler {
    /// A chunked stream of newline-delimited watch events, from a resourceVersion (resuming
    /// from the event window) or from now (synthetic ADDED events for what exists first).
    func watch(_ request: APIRequest, _ served: ServedResource, namespace: String?, name: String?) throws(StatusError) -> Response {
        var fieldSelector = request.query["fieldSelector"] ?? ""
        if let name { fieldSelector = fieldSelector.isEmpty ? "metadata.name=\(name)" : "\(fieldSelector),metadata.name=\(name)" }
        let filter = try Selectors.filter(label: request.query["labelSelector"], field: fieldSelector, fieldLabels: served.fieldLabels)
        let requestedVersion = request.query["resourceVersion"] ?? ""
        let sendInitialEvents = request.query["sendInitialEvents"] == "true"
        let bookmarks = request.flag("allowWatchBookmarks")
        let timeout = request.int("timeoutSeconds").flatMap { $0 > 0 ? $0 : nil } ?? 1800
        let table = request.wantsTable

        var initial: [JSONValue] = []
        var initialVersion: UInt64 = 0
        let events: AsyncStream<StoreEvent>
        if requestedVersion.isEmpty || requestedVersion == "0" || sendInitialEvents {
            let snapshot = store.snapshotAndWatch(served.gvr, namespace: namespace)
            initial = snapshot.items.filter { filter?($0) ?? true }
            initialVersion = snapshot.resourceVersion
            events = snapshot.events
        } else {
            guard let version = UInt64(requestedVersion) else {
                throw .badRequest("invalid resourceVersion: \(requestedVersion)")
            }
            do {
                events = try store.watch(served.gvr, namespace: namespace, after: version)
            } catch {
                // Like the API server: the watch is accepted, then ends with an ERROR event.
                let line = WatchEncoder.line(type: "ERROR", object: error.status)
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: line)))
            }
        }
        let encoder = WatchEncoder(handler: self, served: served, table: table)
        let body = ResponseBody { [initial, initialVersion] writer in
            var encoder = encoder
            for object in initial {
                try await writer.write(ByteBuffer(bytes: encoder.encode(type: "ADDED", object: object)))
            }
            if sendInitialEvents {
                let bookmark = encoder.bookmark(initialVersion, initialEventsEnd: true)
                try await writer.write(ByteBuffer(bytes: bookmark))
            }
            let (signals, continuation) = AsyncStream<WatchSignal>.makeStream()
            let forward = Task {
                for await event in events { continuation.yield(.event(event)) }
                continuation.yield(.end)
            }
            let timer = Task {
                try? await Task.sleep(for: .seconds(timeout))
                continuation.yield(.end)
            }
            defer {
                forward.cancel()
                timer.cancel()
                continuation.finish()
            }
            loop: for await signal in signals {
                switch signal {
                case .end: break loop
                case .event(let event) where event.isProgressNotification:
                    if bookmarks { try await writer.write(ByteBuffer(bytes: encoder.bookmark(event.resourceVersion, initialEventsEnd: false))) }
                case .event(let event):
                    guard let line = encoder.encode(event, filter: filter) else { continue }
                    try await writer.write(ByteBuffer(bytes: line))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache, private"], body: body)
    }
}

enum WatchSignal: Sendable {
    case event(StoreEvent)
    case end
}

/// Turns store events into watch lines, translating selector transitions (an object that stops
/// matching is DELETED for this watch, one that starts matching is ADDED).
struct WatchEncoder: Sendable {
    let handler: APIHandler
    let served: ServedResource
    let table: Bool
    var sentColumns = false

    init(handler: APIHandler, served: ServedResource, table: Bool) {
        self.handler = handler
        self.served = served
        self.table = table
    }

    mutating func encode(_ event: StoreEvent, filter: (@Sendable (JSONValue) -> Bool)?) -> [UInt8]? {
        let nowMatches = filter?(event.object) ?? true
        let wasMatching = event.oldObject.map { filter?($0) ?? true } ?? false
        let type: String
        switch event.type {
        case .added:
            guard nowMatches else { return nil }
            type = "ADDED"
        case .modified:
            switch (wasMatching, nowMatches) {
            case (true, true): type = "MODIFIED"
            case (false, true): type = "ADDED"
            case (true, false): type = "DELETED"
            case (false, false): return nil
            }
        case .deleted:
            guard nowMatches || wasMatching else { return nil }
            type = "DELETED"
        }
        return encode(type: type, object: event.object)
    }

    mutating func encode(type: String, object: JSONValue) -> [UInt8] {
        let presented = handler.present(object, served)
        guard table else { return Self.line(type: type, object: presented) }
        var rendered = TableConverter.table(for: [presented], served, resourceVersion: presented.meta("resourceVersion") ?? "")
        if sentColumns { rendered["columnDefinitions"] = .array([]) }
        sentColumns = true
        return Self.line(type: type, object: rendered)
    }

    func bookmark(_ resourceVersion: UInt64, initialEventsEnd: Bool) -> [UInt8] {
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(resourceVersion))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSONValue = [
            "kind": .string(served.gvr.kind), "apiVersion": .string(served.gvr.apiVersion), "metadata": .object(metadata),
        ]
        return Self.line(type: "BOOKMARK", object: object)
    }

    static func line(type: String, object: JSONValue) -> [UInt8] {
        var bytes = JSONValue.object(["type": .string(type), "object": object]).serialized()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}

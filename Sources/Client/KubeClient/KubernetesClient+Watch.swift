import KubeModels

extension KubernetesClient {
    /// Events are read from the server only as fast as the stream is consumed, beyond a buffer of
    /// `ClientConfiguration.watchBufferBytes` (see `WatchEventBuffer`).
    public func watch(_ resource: GroupVersionResource, namespace: String?, options: WatchOptions) -> WatchStream {
        let query = ResourcePath.query([
            ("watch", "true"), ("resourceVersion", options.resourceVersion),
            ("allowWatchBookmarks", options.allowWatchBookmarks ? "true" : nil),
            ("labelSelector", options.labelSelector), ("fieldSelector", options.fieldSelector),
            ("timeoutSeconds", options.timeoutSeconds.map(String.init)),
            ("sendInitialEvents", options.sendInitialEvents.map { $0 ? "true" : "false" }),
            ("resourceVersionMatch", options.sendInitialEvents == true ? "NotOlderThan" : nil),
        ])
        let request = HTTPRequest(method: "GET", path: ResourcePath.path(resource, namespace: namespace) + query, isWatch: true)
        let buffer = WatchEventBuffer(
            capacity: configuration.watchBufferBytes, maximumEventBytes: configuration.maximumWatchEventBytes, counters: counters)
        let task = Task {
            do {
                let response = try await self.execute(request, stream: buffer)
                guard response.isSuccess else { throw KubernetesError.from(response) }
                buffer.finish(throwing: nil)
            } catch {
                buffer.finish(throwing: error)
            }
        }
        buffer.attach(terminate: { task.cancel() })
        let consumer = WatchConsumer(buffer)
        // Pull-based, unlike a continuation's stream, so nothing is read ahead of the consumer but
        // what the buffer allows.
        return WatchStream { try await consumer.next() }
    }
}

/// Owned by the stream alone: when the stream is dropped unfinished, the transfer ends with it.
private final class WatchConsumer: Sendable {
    let buffer: WatchEventBuffer

    init(_ buffer: WatchEventBuffer) { self.buffer = buffer }

    deinit { buffer.consumerLeft() }

    func next() async throws -> WatchEvent? { try await buffer.next() }
}

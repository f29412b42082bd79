import KubeModels
import Synchronization

extension KubernetesClient {
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
        let (stream, continuation) = WatchStream.makeStream()
        let sink = WatchSink(continuation: continuation, counters: counters, maximumEventBytes: configuration.maximumWatchEventBytes)
        let task = Task {
            do {
                let response = try await self.execute(request) { bytes in sink.receive(bytes) }
                guard response.isSuccess else { throw KubernetesError.from(response) }
                sink.finish(throwing: nil)
            } catch {
                sink.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// Decodes a watch body into events. `receive` runs on the curl thread, one chunk at a time and
/// in order; `finish` runs once, after the transfer ended, so the decoder is never shared.
final class WatchSink: Sendable {
    private struct State {
        var decoder: WatchLineDecoder
        var failed = false
    }

    private let continuation: WatchStream.Continuation
    private let counters: StatisticsCounters
    private let state: Mutex<State>

    init(continuation: WatchStream.Continuation, counters: StatisticsCounters, maximumEventBytes: Int) {
        self.continuation = continuation
        self.counters = counters
        state = Mutex(State(decoder: WatchLineDecoder(maximumLineBytes: maximumEventBytes)))
    }

    /// False aborts the transfer after a malformed event ended the stream.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let outcome: Result<[WatchEvent], any Error> = state.withLock { state in
            guard !state.failed else { return .success([]) }
            do {
                let before = state.decoder.decodedBytes
                let events = try state.decoder.feed(bytes)
                counters.addDecoded(state.decoder.decodedBytes - before)
                return .success(events)
            } catch {
                state.failed = true
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let events):
            for event in events { continuation.yield(event) }
            return true
        case .failure(let error):
            continuation.finish(throwing: error)
            return false
        }
    }

    func finish(throwing error: (any Error)?) {
        let trailing: Result<WatchEvent?, any Error> = state.withLock { state in
            guard !state.failed, error == nil else { return .success(nil) }
            return Result { try state.decoder.finish() }
        }
        if let error {
            continuation.finish(throwing: error)
            return
        }
        switch trailing {
        case .success(let event):
            if let event { continuation.yield(event) }
            continuation.finish()
        case .failure(let failure):
            continuation.finish(throwing: failure)
        }
    }
}

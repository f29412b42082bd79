import CCurl
import Foundation
import Synchronization

/// Async requests over the shared multi loop: builds the easy handle, submits it, and resumes the
/// caller when curl finishes. Cancelling the calling task aborts the transfer.
final class CurlTransport: Sendable {
    let loop: CurlMultiLoop
    let factory: CurlEasyFactory

    init(factory: CurlEasyFactory) {
        self.factory = factory
        loop = CurlMultiLoop()
    }

    func send(_ request: HTTPRequest, credentials: Credentials, stream: (any ResponseStream)? = nil) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let (easy, lists) = try factory.makeHandle(for: request, credentials: credentials)
        let waiter = CompletionWaiter()
        var handler: CurlTransfer.StreamHandler?
        if let stream {
            handler = { @Sendable (bytes: UnsafeRawBufferPointer) -> StreamDisposition in stream.receive(bytes) }
        }
        let transfer = CurlTransfer(
            id: loop.makeTransferID(), easy: easy, streamHandler: handler, maximumBodyBytes: factory.maximumResponseBytes
        ) { result in
            waiter.resume(with: result)
        }
        transfer.lists = lists
        stream?.attach { [loop] in loop.resume(transfer) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiter.install(continuation)
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    func shutdown() { loop.shutdown() }
}

/// Takes a 2xx body as it arrives (watches), on the loop thread, and may hold it back.
protocol ResponseStream: Sendable {
    func receive(_ bytes: UnsafeRawBufferPointer) -> StreamDisposition
    /// Called before each attempt's transfer starts, with what lets it read again after `.pause`.
    /// The stream drops it when it finishes: until then it keeps the transfer alive.
    func attach(resume: @escaping @Sendable () -> Void)
}

/// Hands a transfer's result to the continuation of the task awaiting it.
private final class CompletionWaiter: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<HTTPResponse, any Error>?, result: Result<HTTPResponse, any Error>?)>((nil, nil))

    func install(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
        let ready = state.withLock { state -> Result<HTTPResponse, any Error>? in
            if let result = state.result { return result }
            state.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }

    func resume(with result: Result<HTTPResponse, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<HTTPResponse, any Error>? in
            guard let continuation = state.continuation else {
                state.result = result
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(with: result)
    }
}

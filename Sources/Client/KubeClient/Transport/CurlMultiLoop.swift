import CCurl
import CCurlShim
import Foundation
import Synchronization

/// The single curl multi handle, driven by one dedicated thread (never Swift's cooperative pool).
/// Swift code hands it transfers through a locked inbox and wakes it with `curl_multi_wakeup`;
/// with `CURLPIPE_MULTIPLEX` every concurrent request to the server shares one HTTP/2 connection.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var added: [CurlTransfer] = []
        var cancelled: [UInt64] = []
        var resumed: [UInt64] = []
        var stopping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let nextID = Atomic<UInt64>(1)
    /// Loop-thread state.
    private var active: [UInt64: CurlTransfer] = [:]
    private var byHandle: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var connectionPolicy = ConnectionPolicy()

    init(maxConcurrentStreams: Int = 1000) {
        _ = CurlGlobal.initialized
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, maxConcurrentStreams)
        let thread = Thread { [self] in run() }
        thread.name = "kubeclient-curl"
        thread.start()
    }

    func makeTransferID() -> UInt64 { nextID.wrappingAdd(1, ordering: .relaxed).oldValue }

    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.added.append(transfer)
            return true
        }
        if accepted {
            curl_multi_wakeup(multi)
        } else {
            transfer.finish(.failure(KubernetesError.transport("the client has been shut down")))
            transfer.release()
        }
    }

    /// Aborts a transfer (task cancelled, watch consumer gone); its completion gets `CancellationError`.
    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .sequentiallyConsistent)
        inbox.withLock { $0.cancelled.append(transfer.id) }
        curl_multi_wakeup(multi)
    }

    /// Lets a paused transfer (its watch consumer fell behind) read again.
    func resume(_ transfer: CurlTransfer) {
        inbox.withLock { $0.resumed.append(transfer.id) }
        curl_multi_wakeup(multi)
    }

    /// Ends every transfer and stops the thread; the multi handle is freed by the thread.
    func shutdown() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var stillRunning: Int32 = 0
        while true {
            let (added, cancelled, resumed, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.added = []
                    inbox.cancelled = []
                    inbox.resumed = []
                }
                return (inbox.added, inbox.cancelled, inbox.resumed, inbox.stopping)
            }
            for transfer in added {
                if transfer.cancelRequested.load(ordering: .sequentiallyConsistent) {
                    transfer.finish(.failure(CancellationError()))
                    transfer.release()
                    continue
                }
                active[transfer.id] = transfer
                byHandle[transfer.easy] = transfer
                let code = curl_multi_add_handle(multi, transfer.easy)
                if code != CURLM_OK {
                    remove(transfer, result: .failure(KubernetesError.transport("curl_multi_add_handle: \(String(cString: curl_multi_strerror(code)))")))
                }
            }
            for id in cancelled {
                if let transfer = active[id] { remove(transfer, result: .failure(CancellationError())) }
            }
            for id in resumed {
                // CURLPAUSE_CONT (0) is a macro expression Swift does not import. Unpausing may hand the
                // held bytes to the write callback right here, which may pause again.
                if let transfer = active[id] { curl_easy_pause(transfer.easy, 0) }
            }
            applyConnectionPolicy()
            if stopping {
                for transfer in Array(active.values) {
                    remove(transfer, result: .failure(KubernetesError.transport("the client has been shut down")))
                }
                // Transfers that raced with shutdown.
                let late = inbox.withLock { inbox in
                    defer { inbox.added = [] }
                    return inbox.added
                }
                for transfer in late {
                    transfer.finish(.failure(KubernetesError.transport("the client has been shut down")))
                    transfer.release()
                }
                curl_multi_cleanup(multi)
                return
            }
            curl_multi_perform(multi, &stillRunning)
            if !connectionPolicy.knowsServer {
                for transfer in active.values where transfer.responseVersion != 0 {
                    connectionPolicy.learn(responseVersion: transfer.responseVersion)
                    break
                }
            }
            drainCompleted()
            applyConnectionPolicy()
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }

    private func drainCompleted() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = byHandle[easy]
            else { continue }
            let code = message.pointee.data.result
            connectionPolicy.learn(responseVersion: transfer.responseVersion)
            if code == CURLE_OK {
                remove(transfer, result: .success(()))
            } else {
                remove(transfer, result: .failure(KubernetesError.transport(Self.describe(code, detail: transfer.errorDetail))))
            }
        }
    }

    /// curl opens a new connection whenever no open one will take a transfer, so a cap is what
    /// makes it queue instead (see `ConnectionPolicy`).
    private func applyConnectionPolicy() {
        guard let cap = connectionPolicy.hostConnectionCap(activeTransfers: active.count) else { return }
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, cap)
    }

    private func remove(_ transfer: CurlTransfer, result: Result<Void, any Error>) {
        curl_multi_remove_handle(multi, transfer.easy)
        active[transfer.id] = nil
        byHandle[transfer.easy] = nil
        transfer.finish(result)
        transfer.release()
    }

    private static func describe(_ code: CURLcode, detail: String) -> String {
        let summary = String(cString: curl_easy_strerror(code))
        return detail.isEmpty ? "\(summary) (curl error \(code.rawValue))" : "\(summary): \(detail) (curl error \(code.rawValue))"
    }
}

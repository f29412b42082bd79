import Foundation
import CCurl
import CCurlShim
import Synchronization

/// What a stream handler did with a chunk of body bytes.
enum StreamDisposition: Sendable {
    case consumed
    /// Not taken: the consumer's buffer is full. curl stops reading this response until resumed.
    case pause
    /// Ends the transfer (the consumer hit a malformed event).
    case abort
}

/// One easy handle and the state of its transfer. After `CurlMultiLoop.submit` every field except
/// `cancelRequested` belongs to the loop thread, which is what makes `@unchecked Sendable` sound.
final class CurlTransfer: @unchecked Sendable {
    typealias Completion = @Sendable (Result<HTTPResponse, any Error>) -> Void
    /// Receives body bytes of a 2xx response as they arrive (watches); called on the loop thread.
    typealias StreamHandler = @Sendable (UnsafeRawBufferPointer) -> StreamDisposition

    let id: UInt64
    let easy: UnsafeMutableRawPointer
    let cancelRequested = Atomic<Bool>(false)
    var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// curl writes a detailed message here (e.g. which certificate check failed).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let streamHandler: StreamHandler?
    private var completion: Completion?
    private var status = 0
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []
    private let maximumBodyBytes: Int
    /// Set when the body outgrew `maximumBodyBytes` and the transfer was aborted for it.
    private var bodyTooLarge = false
    /// The HTTP version of the response's status line (11, 20), 0 until one arrived; the loop
    /// reads it to learn whether the server multiplexes.
    private(set) var responseVersion = 0

    init(id: UInt64, easy: UnsafeMutableRawPointer, streamHandler: StreamHandler?, maximumBodyBytes: Int, completion: @escaping Completion) {
        self.id = id
        self.easy = easy
        self.streamHandler = streamHandler
        self.maximumBodyBytes = maximumBodyBytes
        self.completion = completion
        errorBuffer = .allocate(capacity: 512)
        errorBuffer.initialize(repeating: 0, count: 512)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        _ = ccurl_easy_setopt_write_function(easy) { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        _ = ccurl_easy_setopt_header_function(easy) { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
    }

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if status == 0 {
            var code = 0
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
            status = code
        }
        if let streamHandler, (200..<300).contains(status) {
            switch streamHandler(bytes) {
            case .consumed: break
            // curl keeps these bytes and hands them over again after `CurlMultiLoop.resume`.
            case .pause: return Int(CURL_WRITEFUNC_PAUSE)
            case .abort: return 0
            }
        } else {
            guard body.count + bytes.count <= maximumBodyBytes else {
                bodyTooLarge = true
                body = []
                return 0
            }
            body.append(contentsOf: bytes)
        }
        return bytes.count
    }

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a proxy CONNECT) starts a new header block.
            headers = [:]
            let parts = line.split(separator: " ", maxSplits: 2)
            if parts.count >= 2, let code = Int(parts[1]) { status = code }
            responseVersion = line.hasPrefix("HTTP/2") ? 20 : line.hasPrefix("HTTP/3") ? 30 : 11
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }

    /// Ends the transfer exactly once; called on the loop thread after the handle left the multi handle.
    func finish(_ result: Result<Void, any Error>) {
        guard let completion else { return }
        self.completion = nil
        switch result {
        case .success:
            var code = 0
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
            completion(.success(HTTPResponse(status: code == 0 ? status : code, headers: headers, body: body)))
        case .failure(let error):
            completion(.failure(bodyTooLarge ? Self.tooLarge(maximumBodyBytes) : error))
        }
        body = []
    }

    private static func tooLarge(_ limit: Int) -> KubernetesError {
        .responseTooLarge("a response body of more than \(limit) bytes (maximumResponseBytes) was refused before it was read whole")
    }

    /// Frees the easy handle and its header lists; the transfer must already be finished.
    var errorDetail: String { String(cString: errorBuffer) }

    func release() {
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
        for list in lists { curl_slist_free_all(list) }
        lists = []
    }
}

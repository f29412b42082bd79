import CCurl
import CCurlShim
import Foundation

/// Builds a configured easy handle for one request: URL, method, body, headers, HTTP version,
/// TLS material (files or in-memory blobs), proxy and timeouts.
struct CurlEasyFactory: Sendable {
    let endpoint: ServerEndpoint
    let tls: TLSSettings
    let proxy: String
    let userAgent: String
    let requestTimeout: Duration
    let connectTimeout: Duration
    let http2PriorKnowledge: Bool
    let maximumResponseBytes: Int

    init(configuration: ClientConfiguration) throws(ConfigError) {
        endpoint = try ServerEndpoint(configuration.server)
        tls = configuration.tls
        proxy = ProxyResolver.proxy(for: endpoint, proxyURL: configuration.proxyURL, environment: configuration.environment)
        userAgent = configuration.userAgent
        requestTimeout = configuration.requestTimeout
        connectTimeout = configuration.connectTimeout
        http2PriorKnowledge = configuration.http2PriorKnowledge
        maximumResponseBytes = configuration.maximumResponseBytes
    }

    /// A new easy handle plus the header lists it references (freed with the transfer).
    func makeHandle(for request: HTTPRequest, credentials: Credentials) throws -> (UnsafeMutableRawPointer, [UnsafeMutablePointer<curl_slist>]) {
        _ = CurlGlobal.initialized
        guard let easy = curl_easy_init() else { throw KubernetesError.transport("curl_easy_init failed") }
        var lists: [UnsafeMutablePointer<curl_slist>] = []
        var failure: String?
        func set(_ code: CURLcode, _ what: String) {
            if code != CURLE_OK && failure == nil { failure = "\(what): \(String(cString: curl_easy_strerror(code)))" }
        }

        set(ccurl_easy_setopt_string(easy, CURLOPT_URL, endpoint.url(for: request.path, tlsServerName: tls.serverName)), "URL")
        set(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        set(ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "TCP_KEEPALIVE")
        set(ccurl_easy_setopt_long(easy, CURLOPT_BUFFERSIZE, 256 * 1024), "BUFFERSIZE")
        // HTTP/2 is what lets every request and watch share one connection; PIPEWAIT makes a
        // request issued while the first connection is still being set up wait for it.
        let version = endpoint.isHTTPS ? CURL_HTTP_VERSION_2TLS : (http2PriorKnowledge ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_1_1)
        set(ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, version), "HTTP_VERSION")
        set(ccurl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1), "PIPEWAIT")
        set(ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, userAgent), "USERAGENT")
        set(ccurl_easy_setopt_string(easy, CURLOPT_PROXY, proxy), "PROXY")
        set(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout)), "CONNECTTIMEOUT")
        if !request.isWatch {
            set(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(requestTimeout)), "TIMEOUT")
        }

        switch request.method {
        case "GET":
            set(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "HTTPGET")
        default:
            set(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "CUSTOMREQUEST")
        }
        if let body = request.body {
            set(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "POSTFIELDSIZE")
            // COPYPOSTFIELDS: curl keeps its own copy, so the Swift array may go away.
            body.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress, !buffer.isEmpty {
                    set(ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base)), "COPYPOSTFIELDS")
                } else {
                    set(ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, ""), "COPYPOSTFIELDS")
                }
            }
            // POSTFIELDS turns the request into a POST; CUSTOMREQUEST above keeps PUT/PATCH/DELETE.
            if request.method != "POST" {
                set(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "CUSTOMREQUEST")
            }
        }

        var headers: UnsafeMutablePointer<curl_slist>?
        func header(_ line: String) { headers = curl_slist_append(headers, line) }
        header("Accept: application/json")
        // Without this curl waits for "100 Continue" on larger HTTP/1.1 bodies.
        header("Expect:")
        if let contentType = request.contentType { header("Content-Type: \(contentType)") }
        if let token = credentials.bearerToken { header("Authorization: Bearer \(token)") }
        if let headers {
            lists.append(headers)
            set(ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers)), "HTTPHEADER")
        }
        if let basic = credentials.basic {
            // 1 is CURLAUTH_BASIC, a macro Swift cannot import.
            set(ccurl_easy_setopt_long(easy, CURLOPT_HTTPAUTH, 1), "HTTPAUTH")
            set(ccurl_easy_setopt_string(easy, CURLOPT_USERNAME, basic.username), "USERNAME")
            set(ccurl_easy_setopt_string(easy, CURLOPT_PASSWORD, basic.password), "PASSWORD")
        }

        if endpoint.isHTTPS {
            if let serverName = tls.serverName {
                if let list = curl_slist_append(nil, endpoint.connectTo(tlsServerName: serverName)) {
                    lists.append(list)
                    set(ccurl_easy_setopt_pointer(easy, CURLOPT_CONNECT_TO, UnsafeMutableRawPointer(list)), "CONNECT_TO")
                }
            }
            if tls.insecureSkipVerify {
                set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0), "SSL_VERIFYPEER")
                set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0), "SSL_VERIFYHOST")
            } else {
                set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "SSL_VERIFYPEER")
                set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "SSL_VERIFYHOST")
            }
            // A configured CA replaces the system trust store entirely, as in client-go.
            if let data = tls.certificateAuthorityData {
                set(Self.blob(easy, CURLOPT_CAINFO_BLOB, data), "CAINFO_BLOB")
                set(ccurl_easy_setopt_string(easy, CURLOPT_CAPATH, nil), "CAPATH")
            } else if let file = tls.certificateAuthorityFile {
                set(ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, file), "CAINFO")
                set(ccurl_easy_setopt_string(easy, CURLOPT_CAPATH, nil), "CAPATH")
            }
            switch credentials.clientCertificate {
            case .data(let pem)?:
                set(Self.blob(easy, CURLOPT_SSLCERT_BLOB, pem), "SSLCERT_BLOB")
                set(ccurl_easy_setopt_string(easy, CURLOPT_SSLCERTTYPE, "PEM"), "SSLCERTTYPE")
            case .file(let path)?:
                set(ccurl_easy_setopt_string(easy, CURLOPT_SSLCERT, path), "SSLCERT")
                set(ccurl_easy_setopt_string(easy, CURLOPT_SSLCERTTYPE, "PEM"), "SSLCERTTYPE")
            case nil:
                break
            }
            switch credentials.clientKey {
            case .data(let pem)?:
                set(Self.blob(easy, CURLOPT_SSLKEY_BLOB, pem), "SSLKEY_BLOB")
                set(ccurl_easy_setopt_string(easy, CURLOPT_SSLKEYTYPE, "PEM"), "SSLKEYTYPE")
            case .file(let path)?:
                set(ccurl_easy_setopt_string(easy, CURLOPT_SSLKEY, path), "SSLKEY")
                set(ccurl_easy_setopt_string(easy, CURLOPT_SSLKEYTYPE, "PEM"), "SSLKEYTYPE")
            case nil:
                break
            }
        }

        if let failure {
            curl_easy_cleanup(easy)
            for list in lists { curl_slist_free_all(list) }
            throw KubernetesError.invalidRequest("curl rejected an option: \(failure)")
        }
        return (easy, lists)
    }

    private static func blob(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ bytes: [UInt8]) -> CURLcode {
        var copy = bytes
        return copy.withUnsafeMutableBytes { buffer in
            ccurl_easy_setopt_blob(easy, option, buffer.baseAddress, buffer.count)
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

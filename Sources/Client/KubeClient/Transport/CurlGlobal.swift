import CCurl
import CCurlShim

/// libcurl's process-wide initialisation must happen once, before any handle is created.
enum CurlGlobal {
    static let initialized: Bool = ccurl_global_init_all() == CURLE_OK

    static let supportsHTTP2: Bool = ccurl_has_http2() != 0
}

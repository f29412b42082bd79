import Hummingbird
import NIOCore
import NIOSSL
import Synchronization

/// TLS-mode authentication: a known bearer token, or a client certificate the handshake
/// verified against kubesim's CA (the TLS layer rejects certificates it did not sign).
struct Authenticator: Sendable {
    let tokens: @Sendable (String) -> Bool

    func authenticate(_ request: Request, connection: any Channel) async -> Bool {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return tokens(String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces))
        }
        let certificate = try? await connection.nioSSL_peerCertificate().get()
        return certificate != nil
    }
}

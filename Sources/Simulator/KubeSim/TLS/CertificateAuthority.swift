import Crypto
import Foundation
import X509

/// A throwaway CA for TLS mode: signs the serving certificate (127.0.0.1 / localhost) and client
/// certificates that the server then accepts instead of a bearer token.
struct CertificateAuthority: Sendable {
    let certificate: Certificate
    private let key: P256.Signing.PrivateKey

    init() throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("kubesim-ca")
            OrganizationName("kubesim")
        }
        let now = Date()
        certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        self.key = key
    }

    var certificatePEM: String {
        get throws { try certificate.serializeAsPEM().pemString }
    }

    /// A leaf certificate and its PEM private key.
    func issue(commonName: String, organization: String? = nil, server: Bool) throws -> (certificatePEM: String, privateKeyPEM: String) {
        let leafKey = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            if let organization { OrganizationName(organization) }
            CommonName(commonName)
        }
        let now = Date()
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([server ? .serverAuth : .clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
                if server {
                    SubjectAlternativeNames([
                        .dnsName("localhost"), .ipAddress(.init(contentBytes: [127, 0, 0, 1])),
                        .ipAddress(.init(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                    ])
                }
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return (try leaf.serializeAsPEM().pemString, leafKey.pemRepresentation)
    }
}

import Crypto
import Foundation
import SwiftASN1
import X509

/// A self-signed certificate and its key, made fresh for a test: PEM as kubeconfigs carry them.
struct CertificateFixture {
  let certificatePEM: String
  let keyPEM: String

  init(commonName: String = "kube-test") throws {
    let key = P256.Signing.PrivateKey()
    let name = try DistinguishedName { CommonName(commonName) }
    let now = Date()
    let certificate = try Certificate(
      version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
      notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(3600), issuer: name,
      subject: name, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
      issuerPrivateKey: .init(key))
    certificatePEM = try certificate.serializeAsPEM().pemString
    keyPEM = key.pemRepresentation
  }

  var certificateBase64: String { Data(certificatePEM.utf8).base64EncodedString() }
  var keyBase64: String { Data(keyPEM.utf8).base64EncodedString() }
}

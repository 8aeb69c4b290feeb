import FakeKube
import Foundation

/// A certificate and its key, made fresh for a test by FakeKube's generator: PEM as kubeconfigs
/// carry them. The certificate is a client certificate its authority signed; configuration tests
/// use it wherever any well-formed certificate will do (as a CA bundle too).
struct CertificateFixture {
  let certificates: FakeKubeCertificates

  init() throws {
    certificates = try FakeKubeCertificates.generate()
  }

  var certificatePEM: String { certificates.clientCertificatePEM }
  var keyPEM: String { certificates.clientKeyPEM }
  var certificateBase64: String { Data(certificatePEM.utf8).base64EncodedString() }
  var keyBase64: String { Data(keyPEM.utf8).base64EncodedString() }
}

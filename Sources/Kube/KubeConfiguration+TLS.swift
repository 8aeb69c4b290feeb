import NIOSSL

extension KubeConfiguration.TLS {
  /// The NIOSSL client configuration these settings describe: the CA bundle as the only trust
  /// roots (or the system's when there is none), the client certificate chain and key, or no
  /// verification at all when `insecureSkipVerify` is set.
  ///
  /// Fails when a PEM holds no certificate, does not parse, or a key is missing its certificate;
  /// the error names which part.
  public func makeNIOConfiguration() throws(KubeConfigurationError) -> TLSConfiguration {
    var configuration = TLSConfiguration.makeClientConfiguration()
    if insecureSkipVerify {
      configuration.certificateVerification = .none
    } else if let certificateAuthorityPEM {
      let authorities = try Self.certificates(certificateAuthorityPEM, source: "the certificate authority")
      configuration.trustRoots = .certificates(authorities)
    }
    switch (clientCertificatePEM, clientKeyPEM) {
    case (nil, nil):
      break
    case (let certificatePEM?, let keyPEM?):
      let chain = try Self.certificates(certificatePEM, source: "the client certificate")
      configuration.certificateChain = chain.map { .certificate($0) }
      do {
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: keyPEM, format: .pem))
      } catch {
        throw .invalidPrivateKey(source: "the client key", reason: "it is not a PEM private key (\(error))")
      }
    case (nil, _?):
      throw .invalidCertificate(source: "the client certificate", reason: "a client key was given without one")
    case (_?, nil):
      throw .invalidPrivateKey(source: "the client key", reason: "a client certificate was given without one")
    }
    return configuration
  }

  private static func certificates(
    _ pem: [UInt8], source: String
  ) throws(KubeConfigurationError)
    -> [NIOSSLCertificate]
  {
    guard String(decoding: pem, as: UTF8.self).contains("-----BEGIN") else {
      throw .invalidCertificate(source: source, reason: "it is not PEM (no -----BEGIN line)")
    }
    let certificates: [NIOSSLCertificate]
    do {
      certificates = try NIOSSLCertificate.fromPEMBytes(pem)
    } catch {
      throw .invalidCertificate(source: source, reason: "the PEM does not parse (\(error))")
    }
    guard !certificates.isEmpty else {
      throw .invalidCertificate(source: source, reason: "the PEM holds no certificate")
    }
    return certificates
  }
}

// The certificates FakeKube serves HTTPS with: generated on the spot (a throwaway CA and a server
// certificate it signs), or read from files a user brings.
import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What cannot be done with the certificates FakeKube is asked to serve.
public enum CertificateError: Error, Equatable, Sendable {
  /// A name to put in the server certificate is neither an IP address nor a DNS name.
  case invalidHost(String)
  case unreadableFile(path: String, reason: String)
  /// A file holds no PEM certificate or private key, or one NIOSSL cannot load.
  case invalidPEM(path: String, reason: String)
  /// Building or signing a certificate failed.
  case generation(String)
}

extension CertificateError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .invalidHost(let host):
      "\"\(host)\" is neither an IP address nor a DNS name, so it cannot name the server in its certificate"
    case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
    case .invalidPEM(let path, let reason): "\(path) does not hold a usable PEM certificate or key: \(reason)"
    case .generation(let reason): "cannot generate the server certificates: \(reason)"
    }
  }
}

/// The PEM documents FakeKube serves HTTPS with: the server's certificate and key, and the
/// certificate authority a client trusts to verify it (`certificate-authority-data` in a kubeconfig).
///
/// A client identity comes along: a kubeconfig for an HTTPS server must identify its user, or
/// kubectl stops to prompt for a user name. The server asks for no client certificate, so this one
/// is never checked; it only lets a kubeconfig without a token work as-is, as kind's does.
public struct FakeKubeCertificates: Sendable {
  /// The certificate clients trust, PEM.
  public let certificateAuthorityPEM: String
  /// The server's certificate, PEM; with files, the whole chain the file holds.
  public let serverCertificatePEM: String
  /// The server's private key, PEM.
  public let serverKeyPEM: String
  /// A client certificate and its key, PEM, for `client-certificate-data` and `client-key-data`.
  public let clientCertificatePEM: String
  public let clientKeyPEM: String

  public init(
    certificateAuthorityPEM: String, serverCertificatePEM: String, serverKeyPEM: String,
    clientCertificatePEM: String, clientKeyPEM: String
  ) {
    self.certificateAuthorityPEM = certificateAuthorityPEM
    self.serverCertificatePEM = serverCertificatePEM
    self.serverKeyPEM = serverKeyPEM
    self.clientCertificatePEM = clientCertificatePEM
    self.clientKeyPEM = clientKeyPEM
  }

  /// The names every generated server certificate carries: the loopback addresses and `localhost`.
  public static let loopbackHosts = ["127.0.0.1", "::1", "localhost"]

  /// Generates a fresh P-256 certificate authority and a server certificate it signs, valid for
  /// the loopback names and `extraHosts` (IP addresses or DNS names), and a client certificate.
  /// Validity starts an hour before `now`, so clocks a little behind still accept it.
  public static func generate(
    extraHosts: [String] = [], validFor validity: TimeInterval = 365 * 24 * 3600, now: Date = Date()
  ) throws(CertificateError) -> FakeKubeCertificates {
    var names: [GeneralName] = []
    for host in loopbackHosts + extraHosts {
      let name = try subjectAlternativeName(for: host)
      if !names.contains(name) { names.append(name) }
    }
    let notBefore = now.addingTimeInterval(-3600)
    let notAfter = now.addingTimeInterval(validity)
    do {
      let authorityKey = P256.Signing.PrivateKey()
      let authorityName = try DistinguishedName {
        OrganizationName("Sovren")
        CommonName("FakeKube CA")
      }
      let authorityKeyID = keyIdentifier(of: authorityKey.publicKey)
      let authority = try Certificate(
        version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(authorityKey.publicKey),
        notValidBefore: notBefore, notValidAfter: notAfter, issuer: authorityName, subject: authorityName,
        signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions {
          Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
          Critical(KeyUsage(keyCertSign: true, cRLSign: true))
          SubjectKeyIdentifier(keyIdentifier: authorityKeyID)
        },
        issuerPrivateKey: .init(authorityKey))

      let serverKey = P256.Signing.PrivateKey()
      let server = try Certificate(
        version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
        notValidBefore: notBefore, notValidAfter: notAfter, issuer: authorityName,
        subject: try DistinguishedName {
          OrganizationName("Sovren")
          CommonName("fakekube")
        },
        signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions {
          Critical(BasicConstraints.notCertificateAuthority)
          Critical(KeyUsage(digitalSignature: true))
          try ExtendedKeyUsage([.serverAuth])
          SubjectKeyIdentifier(keyIdentifier: keyIdentifier(of: serverKey.publicKey))
          AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
          SubjectAlternativeNames(names)
        },
        issuerPrivateKey: .init(authorityKey))

      let clientKey = P256.Signing.PrivateKey()
      let client = try Certificate(
        version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(clientKey.publicKey),
        notValidBefore: notBefore, notValidAfter: notAfter, issuer: authorityName,
        subject: try DistinguishedName {
          OrganizationName("system:masters")
          CommonName("fakekube-admin")
        },
        signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions {
          Critical(BasicConstraints.notCertificateAuthority)
          Critical(KeyUsage(digitalSignature: true))
          try ExtendedKeyUsage([.clientAuth])
          AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
        },
        issuerPrivateKey: .init(authorityKey))
      return FakeKubeCertificates(
        certificateAuthorityPEM: try authority.serializeAsPEM().pemString,
        serverCertificatePEM: try server.serializeAsPEM().pemString, serverKeyPEM: serverKey.pemRepresentation,
        clientCertificatePEM: try client.serializeAsPEM().pemString, clientKeyPEM: clientKey.pemRepresentation)
    } catch {
      throw .generation(String(describing: error))
    }
  }

  /// Reads a certificate (chain) and its private key from PEM files. Clients are told to trust
  /// `certificateAuthorityFile`, or the certificate file itself when none is given (a self-signed
  /// certificate). The client identity is generated.
  public static func load(
    certificateFile: String, keyFile: String, certificateAuthorityFile: String? = nil
  ) throws(CertificateError) -> FakeKubeCertificates {
    let client = try generate()
    let certificates = FakeKubeCertificates(
      certificateAuthorityPEM: try read(certificateAuthorityFile ?? certificateFile),
      serverCertificatePEM: try read(certificateFile), serverKeyPEM: try read(keyFile),
      clientCertificatePEM: client.clientCertificatePEM, clientKeyPEM: client.clientKeyPEM)
    try requireCertificate(in: certificates.serverCertificatePEM, path: certificateFile)
    try requireCertificate(
      in: certificates.certificateAuthorityPEM, path: certificateAuthorityFile ?? certificateFile)
    do {
      _ = try NIOSSLPrivateKey(bytes: Array(certificates.serverKeyPEM.utf8), format: .pem)
    } catch {
      throw .invalidPEM(path: keyFile, reason: String(describing: error))
    }
    return certificates
  }

  /// The server side of TLS: this certificate chain and key, TLS 1.2 or later, HTTP/1.1 over ALPN.
  public func serverTLSConfiguration() throws(CertificateError) -> TLSConfiguration {
    do {
      let chain = try NIOSSLCertificate.fromPEMBytes(Array(serverCertificatePEM.utf8))
      let key = try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)
      var configuration = TLSConfiguration.makeServerConfiguration(
        certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
      configuration.minimumTLSVersion = .tlsv12
      configuration.applicationProtocols = ["http/1.1"]
      return configuration
    } catch {
      throw .invalidPEM(path: "the server certificate", reason: String(describing: error))
    }
  }

  /// Checks that a host can name the server in a generated certificate.
  public static func checkHost(_ host: String) throws(CertificateError) {
    _ = try subjectAlternativeName(for: host)
  }

  // MARK: Helpers

  /// An IP address SAN for an address, a DNS name SAN for anything else that is a valid host name.
  static func subjectAlternativeName(for host: String) throws(CertificateError) -> GeneralName {
    let unbracketed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if let bytes = ipAddressBytes(unbracketed) { return .ipAddress(ASN1OctetString(contentBytes: bytes[...])) }
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    let validLabel = { (label: Substring) -> Bool in
      !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
        && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
    // A wildcard may stand for the first label only, as in `*.example.test`.
    let valid =
      host.count <= 253
      && labels.enumerated().allSatisfy { index, label in
        validLabel(label) || (index == 0 && label == "*" && labels.count > 2)
      }
    guard valid else { throw .invalidHost(host) }
    return .dnsName(host.lowercased())
  }

  /// The 4 or 16 bytes of an IPv4 or IPv6 address in text form, or nil when it is not one.
  static func ipAddressBytes(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      return withUnsafeBytes(of: &v6) { Array($0) }
    }
    return nil
  }

  /// RFC 5280's first method: the SHA-1 of the public key's bits.
  private static func keyIdentifier(of key: P256.Signing.PublicKey) -> ArraySlice<UInt8> {
    ArraySlice(Insecure.SHA1.hash(data: key.x963Representation))
  }

  private static func requireCertificate(in pem: String, path: String) throws(CertificateError) {
    let certificates: [NIOSSLCertificate]
    do {
      certificates = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
    } catch {
      throw .invalidPEM(path: path, reason: String(describing: error))
    }
    if certificates.isEmpty { throw .invalidPEM(path: path, reason: "the file holds no certificate") }
  }

  private static func read(_ path: String) throws(CertificateError) -> String {
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw .unreadableFile(path: path, reason: error.localizedDescription)
    }
  }
}

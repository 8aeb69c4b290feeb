import Kube
import KubeModel

/// Why a reconcile failed; the sensor is retried with backoff.
public struct OperatorError: Error, Sendable, CustomStringConvertible {
  /// What the operator was doing, such as `apply DaemonSet shop/sensor-interceptor`.
  public var action: String
  /// Why it could not: the API's error, or the operator's own finding.
  public var cause: String
  /// The API's error, when a request failed.
  public var underlying: KubeError?

  public init(_ action: String, _ underlying: KubeError) {
    self.action = action
    self.cause = underlying.description
    self.underlying = underlying
  }

  public init(_ action: String, because cause: String) {
    self.action = action
    self.cause = cause
    self.underlying = nil
  }

  public var description: String { "could not \(action): \(cause)" }
}

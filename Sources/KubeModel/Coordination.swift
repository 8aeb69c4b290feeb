// coordination.k8s.io/v1: leases, the lock leader election takes and renews.

/// A lock with a holder and an expiry: the holder renews `renewTime` before
/// `leaseDurationSeconds` pass, and anyone may take the lease once they have.
/// Updates carry `metadata.resourceVersion`, so two candidates cannot both take it.
public struct Lease: KubeResource, Hashable {
  public static let group = "coordination.k8s.io"
  public static let version = "v1"
  public static let kind = "Lease"
  public static let plural = "leases"
  public static let namespaced = true

  public var metadata: ObjectMeta
  public var spec: Spec?

  public struct Spec: Codable, Sendable, Hashable {
    /// Who holds the lease; nil or empty when released.
    public var holderIdentity: String?
    /// How long after `renewTime` the lease is free to take.
    public var leaseDurationSeconds: Int32?
    /// When the current holder took the lease.
    public var acquireTime: MicroTimestamp?
    /// When the current holder last said it is alive.
    public var renewTime: MicroTimestamp?
    /// How many times the lease changed hands.
    public var leaseTransitions: Int32?
    /// Coordinated leader election only.
    public var strategy: String?
    public var preferredHolder: String?

    public init(
      holderIdentity: String? = nil, leaseDurationSeconds: Int32? = nil, acquireTime: MicroTimestamp? = nil,
      renewTime: MicroTimestamp? = nil, leaseTransitions: Int32? = nil, strategy: String? = nil,
      preferredHolder: String? = nil
    ) {
      self.holderIdentity = holderIdentity
      self.leaseDurationSeconds = leaseDurationSeconds
      self.acquireTime = acquireTime
      self.renewTime = renewTime
      self.leaseTransitions = leaseTransitions
      self.strategy = strategy
      self.preferredHolder = preferredHolder
    }
  }

  public init(metadata: ObjectMeta = ObjectMeta(), spec: Spec? = nil) {
    self.metadata = metadata
    self.spec = spec
  }
}

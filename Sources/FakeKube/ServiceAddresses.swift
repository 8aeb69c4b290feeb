import KubeModel

/// The cluster IPs and node ports that Services hold, allocated as a real Service registry does on
/// a single-stack IPv4 cluster: a cluster IP from `10.96.0.0/12` for every Service but a headless or
/// ExternalName one, a node port from 30000–32767 for each port of a NodePort or LoadBalancer
/// Service. Requested values are checked for range and uniqueness; everything a Service holds is
/// released when it goes.
///
/// It is a value inside the store's locked state, so a write allocates on a copy and commits the
/// copy only once the write is stored: a failed or dry-run write allocates nothing.
struct ServiceAddresses: Sendable {
  /// `10.96.0.0`, the first address of the service range.
  static let rangeStart: UInt32 = 0x0A60_0000
  static let rangeSize: UInt32 = 1 << 20
  static let rangeDescription = "10.96.0.0/12"
  static let nodePortRange: ClosedRange<Int64> = 30000...32767

  private var clusterIPs: Set<UInt32> = []
  private var nodePorts: Set<Int64> = []

  /// How many cluster IPs and node ports are held, for tests.
  var counts: (clusterIPs: Int, nodePorts: Int) { (clusterIPs.count, nodePorts.count) }

  // MARK: Updates keep what they leave out

  /// What the Service registry does before validating an update: a cluster IP or node port the
  /// new object leaves out is the one the old object holds, and what only the old type needed
  /// (node ports of a Service that is no longer NodePort, the cluster IP of one turned
  /// ExternalName) is dropped when the update did not change it.
  static func keepingAllocations(_ service: JSONValue, from old: JSONValue) -> JSONValue {
    var result = service
    let needsIPNow = Self.needsClusterIP(result)
    if needsIPNow, needsClusterIP(old) {
      if result.isAbsent(at: ["spec", "clusterIP"]) || result[path: ["spec", "clusterIP"]] == "" {
        result.set(old[path: ["spec", "clusterIP"]], at: ["spec", "clusterIP"])
      }
      let sentIPs = result[path: ["spec", "clusterIPs"]]?.arrayValue ?? []
      let oldIPs = old[path: ["spec", "clusterIPs"]]?.arrayValue ?? []
      if sentIPs.isEmpty {
        result.set(old[path: ["spec", "clusterIPs"]], at: ["spec", "clusterIPs"])
      } else if sentIPs == oldIPs, let ip = result[path: ["spec", "clusterIP"]], ip != old[path: ["spec", "clusterIP"]]
      {
        // Only the singular field changed: the plural follows it (and validation then objects).
        result.set([ip], at: ["spec", "clusterIPs"])
      }
    } else if !needsIPNow {
      for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"]
      where result[path: ["spec", field]] == old[path: ["spec", field]] {
        result.set(nil as JSONValue?, at: ["spec", field])
      }
    }
    let oldPorts = old[path: ["spec", "ports"]]?.arrayValue ?? []
    if needsNodePorts(result), needsNodePorts(old) {
      var byName: [String: JSONValue] = [:]
      for port in oldPorts { byName[port["name"]?.stringValue ?? ""] = port["nodePort"] }
      result.transformElements(at: ["spec", "ports"]) { port in
        guard port.isAbsent(at: ["nodePort"]) || port["nodePort"] == 0 else { return port }
        var kept = port
        kept["nodePort"] = byName[port["name"]?.stringValue ?? ""]
        return kept
      }
    } else if !needsNodePorts(result) {
      let oldNodePorts = Set(oldPorts.compactMap { $0["nodePort"] })
      result.transformElements(at: ["spec", "ports"]) { port in
        guard let nodePort = port["nodePort"], oldNodePorts.contains(nodePort) else { return port }
        var dropped = port
        dropped["nodePort"] = nil
        return dropped
      }
    }
    return result
  }

  // MARK: Allocation

  /// Allocates what the Service needs and records what it holds, releasing first what `old` (the
  /// same Service before an update) held. Throws 422 naming the field when a requested cluster IP
  /// or node port is out of range or taken.
  mutating func allocate(for service: JSONValue, replacing old: JSONValue?) throws(FakeKubeError) -> JSONValue {
    if let old { release(old) }
    var result = service
    var causes: [FieldCause] = []
    let type = result[path: ["spec", "type"]]?.stringValue ?? ""
    if Self.needsClusterIP(result) {
      causes += allocateClusterIP(in: &result, type: type)
    }
    for (index, port) in (result[path: ["spec", "ports"]]?.arrayValue ?? []).enumerated() {
      let field = "spec.ports[\(index)].nodePort"
      let requested = port["nodePort"]?.intValue ?? 0
      guard Self.needsNodePorts(result) else {
        if requested != 0 {
          causes.append(
            FieldCause(
              reason: "FieldValueForbidden", field: field,
              message: "Forbidden: may not be used when `type` is '\(type)'"
            ))
        }
        continue
      }
      if requested == 0 {
        guard let allocated = nextFreeNodePort() else {
          causes.append(.invalid(field, "0", "range is full"))
          continue
        }
        nodePorts.insert(allocated)
        var ports = result[path: ["spec", "ports"]]?.arrayValue ?? []
        ports[index]["nodePort"] = .int(allocated)
        result.set(.array(ports), at: ["spec", "ports"])
      } else if !Self.nodePortRange.contains(requested) {
        causes.append(
          .invalid(
            field, String(requested),
            "provided port is not in the valid range. The range of valid ports is "
              + "\(Self.nodePortRange.lowerBound)-\(Self.nodePortRange.upperBound)"))
      } else if nodePorts.contains(requested), !Self.heldEarlier(requested, before: index, in: result) {
        causes.append(.invalid(field, String(requested), "provided port is already allocated"))
      } else {
        nodePorts.insert(requested)
      }
    }
    guard causes.isEmpty else {
      throw .invalidFields(
        kind: "Service", group: "", name: result[path: ["metadata", "name"]]?.stringValue ?? "", causes: causes)
    }
    return result
  }

  /// Gives back what a Service holds.
  mutating func release(_ service: JSONValue) {
    if let ip = service[path: ["spec", "clusterIP"]]?.stringValue.flatMap(Self.parse), Self.inRange(ip) {
      clusterIPs.remove(ip)
    }
    for port in service[path: ["spec", "ports"]]?.arrayValue ?? [] {
      if let nodePort = port["nodePort"]?.intValue { nodePorts.remove(nodePort) }
    }
  }

  private mutating func allocateClusterIP(in service: inout JSONValue, type: String) -> [FieldCause] {
    let sent = service[path: ["spec", "clusterIP"]]?.stringValue ?? ""
    let firstOfList = service[path: ["spec", "clusterIPs"]]?.arrayValue?.first?.stringValue
    let requested = sent.isEmpty ? (firstOfList ?? "") : sent
    if requested.isEmpty {
      guard let allocated = nextFreeClusterIP() else {
        return [.invalid("spec.clusterIPs", "[]string{}", "failed to allocate a serviceIP: range is full")]
      }
      clusterIPs.insert(allocated)
      let text = JSONValue.string(Self.format(allocated))
      service.set(text, at: ["spec", "clusterIP"])
      service.set([text], at: ["spec", "clusterIPs"])
      return []
    }
    if let firstOfList, firstOfList != requested {
      return [
        .invalid(
          "spec.clusterIPs", GoSyntax.quoted(firstOfList),
          "must match `clusterIP` (\(JSONValue.string(requested).serialized))")
      ]
    }
    service.set(.string(requested), at: ["spec", "clusterIP"])
    service.set([.string(requested)], at: ["spec", "clusterIPs"])
    if requested == "None" {
      guard type == "ClusterIP" else {
        return [.invalid("spec.clusterIPs[0]", "\"None\"", "may not be set to 'None' for \(type) services")]
      }
      return []
    }
    let list = "[]string{\(GoSyntax.quoted(requested))}"
    guard let address = Self.parse(requested) else {
      return [
        .invalid(
          "spec.clusterIPs[0]", GoSyntax.quoted(requested),
          "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")
      ]
    }
    guard Self.inRange(address) else {
      return [
        .invalid(
          "spec.clusterIPs", list,
          "failed to allocate IP \(requested): the provided IP (\(requested)) is not in the valid range. "
            + "The range of valid IPs is \(Self.rangeDescription)")
      ]
    }
    guard clusterIPs.insert(address).inserted else {
      return [.invalid("spec.clusterIPs", list, "failed to allocate IP \(requested): provided IP is already allocated")]
    }
    return []
  }

  /// A random free address, leaving out the network and broadcast addresses and `10.96.0.1`,
  /// which a real cluster gives its `kubernetes` Service.
  private func nextFreeClusterIP() -> UInt32? {
    let usable = Self.rangeSize - 3
    guard clusterIPs.count < Int(usable) else { return nil }
    let start = UInt32.random(in: 0..<usable)
    for step in 0..<usable {
      let candidate = Self.rangeStart + 2 + (start + step) % usable
      if !clusterIPs.contains(candidate) { return candidate }
    }
    return nil
  }

  private func nextFreeNodePort() -> Int64? {
    let size = Self.nodePortRange.upperBound - Self.nodePortRange.lowerBound + 1
    let start = Int64.random(in: 0..<size)
    for step in 0..<size {
      let candidate = Self.nodePortRange.lowerBound + (start + step) % size
      if !nodePorts.contains(candidate) { return candidate }
    }
    return nil
  }

  /// Two ports of one Service (TCP and UDP of the same number) may share a node port.
  private static func heldEarlier(_ nodePort: Int64, before index: Int, in service: JSONValue) -> Bool {
    (service[path: ["spec", "ports"]]?.arrayValue ?? []).prefix(index).contains { $0["nodePort"]?.intValue == nodePort }
  }

  static func needsClusterIP(_ service: JSONValue) -> Bool {
    service[path: ["spec", "type"]]?.stringValue != "ExternalName"
  }

  static func needsNodePorts(_ service: JSONValue) -> Bool {
    switch service[path: ["spec", "type"]]?.stringValue {
    case "NodePort": true
    case "LoadBalancer": service[path: ["spec", "allocateLoadBalancerNodePorts"]] != false
    default: false
    }
  }

  // MARK: Addresses

  private static func inRange(_ address: UInt32) -> Bool {
    address >= rangeStart && address < rangeStart + rangeSize
  }

  /// A dotted-quad IPv4 address; nil for anything else.
  static func parse(_ text: String) -> UInt32? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var address: UInt32 = 0
    for part in parts {
      guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part == "0" || !part.hasPrefix("0"),
        let octet = UInt8(part)
      else { return nil }
      address = address << 8 | UInt32(octet)
    }
    return address
  }

  static func format(_ address: UInt32) -> String {
    [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xFF) }.joined(separator: ".")
  }
}

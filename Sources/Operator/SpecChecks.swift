import KubeModel

/// The checks of a sensor's spec that its schema cannot make: fields that exclude each other,
/// addresses and quantities the schema's patterns let through, and anything else that would make
/// a child the API server rejects or a role that cannot start. Each problem names the field and
/// says in one sentence what to fix.
struct SpecChecks {
  let sensor: SovrenSensor
  private(set) var problems: [SpecProblem] = []

  init(sensor: SovrenSensor) {
    self.sensor = sensor
    checkName()
    checkInterceptor()
    checkKafka()
    checkDigger()
    checkResources(sensor.spec.interceptor.resources, at: "spec.interceptor.resources")
    checkResources(sensor.spec.detector.resources, at: "spec.detector.resources")
    checkMap()
  }

  private mutating func report(_ field: String, _ reason: String, _ message: String) {
    problems.append(SpecProblem(field: field, reason: reason, message: message))
  }

  // MARK: Name

  private mutating func checkName() {
    let name = sensor.metadata.name ?? ""
    let limit = SensorLayout.maximumSensorNameLength
    if name.count > limit {
      report(
        "metadata.name", "NameTooLong",
        "Recreate the sensor with a metadata.name of at most \(limit) characters (this one has \(name.count)), "
          + "since its children's names add suffixes such as -kafka-headless to it.")
    }
    // Service names are DNS-1035 labels; a sensor's name may be any DNS subdomain.
    let isLabel =
      name.first.map { $0.isASCII && $0.isLowercase } == true
      && name.last.map { $0.isASCII && ($0.isLowercase || $0.isNumber) } == true
      && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    if !isLabel {
      report(
        "metadata.name", "InvalidName",
        "Recreate the sensor with a metadata.name of lower-case letters, digits and '-' that starts with a letter "
          + "(\"\(name)\" is not one), since its Services are named after it.")
    }
  }

  // MARK: Interceptor

  private mutating func checkInterceptor() {
    let interceptor = sensor.spec.interceptor
    if interceptor.maxTotalBuffer < interceptor.maxConnectionBuffer {
      report(
        "spec.interceptor.maxTotalBuffer", "InvalidBufferLimits",
        "Raise spec.interceptor.maxTotalBuffer (\(interceptor.maxTotalBuffer)) to at least "
          + "spec.interceptor.maxConnectionBuffer (\(interceptor.maxConnectionBuffer)), or lower the latter.")
    }
    for (index, toleration) in interceptor.tolerations.enumerated() {
      let field = "spec.interceptor.tolerations[\(index)]"
      let key = toleration.key ?? ""
      if toleration.operator == .exists, !(toleration.value ?? "").isEmpty {
        report(
          field, "InvalidToleration", "Remove the value of \(field), since a toleration with operator Exists has none.")
      }
      if key.isEmpty, toleration.operator != .exists {
        report(
          field, "InvalidToleration",
          "Set a key on \(field) or make its operator Exists, since only Exists can match every key.")
      }
      if toleration.tolerationSeconds != nil, toleration.effect != .noExecute {
        report(
          field, "InvalidToleration",
          "Remove tolerationSeconds from \(field) or make its effect NoExecute, the only effect it applies to.")
      }
    }
  }

  // MARK: Kafka

  private mutating func checkKafka() {
    let kafka = sensor.spec.kafka
    if kafka.embedded != nil, kafka.external != nil {
      report(
        "spec.kafka", "KafkaConflict",
        "Remove spec.kafka.embedded or spec.kafka.external, since a sensor uses either the Kafka the operator runs "
          + "or your own, not both.")
    }
    if let external = kafka.external {
      let field = "spec.kafka.external.bootstrapServers"
      if external.bootstrapServers.isEmpty {
        report(field, "InvalidBootstrapServers", "Add at least one broker as host:port to \(field).")
      }
      for (index, server) in external.bootstrapServers.enumerated() where !Self.isHostPort(server) {
        report(
          "\(field)[\(index)]", "InvalidBootstrapServers",
          "Write \(field)[\(index)] (\"\(server)\") as host:port with a port from 1 to 65535.")
      }
    }
    if kafka.embedded != nil || kafka.external == nil {
      let size = (kafka.embedded ?? SovrenSensor.Kafka.Embedded()).storage.size
      let field = "spec.kafka.embedded.storage.size"
      do {
        let quantity = try Quantity(size)
        if quantity.value <= 0 {
          report(field, "InvalidStorageSize", "Set \(field) to a size above zero, such as 10Gi (it is \"\(size)\").")
        }
      } catch {
        report(
          field, "InvalidStorageSize", "Set \(field) to a quantity such as 10Gi (\(error.description.dropLast()))).")
      }
    }
  }

  // MARK: Digger and map

  private mutating func checkDigger() {
    if sensor.spec.digger.namespaces.include.isEmpty {
      report(
        "spec.digger.namespaces.include", "NoNamespacesIncluded",
        "Add at least one pattern to spec.digger.namespaces.include (\"*\" for every namespace), since with none "
          + "the digger follows no traffic.")
    }
  }

  private mutating func checkMap() {
    let map = sensor.spec.map
    if map.deploy, map.endpoint != nil {
      report(
        "spec.map", "MapConflict",
        "Remove spec.map.endpoint or set spec.map.deploy to false, since the diggers export either to the map "
          + "deployed here or to that endpoint, not both.")
    }
    if let endpoint = map.endpoint, !Self.isHostPort(endpoint) {
      report(
        "spec.map.endpoint", "InvalidMapEndpoint",
        "Write spec.map.endpoint (\"\(endpoint)\") as host:port with a port from 1 to 65535, without a scheme.")
    }
  }

  // MARK: Resources

  private mutating func checkResources(_ resources: ResourceRequirements, at path: String) {
    func quantities(_ map: [String: String]?, _ field: String) -> [String: Quantity] {
      var result: [String: Quantity] = [:]
      for (name, text) in (map ?? [:]).sorted(by: { $0.key < $1.key }) {
        do {
          let quantity = try Quantity(text)
          if quantity.isNegative {
            report(
              "\(path).\(field).\(name)", "InvalidResources",
              "Set \(path).\(field).\(name) to an amount that is not negative (it is \"\(text)\").")
          } else {
            result[name] = quantity
          }
        } catch {
          report(
            "\(path).\(field).\(name)", "InvalidResources",
            "Set \(path).\(field).\(name) to a quantity such as 500m or 256Mi (\(error.description.dropLast()))).")
        }
      }
      return result
    }
    let requests = quantities(resources.requests, "requests")
    let limits = quantities(resources.limits, "limits")
    for (name, request) in requests.sorted(by: { $0.key < $1.key }) {
      guard let limit = limits[name], request > limit else { continue }
      report(
        "\(path).requests.\(name)", "InvalidResources",
        "Lower \(path).requests.\(name) (\(request)) to at most \(path).limits.\(name) (\(limit)), or raise the limit.")
    }
  }

  // MARK: Addresses

  /// `host:port` (or `[v6-address]:port`): a host without spaces, slashes or a scheme, and a
  /// port from 1 to 65535.
  static func isHostPort(_ text: String) -> Bool {
    guard let colon = text.lastIndex(of: ":") else { return false }
    var host = text[..<colon]
    let port = text[text.index(after: colon)...]
    if host.hasPrefix("["), host.hasSuffix("]") {
      host = host.dropFirst().dropLast()
      guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
    } else {
      let allowed = host.allSatisfy {
        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_")
      }
      guard !host.isEmpty, allowed, !host.hasPrefix("."), !host.hasPrefix("-") else { return false }
    }
    guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port)
    else { return false }
    return (1...65535).contains(number)
  }
}

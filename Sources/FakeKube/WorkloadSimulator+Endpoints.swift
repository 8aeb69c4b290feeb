import Foundation
import KubeModel
import Logging

/// The Endpoints controller: a Service with a selector gets an Endpoints object of the same name
/// listing the Pods it selects (ready ones under `addresses`, others under `notReadyAddresses`),
/// each with its IP, Node and a reference to the Pod, grouped by the ports they resolve to.
extension WorkloadReconciler {
  func reconcileEndpoints(namespace: String, name: String) throws(FakeKubeError) -> ReconcileOutcome {
    guard let service = try existing(types.services, namespace, name), !service.isTerminating else {
      // The Service is gone: so are its Endpoints.
      if let endpoints = try existing(types.endpoints, namespace, name), !endpoints.isTerminating {
        try deleteDependent(types.endpoints, endpoints)
      }
      return .done
    }
    guard let selector = service.serviceSelector else { return .done }
    let pods = try store.list(WatchFilter(type: types.pods, namespace: namespace, labels: selector)).items.filter {
      $0.isActivePod && $0[path: ["status", "podIP"]]?.stringValue != nil
    }
    let publishNotReady = service[path: ["spec", "publishNotReadyAddresses"]] == true
    var subsets: [[JSONValue]: (ready: [JSONValue], notReady: [JSONValue])] = [:]
    for pod in pods {
      let ports = Self.endpointPorts(of: service, for: pod)
      let address = Self.endpointAddress(of: pod, service: name)
      if pod.isPodReady || publishNotReady {
        subsets[ports, default: ([], [])].ready.append(address)
      } else {
        subsets[ports, default: ([], [])].notReady.append(address)
      }
    }
    let byIP: (JSONValue, JSONValue) -> Bool = { ($0["ip"]?.stringValue ?? "") < ($1["ip"]?.stringValue ?? "") }
    let subsetValues: [JSONValue] = subsets.map { ports, addresses in
      var subset: JSONValue = [:]
      if !addresses.ready.isEmpty { subset["addresses"] = .array(addresses.ready.sorted(by: byIP)) }
      if !addresses.notReady.isEmpty { subset["notReadyAddresses"] = .array(addresses.notReady.sorted(by: byIP)) }
      if !ports.isEmpty { subset["ports"] = .array(ports) }
      return subset
    }.sorted { $0.serialized < $1.serialized }

    var desired: JSONValue = ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": .string(name)]]
    if let labels = service[path: ["metadata", "labels"]], labels.objectValue?.isEmpty == false {
      desired.set(labels, at: ["metadata", "labels"])
    }
    if !subsetValues.isEmpty { desired["subsets"] = .array(subsetValues) }

    guard let current = try existing(types.endpoints, namespace, name) else {
      if acceptsNewObjects(namespace) { try store.create(types.endpoints, namespace: namespace, object: desired) }
      return .done
    }
    guard
      current["subsets"] != desired["subsets"]
        || current[path: ["metadata", "labels"]] != desired[path: ["metadata", "labels"]]
    else { return .done }
    try store.modify(types.endpoints, namespace: namespace, name: name) { latest in
      var updated = latest
      updated["subsets"] = desired["subsets"]
      updated.set(desired[path: ["metadata", "labels"]], at: ["metadata", "labels"])
      return updated
    }
    return .done
  }

  /// The Service's ports as this Pod serves them: a named `targetPort` is looked up among the Pod's
  /// container ports (a port it does not name is left out), a missing one is the port itself.
  static func endpointPorts(of service: JSONValue, for pod: JSONValue) -> [JSONValue] {
    let containerPorts = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).flatMap {
      $0["ports"]?.arrayValue ?? []
    }
    return (service[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { servicePort -> JSONValue? in
      let number: Int64?
      switch servicePort["targetPort"] {
      case .string(let portName):
        number =
          Int64(portName)
          ?? containerPorts.first { $0["name"]?.stringValue == portName }?["containerPort"]?.intValue
      case .some(let value) where value.intValue != nil: number = value.intValue
      default: number = servicePort["port"]?.intValue
      }
      guard let number else { return nil }
      var port: JSONValue = ["port": .int(number), "protocol": servicePort["protocol"] ?? "TCP"]
      if let portName = servicePort["name"]?.stringValue, !portName.isEmpty { port["name"] = .string(portName) }
      if let appProtocol = servicePort["appProtocol"] { port["appProtocol"] = appProtocol }
      return port
    }
  }

  static func endpointAddress(of pod: JSONValue, service: String) -> JSONValue {
    var address: JSONValue = [
      "ip": pod[path: ["status", "podIP"]] ?? .null,
      "targetRef": [
        "kind": "Pod", "namespace": .string(pod.metadataNamespace), "name": .string(pod.metadataName),
        "uid": .string(pod.uid ?? ""),
      ],
    ]
    if let node = pod[path: ["spec", "nodeName"]]?.stringValue { address["nodeName"] = .string(node) }
    if let hostname = pod[path: ["spec", "hostname"]], pod[path: ["spec", "subdomain"]]?.stringValue == service {
      address["hostname"] = hostname
    }
    return address
  }
}

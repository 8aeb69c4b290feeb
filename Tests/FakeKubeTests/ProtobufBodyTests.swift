import Foundation
import KubeModel
import Testing

@testable import FakeKube

/// Writes protobuf as gogo-protobuf does for Kubernetes objects, for building test bodies.
struct ProtoWriter {
  var bytes: [UInt8] = []

  static func varintBytes(_ value: UInt64) -> [UInt8] {
    var value = value
    var result: [UInt8] = []
    while value >= 0x80 {
      result.append(UInt8(value & 0x7f) | 0x80)
      value >>= 7
    }
    result.append(UInt8(value))
    return result
  }

  mutating func key(_ field: Int, _ wireType: UInt64) {
    bytes += Self.varintBytes(UInt64(field) << 3 | wireType)
  }

  /// A varint field; negative numbers are sign-extended to 10 bytes, as for int32 and int64.
  mutating func int(_ field: Int, _ value: Int64) {
    key(field, 0)
    bytes += Self.varintBytes(UInt64(bitPattern: value))
  }

  mutating func bool(_ field: Int, _ value: Bool) { int(field, value ? 1 : 0) }

  mutating func data(_ field: Int, _ data: [UInt8]) {
    key(field, 2)
    bytes += Self.varintBytes(UInt64(data.count)) + data
  }

  mutating func string(_ field: Int, _ text: String) { data(field, Array(text.utf8)) }

  mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
    var inner = ProtoWriter()
    build(&inner)
    data(field, inner.bytes)
  }

  mutating func entry(_ field: Int, _ key: String, _ value: String) {
    message(field) {
      $0.string(1, key)
      $0.string(2, value)
    }
  }

  mutating func quantityEntry(_ field: Int, _ key: String, _ value: String) {
    message(field) {
      $0.string(1, key)
      $0.message(2) { $0.string(1, value) }
    }
  }

  /// `intstr.IntOrString` as gogo writes it: all three members.
  mutating func intOrString(_ field: Int, int value: Int32) {
    message(field) {
      $0.int(1, 0)
      $0.int(2, Int64(value))
      $0.string(3, "")
    }
  }

  mutating func intOrString(_ field: Int, string value: String) {
    message(field) {
      $0.int(1, 1)
      $0.int(2, 0)
      $0.string(3, value)
    }
  }

  /// One field of each wire type no schema knows, as a newer client might send.
  mutating func unknownFields() {
    int(900, 7)
    key(901, 1)
    bytes += [1, 2, 3, 4, 5, 6, 7, 8]
    message(902) { $0.string(1, "ignored") }
    key(903, 5)
    bytes += [1, 2, 3, 4]
  }
}

/// A whole request body: magic, then runtime.Unknown {typeMeta {apiVersion, kind}, raw}.
func protobufBody(_ apiVersion: String, _ kind: String, _ build: (inout ProtoWriter) -> Void) -> [UInt8] {
  var raw = ProtoWriter()
  build(&raw)
  var envelope = ProtoWriter()
  envelope.message(1) {
    $0.string(1, apiVersion)
    $0.string(2, kind)
  }
  envelope.data(2, raw.bytes)
  return ProtobufBody.magic + envelope.bytes
}

func decodeProtobuf(_ body: [UInt8]) throws(FakeKubeError) -> JSONValue {
  try ProtobufBody.decode(body, contentType: "application/vnd.kubernetes.protobuf")
}

/// The message of the 400 a body gets, or nil when it is read or gets another error.
func badRequestMessage(_ body: [UInt8]) -> String? {
  do {
    _ = try ProtobufBody.decode(body, contentType: "application/vnd.kubernetes.protobuf")
    return nil
  } catch {
    if case .badRequest(let message) = error { return message }
    return nil
  }
}

/// A small deterministic generator (SplitMix64), so a failing random body can be reproduced.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}

@Suite("Protobuf request bodies")
struct ProtobufBodyTests {
  // MARK: Building blocks

  @Test("ObjectMeta: names, labels and annotations (empty values kept), owner references, finalizers")
  func objectMeta() throws {
    let object = try decodeProtobuf(
      protobufBody("v1", "ConfigMap") {
        $0.message(1) {
          $0.string(1, "settings")
          $0.string(2, "settings-")
          $0.string(3, "team")
          $0.string(4, "")
          $0.string(5, "")
          $0.int(7, 0)
          $0.message(8) { _ in }  // the zero creationTimestamp, as client-go writes it
          $0.entry(11, "app", "web")
          $0.entry(11, "empty", "")
          $0.entry(12, "note", "x=1")
          $0.message(13) {
            $0.string(1, "Deployment")
            $0.string(3, "web")
            $0.string(4, "0f3c")
            $0.string(5, "apps/v1")
            $0.bool(6, true)
            $0.bool(7, false)
          }
          $0.message(13) {
            $0.string(1, "CronJob")
            $0.string(3, "tick")
            $0.string(4, "77aa")
            $0.string(5, "batch/v1")
          }
          $0.string(14, "example.com/cleanup")
          $0.string(14, "example.com/audit")
        }
      })
    #expect(
      object["metadata"]
        == [
          "name": "settings", "generateName": "settings-", "namespace": "team",
          "labels": ["app": "web", "empty": ""], "annotations": ["note": "x=1"],
          "ownerReferences": [
            [
              "kind": "Deployment", "name": "web", "uid": "0f3c", "apiVersion": "apps/v1", "controller": true,
              "blockOwnerDeletion": false,
            ],
            ["kind": "CronJob", "name": "tick", "uid": "77aa", "apiVersion": "batch/v1"],
          ],
          "finalizers": ["example.com/cleanup", "example.com/audit"],
        ])
    #expect(object["apiVersion"] == "v1" && object["kind"] == "ConfigMap")
  }

  @Test("LabelSelector: matchLabels and matchExpressions")
  func labelSelector() throws {
    let object = try decodeProtobuf(
      protobufBody("policy/v1", "PodDisruptionBudget") {
        $0.message(1) { $0.string(1, "web") }
        $0.message(2) {
          $0.message(2) {
            $0.entry(1, "app", "web")
            $0.message(2) {
              $0.string(1, "tier")
              $0.string(2, "In")
              $0.string(3, "front")
              $0.string(3, "edge")
            }
            $0.message(2) {
              $0.string(1, "canary")
              $0.string(2, "DoesNotExist")
            }
          }
        }
      })
    #expect(
      object[path: ["spec", "selector"]]
        == [
          "matchLabels": ["app": "web"],
          "matchExpressions": [
            ["key": "tier", "operator": "In", "values": ["front", "edge"]],
            ["key": "canary", "operator": "DoesNotExist"],
          ],
        ])
  }

  @Test(
    "IntOrString reads as a JSON number or string; a zero non-pointer one is left out, a pointer one kept",
    arguments: [
      (IntOrStringCase.int(8080), JSONValue.int(8080)), (.int(-1), .int(-1)), (.string("http"), .string("http")),
      (.string("25%"), .string("25%")),
    ])
  func intOrString(input: IntOrStringCase, expected: JSONValue) throws {
    let object = try decodeProtobuf(
      protobufBody("v1", "Service") {
        $0.message(1) { $0.string(1, "web") }
        $0.message(2) {
          $0.message(1) {
            $0.int(3, 80)
            switch input {
            case .int(let value): $0.intOrString(4, int: value)
            case .string(let value): $0.intOrString(4, string: value)
            }
          }
        }
      })
    #expect(object[path: ["spec", "ports"]] == [["port": 80, "targetPort": expected]])
  }

  enum IntOrStringCase: Sendable, CustomTestStringConvertible {
    case int(Int32)
    case string(String)
    var testDescription: String {
      switch self {
      case .int(let value): "int \(value)"
      case .string(let value): "string \(value)"
      }
    }
  }

  @Test("a zero IntOrString is left out of a non-pointer field and kept in a pointer one")
  func zeroIntOrString() throws {
    let service = try decodeProtobuf(
      protobufBody("v1", "Service") {
        $0.message(2) {
          $0.message(1) {
            $0.int(3, 53)
            $0.intOrString(4, int: 0)
            $0.int(5, 0)
          }
        }
      })
    #expect(service[path: ["spec", "ports"]] == [["port": 53]])
    let budget = try decodeProtobuf(
      protobufBody("policy/v1", "PodDisruptionBudget") {
        $0.message(2) { $0.intOrString(3, int: 0) }
      })
    #expect(budget["spec"] == ["maxUnavailable": 0])
  }

  @Test("Quantities: maps of quantities, pointer quantities and the non-pointer divisor")
  func quantities() throws {
    let quota = try decodeProtobuf(
      protobufBody("v1", "ResourceQuota") {
        $0.message(1) { $0.string(1, "team") }
        $0.message(2) {
          $0.quantityEntry(1, "cpu", "4")
          $0.quantityEntry(1, "memory", "8Gi")
          $0.quantityEntry(1, "requests.cpu", "500m")
          $0.string(2, "NotTerminating")
          $0.string(2, "BestEffort")
        }
      })
    #expect(
      quota["spec"]
        == [
          "hard": ["cpu": "4", "memory": "8Gi", "requests.cpu": "500m"], "scopes": ["NotTerminating", "BestEffort"],
        ])
    let pod = try decodeProtobuf(
      protobufBody("v1", "Pod") {
        $0.message(2) {
          $0.message(1) {
            $0.string(1, "scratch")
            $0.message(2) {
              $0.message(2) { $0.message(2) { $0.string(1, "1Gi") } }
            }
          }
          $0.message(2) {
            $0.string(1, "app")
            $0.message(7) {
              $0.string(1, "LIMIT")
              $0.message(3) {
                $0.message(2) {
                  $0.string(2, "limits.memory")
                  $0.message(3) { $0.string(1, "1Mi") }
                }
              }
            }
          }
        }
      })
    #expect(pod[path: ["spec", "volumes"]] == [["name": "scratch", "emptyDir": ["sizeLimit": "1Gi"]]])
    #expect(
      pod[path: ["spec", "containers"]]
        == [
          [
            "name": "app",
            "env": [
              ["name": "LIMIT", "valueFrom": ["resourceFieldRef": ["resource": "limits.memory", "divisor": "1Mi"]]]
            ],
          ]
        ])
  }

  @Test("Time: RFC 3339 with whole seconds; the zero time is left out; a time past year 9999 is refused")
  func times() throws {
    let object = try decodeProtobuf(
      protobufBody("v1", "Secret") {
        $0.message(1) {
          $0.string(1, "dying")
          $0.message(8) { _ in }
          $0.message(9) {
            $0.int(1, 1_700_000_000)
            $0.int(2, 123_456_789)
          }
        }
      })
    #expect(object["metadata"] == ["name": "dying", "deletionTimestamp": "2023-11-14T22:13:20Z"])
    let message = badRequestMessage(
      protobufBody("v1", "Secret") {
        $0.message(1) { $0.message(9) { $0.int(1, 253_402_300_800) } }
      })
    #expect(message?.contains("out of range (at metadata.deletionTimestamp)") == true)
  }

  @Test("int32 and int64: negative values sign-extended to 10 bytes read back negative; pointer zeros kept")
  func integers() throws {
    let priority = try decodeProtobuf(
      protobufBody("scheduling.k8s.io/v1", "PriorityClass") {
        $0.message(1) { $0.string(1, "low") }
        $0.int(2, -5)
        $0.bool(3, false)
        $0.string(4, "")
      })
    #expect(priority["value"] == -5)
    #expect(priority["globalDefault"] == nil && priority["description"] == nil)
    let zero = try decodeProtobuf(protobufBody("scheduling.k8s.io/v1", "PriorityClass") { $0.int(2, 0) })
    #expect(zero["value"] == 0)
    let job = try decodeProtobuf(
      protobufBody("batch/v1", "Job") {
        $0.message(2) {
          $0.int(3, Int64.min)
          $0.int(7, 0)
          $0.bool(10, false)
        }
      })
    #expect(job["spec"] == ["activeDeadlineSeconds": .int(Int64.min), "backoffLimit": 0, "suspend": false])
  }

  @Test("a Deployment with the fields kubectl create deployment sets, and a strategy")
  func deployment() throws {
    let object = try decodeProtobuf(
      protobufBody("apps/v1", "Deployment") {
        $0.message(1) {
          $0.string(1, "web")
          $0.entry(11, "app", "web")
        }
        $0.message(2) {
          $0.int(1, 2)
          $0.message(2) { $0.entry(1, "app", "web") }
          $0.message(3) {
            $0.message(1) {
              $0.message(8) { _ in }
              $0.entry(11, "app", "web")
            }
            $0.message(2) {
              $0.message(2) {
                $0.string(1, "nginx")
                $0.string(2, "nginx:1.27")
                $0.message(6) {
                  $0.int(2, 0)
                  $0.int(3, 80)
                  $0.string(4, "TCP")
                }
                $0.message(8) { _ in }
                $0.bool(16, false)
              }
            }
          }
          $0.message(4) {
            $0.string(1, "RollingUpdate")
            $0.message(2) {
              $0.intOrString(1, int: 0)
              $0.intOrString(2, string: "25%")
            }
          }
          $0.int(5, 0)
          $0.bool(7, false)
        }
        $0.message(3) { _ in }
      })
    #expect(
      object
        == [
          "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": ["app": "web"]],
          "spec": [
            "replicas": 2, "selector": ["matchLabels": ["app": "web"]],
            "template": [
              "metadata": ["labels": ["app": "web"]],
              "spec": [
                "containers": [
                  ["name": "nginx", "image": "nginx:1.27", "ports": [["containerPort": 80, "protocol": "TCP"]]]
                ]
              ],
            ],
            "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 0, "maxSurge": "25%"]],
          ],
        ])
  }

  @Test("Container: command, args, env and envFrom, resources, mounts, probes, security, stdin and tty")
  func container() throws {
    let object = try decodeProtobuf(
      protobufBody("v1", "Pod") {
        $0.message(2) {
          $0.message(2) {
            $0.string(1, "app")
            $0.string(2, "busybox")
            $0.string(3, "sh")
            $0.string(3, "-c")
            $0.string(4, "sleep 3600")
            $0.string(4, "")
            $0.string(5, "/work")
            $0.message(7) {
              $0.string(1, "X")
              $0.string(2, "1")
            }
            $0.message(7) {
              $0.string(1, "TOKEN")
              $0.message(3) {
                $0.message(4) {
                  $0.message(1) { $0.string(1, "creds") }
                  $0.string(2, "token")
                  $0.bool(3, true)
                }
              }
            }
            $0.message(7) {
              $0.string(1, "POD")
              $0.message(3) {
                $0.message(1) {
                  $0.string(1, "v1")
                  $0.string(2, "metadata.name")
                }
              }
            }
            $0.message(19) {
              $0.string(1, "CFG_")
              $0.message(2) { $0.message(1) { $0.string(1, "settings") } }
            }
            $0.message(8) {
              $0.quantityEntry(1, "cpu", "1")
              $0.quantityEntry(2, "cpu", "100m")
              $0.quantityEntry(2, "memory", "64Mi")
            }
            $0.message(9) {
              $0.string(1, "data")
              $0.bool(2, true)
              $0.string(3, "/data")
            }
            $0.message(10) {
              $0.message(1) {
                $0.message(2) {
                  $0.string(1, "/healthz")
                  $0.intOrString(2, int: 8080)
                  $0.string(4, "HTTP")
                }
              }
              $0.int(2, 5)
              $0.int(4, 10)
            }
            $0.message(11) {
              $0.message(1) { $0.message(3) { $0.intOrString(1, string: "http") } }
            }
            $0.message(22) {
              $0.message(1) { $0.message(1) { $0.string(1, "true") } }
            }
            $0.string(14, "IfNotPresent")
            $0.message(15) {
              $0.message(1) { $0.string(2, "ALL") }
              $0.bool(5, true)
              $0.int(4, 1000)
              $0.bool(7, false)
              $0.message(11) { $0.string(1, "RuntimeDefault") }
            }
            $0.bool(16, true)
            $0.bool(17, true)
            $0.bool(18, true)
          }
        }
      })
    #expect(
      object[path: ["spec", "containers"]]
        == [
          [
            "name": "app", "image": "busybox", "command": ["sh", "-c"], "args": ["sleep 3600", ""],
            "workingDir": "/work",
            "env": [
              ["name": "X", "value": "1"],
              ["name": "TOKEN", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "token", "optional": true]]],
              ["name": "POD", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.name"]]],
            ],
            "envFrom": [["prefix": "CFG_", "configMapRef": ["name": "settings"]]],
            "resources": ["limits": ["cpu": "1"], "requests": ["cpu": "100m", "memory": "64Mi"]],
            "volumeMounts": [["name": "data", "readOnly": true, "mountPath": "/data"]],
            "livenessProbe": [
              "httpGet": ["path": "/healthz", "port": 8080, "scheme": "HTTP"], "initialDelaySeconds": 5,
              "periodSeconds": 10,
            ],
            "readinessProbe": ["tcpSocket": ["port": "http"]],
            "startupProbe": ["exec": ["command": ["true"]]],
            "imagePullPolicy": "IfNotPresent",
            "securityContext": [
              "capabilities": ["drop": ["ALL"]], "runAsNonRoot": true, "runAsUser": 1000,
              "allowPrivilegeEscalation": false, "seccompProfile": ["type": "RuntimeDefault"],
            ],
            "stdin": true, "stdinOnce": true, "tty": true,
          ]
        ])
  }

  @Test("PodSpec: scheduling, identity, host namespaces, tolerations, init containers, security context")
  func podSpec() throws {
    let object = try decodeProtobuf(
      protobufBody("v1", "Pod") {
        $0.message(1) { $0.string(1, "tmp") }
        $0.message(2) {
          $0.message(20) {
            $0.string(1, "init")
            $0.string(2, "busybox")
          }
          $0.message(2) { $0.string(1, "app") }
          $0.string(3, "Never")
          $0.int(4, 0)
          $0.string(6, "ClusterFirst")
          $0.entry(7, "disk", "ssd")
          $0.string(8, "runner")
          $0.bool(11, true)
          $0.bool(12, false)
          $0.message(14) {
            $0.int(5, 2000)
            $0.int(4, 10)
            $0.int(4, 11)
          }
          $0.message(15) { $0.string(1, "registry") }
          $0.message(22) {
            $0.string(2, "Exists")
            $0.string(4, "NoExecute")
            $0.int(5, 300)
          }
          $0.string(24, "high")
          $0.bool(21, false)
          $0.message(18) {
            $0.message(1) {
              $0.message(1) {
                $0.message(1) {
                  $0.message(1) {
                    $0.string(1, "zone")
                    $0.string(2, "In")
                    $0.string(3, "a")
                  }
                }
              }
            }
          }
        }
      })
    #expect(
      object["spec"]
        == [
          "initContainers": [["name": "init", "image": "busybox"]], "containers": [["name": "app"]],
          "restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "dnsPolicy": "ClusterFirst",
          "nodeSelector": ["disk": "ssd"], "serviceAccountName": "runner", "hostNetwork": true,
          "securityContext": ["fsGroup": 2000, "supplementalGroups": [10, 11]],
          "imagePullSecrets": [["name": "registry"]],
          "tolerations": [["operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]],
          "priorityClassName": "high", "automountServiceAccountToken": false,
          "affinity": [
            "nodeAffinity": [
              "requiredDuringSchedulingIgnoredDuringExecution": [
                "nodeSelectorTerms": [["matchExpressions": [["key": "zone", "operator": "In", "values": ["a"]]]]]
              ]
            ]
          ],
        ])
  }

  @Test("packed and unpacked repeated varints read the same")
  func packedVarints() throws {
    var packed: [UInt8] = []
    for value in [10, 11, 300] { packed += ProtoWriter.varintBytes(UInt64(value)) }
    let object = try decodeProtobuf(
      protobufBody("v1", "Pod") {
        $0.message(2) { $0.message(14) { $0.data(4, packed) } }
      })
    #expect(object[path: ["spec", "securityContext", "supplementalGroups"]] == [10, 11, 300])
  }

  @Test("Volumes: each common source, inlined into the volume; an empty emptyDir is kept")
  func volumes() throws {
    let object = try decodeProtobuf(
      protobufBody("v1", "Pod") {
        $0.message(2) {
          $0.message(1) {
            $0.string(1, "settings")
            $0.message(2) {
              $0.message(19) {
                $0.message(1) { $0.string(1, "app-config") }
                $0.message(2) {
                  $0.string(1, "a.conf")
                  $0.string(2, "conf/a.conf")
                }
                $0.int(3, 420)
              }
            }
          }
          $0.message(1) {
            $0.string(1, "creds")
            $0.message(2) {
              $0.message(6) {
                $0.string(1, "db")
                $0.bool(4, false)
              }
            }
          }
          $0.message(1) {
            $0.string(1, "scratch")
            $0.message(2) { $0.message(2) { $0.string(1, "") } }
          }
          $0.message(1) {
            $0.string(1, "host")
            $0.message(2) {
              $0.message(1) {
                $0.string(1, "/var/log")
                $0.string(2, "Directory")
              }
            }
          }
          $0.message(1) {
            $0.string(1, "data")
            $0.message(2) {
              $0.message(10) {
                $0.string(1, "data-claim")
                $0.bool(2, false)
              }
            }
          }
          $0.message(1) {
            $0.string(1, "token")
            $0.message(2) {
              $0.message(26) {
                $0.message(1) {
                  $0.message(4) {
                    $0.string(1, "vault")
                    $0.int(2, 3600)
                    $0.string(3, "token")
                  }
                }
                $0.message(1) { $0.message(3) { $0.message(1) { $0.string(1, "ca") } } }
              }
            }
          }
        }
      })
    #expect(
      object[path: ["spec", "volumes"]]
        == [
          [
            "name": "settings",
            "configMap": [
              "name": "app-config", "items": [["key": "a.conf", "path": "conf/a.conf"]], "defaultMode": 420,
            ],
          ],
          ["name": "creds", "secret": ["secretName": "db", "optional": false]],
          ["name": "scratch", "emptyDir": [:]],
          ["name": "host", "hostPath": ["path": "/var/log", "type": "Directory"]],
          ["name": "data", "persistentVolumeClaim": ["claimName": "data-claim"]],
          [
            "name": "token",
            "projected": [
              "sources": [
                ["serviceAccountToken": ["audience": "vault", "expirationSeconds": 3600, "path": "token"]],
                ["configMap": ["name": "ca"]],
              ]
            ],
          ],
        ])
  }

  @Test("Service: ports, selector, type, cluster IP, external name, affinity and traffic policy")
  func service() throws {
    let object = try decodeProtobuf(
      protobufBody("v1", "Service") {
        $0.message(1) { $0.string(1, "np") }
        $0.message(2) {
          $0.message(1) {
            $0.string(1, "80-8080")
            $0.string(2, "TCP")
            $0.int(3, 80)
            $0.intOrString(4, int: 8080)
            $0.int(5, 30080)
          }
          $0.message(1) {
            $0.string(1, "metrics")
            $0.string(2, "TCP")
            $0.int(3, 9090)
            $0.intOrString(4, string: "metrics")
            $0.int(5, 0)
          }
          $0.entry(2, "app", "web")
          $0.string(3, "None")
          $0.string(4, "NodePort")
          $0.string(7, "ClientIP")
          $0.string(10, "")
          $0.string(11, "Local")
        }
        $0.message(3) { _ in }
      })
    #expect(
      object["spec"]
        == [
          "ports": [
            ["name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080],
            ["name": "metrics", "protocol": "TCP", "port": 9090, "targetPort": "metrics"],
          ],
          "selector": ["app": "web"], "clusterIP": "None", "type": "NodePort", "sessionAffinity": "ClientIP",
          "externalTrafficPolicy": "Local",
        ])
    #expect(object["status"] == nil)
  }

  @Test("CronJob: schedule, policies, history limits, time zone and the job template")
  func cronJob() throws {
    let object = try decodeProtobuf(
      protobufBody("batch/v1", "CronJob") {
        $0.message(1) { $0.string(1, "tick") }
        $0.message(2) {
          $0.string(1, "*/5 * * * *")
          $0.string(3, "Forbid")
          $0.bool(4, false)
          $0.message(5) {
            $0.message(1) { $0.string(1, "tick") }
            $0.message(2) {
              $0.int(1, 1)
              $0.int(2, 3)
              $0.int(7, 4)
              $0.int(8, 100)
              $0.message(6) {
                $0.message(2) {
                  $0.string(3, "OnFailure")
                  $0.message(2) {
                    $0.string(1, "tick")
                    $0.string(2, "busybox")
                    $0.string(3, "date")
                  }
                }
              }
            }
          }
          $0.int(6, 3)
          $0.int(7, 1)
          $0.string(8, "Etc/UTC")
        }
      })
    #expect(
      object["spec"]
        == [
          "schedule": "*/5 * * * *", "concurrencyPolicy": "Forbid", "suspend": false,
          "jobTemplate": [
            "metadata": ["name": "tick"],
            "spec": [
              "parallelism": 1, "completions": 3, "backoffLimit": 4, "ttlSecondsAfterFinished": 100,
              "template": [
                "spec": [
                  "restartPolicy": "OnFailure",
                  "containers": [["name": "tick", "image": "busybox", "command": ["date"]]],
                ]
              ],
            ],
          ],
          "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1, "timeZone": "Etc/UTC",
        ])
  }

  @Test("RBAC: rules with every list, bindings with subjects and a role reference")
  func rbac() throws {
    let role = try decodeProtobuf(
      protobufBody("rbac.authorization.k8s.io/v1", "ClusterRole") {
        $0.message(1) { $0.string(1, "reader") }
        $0.message(2) {
          $0.string(1, "get")
          $0.string(1, "list")
          $0.string(2, "")
          $0.string(3, "pods")
          $0.string(4, "web")
        }
        $0.message(2) {
          $0.string(1, "get")
          $0.string(5, "/healthz")
        }
      })
    #expect(
      role["rules"]
        == [
          ["verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"], "resourceNames": ["web"]],
          ["verbs": ["get"], "nonResourceURLs": ["/healthz"]],
        ])
    let binding = try decodeProtobuf(
      protobufBody("rbac.authorization.k8s.io/v1", "RoleBinding") {
        $0.message(1) { $0.string(1, "rb") }
        $0.message(2) {
          $0.string(1, "ServiceAccount")
          $0.string(2, "")
          $0.string(3, "default")
          $0.string(4, "default")
        }
        $0.message(2) {
          $0.string(1, "User")
          $0.string(2, "rbac.authorization.k8s.io")
          $0.string(3, "alice")
        }
        $0.message(3) {
          $0.string(1, "rbac.authorization.k8s.io")
          $0.string(2, "Role")
          $0.string(3, "r")
        }
      })
    #expect(
      binding["subjects"]
        == [
          ["kind": "ServiceAccount", "name": "default", "namespace": "default"],
          ["kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"],
        ])
    #expect(binding["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"])
  }

  @Test("Ingress: rules with inlined http paths, service backends by number and name, TLS, class")
  func ingress() throws {
    let object = try decodeProtobuf(
      protobufBody("networking.k8s.io/v1", "Ingress") {
        $0.message(1) { $0.string(1, "web") }
        $0.message(2) {
          $0.string(4, "nginx")
          $0.message(1) {
            $0.message(4) {
              $0.string(1, "fallback")
              $0.message(2) { $0.string(1, "http") }
            }
          }
          $0.message(2) {
            $0.string(1, "example.com")
            $0.string(2, "example-tls")
          }
          $0.message(3) {
            $0.string(1, "example.com")
            $0.message(2) {
              $0.message(1) {
                $0.message(1) {
                  $0.string(1, "/")
                  $0.string(3, "Prefix")
                  $0.message(2) {
                    $0.message(4) {
                      $0.string(1, "web")
                      $0.message(2) {
                        $0.string(1, "")
                        $0.int(2, 80)
                      }
                    }
                  }
                }
              }
            }
          }
        }
      })
    #expect(
      object["spec"]
        == [
          "ingressClassName": "nginx",
          "defaultBackend": ["service": ["name": "fallback", "port": ["name": "http"]]],
          "tls": [["hosts": ["example.com"], "secretName": "example-tls"]],
          "rules": [
            [
              "host": "example.com",
              "http": [
                "paths": [
                  ["path": "/", "pathType": "Prefix", "backend": ["service": ["name": "web", "port": ["number": 80]]]]
                ]
              ],
            ]
          ],
        ])
  }

  @Test("HorizontalPodAutoscaler v2: target, bounds, resource metrics and behavior")
  func horizontalPodAutoscaler() throws {
    let object = try decodeProtobuf(
      protobufBody("autoscaling/v2", "HorizontalPodAutoscaler") {
        $0.message(2) {
          $0.message(1) {
            $0.string(1, "Deployment")
            $0.string(2, "web")
            $0.string(3, "apps/v1")
          }
          $0.int(2, 2)
          $0.int(3, 5)
          $0.message(4) {
            $0.string(1, "Resource")
            $0.message(4) {
              $0.string(1, "cpu")
              $0.message(2) {
                $0.string(1, "Utilization")
                $0.int(4, 80)
              }
            }
          }
          $0.message(5) {
            $0.message(2) {
              $0.int(3, 300)
              $0.message(2) {
                $0.string(1, "Percent")
                $0.int(2, 10)
                $0.int(3, 60)
              }
            }
          }
        }
      })
    #expect(
      object["spec"]
        == [
          "scaleTargetRef": ["kind": "Deployment", "name": "web", "apiVersion": "apps/v1"], "minReplicas": 2,
          "maxReplicas": 5,
          "metrics": [
            [
              "type": "Resource",
              "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]],
            ]
          ],
          "behavior": [
            "scaleDown": [
              "stabilizationWindowSeconds": 300, "policies": [["type": "Percent", "value": 10, "periodSeconds": 60]],
            ]
          ],
        ])
  }

  @Test("StatefulSet and DaemonSet: claim templates, update strategies, service name")
  func statefulSetAndDaemonSet() throws {
    let statefulSet = try decodeProtobuf(
      protobufBody("apps/v1", "StatefulSet") {
        $0.message(2) {
          $0.int(1, 3)
          $0.message(4) {
            $0.message(1) { $0.string(1, "data") }
            $0.message(2) {
              $0.string(1, "ReadWriteOnce")
              $0.message(2) { $0.quantityEntry(2, "storage", "1Gi") }
              $0.string(5, "fast")
            }
          }
          $0.string(5, "db")
          $0.string(6, "Parallel")
          $0.message(7) {
            $0.string(1, "RollingUpdate")
            $0.message(2) { $0.int(1, 0) }
          }
        }
      })
    #expect(
      statefulSet["spec"]
        == [
          "replicas": 3,
          "volumeClaimTemplates": [
            [
              "metadata": ["name": "data"],
              "spec": [
                "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]],
                "storageClassName": "fast",
              ],
            ]
          ],
          "serviceName": "db", "podManagementPolicy": "Parallel",
          "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]],
        ])
    let daemonSet = try decodeProtobuf(
      protobufBody("apps/v1", "DaemonSet") {
        $0.message(2) {
          $0.message(3) {
            $0.string(1, "RollingUpdate")
            $0.message(2) { $0.intOrString(1, string: "10%") }
          }
        }
      })
    #expect(
      daemonSet["spec"] == ["updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "10%"]]])
  }

  @Test("NetworkPolicy: peers, ports and policy types")
  func networkPolicy() throws {
    let object = try decodeProtobuf(
      protobufBody("networking.k8s.io/v1", "NetworkPolicy") {
        $0.message(2) {
          $0.message(1) { $0.entry(1, "app", "db") }
          $0.message(2) {
            $0.message(1) {
              $0.string(1, "TCP")
              $0.intOrString(2, int: 5432)
            }
            $0.message(2) { $0.message(1) { $0.entry(1, "app", "web") } }
            $0.message(2) {
              $0.message(3) {
                $0.string(1, "10.0.0.0/8")
                $0.string(2, "10.1.0.0/16")
              }
            }
          }
          $0.string(4, "Ingress")
        }
      })
    #expect(
      object["spec"]
        == [
          "podSelector": ["matchLabels": ["app": "db"]],
          "ingress": [
            [
              "ports": [["protocol": "TCP", "port": 5432]],
              "from": [
                ["podSelector": ["matchLabels": ["app": "web"]]],
                ["ipBlock": ["cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]]],
              ],
            ]
          ],
          "policyTypes": ["Ingress"],
        ])
  }

  @Test("Secret data is base64; ConfigMap binaryData too")
  func secretData() throws {
    let secret = try decodeProtobuf(
      protobufBody("v1", "Secret") {
        $0.message(1) { $0.string(1, "tls") }
        $0.message(2) {
          $0.string(1, "tls.key")
          $0.data(2, [0, 1, 2, 255])
        }
        $0.message(2) {
          $0.string(1, "empty")
          $0.data(2, [])
        }
        $0.string(3, "kubernetes.io/tls")
      })
    #expect(secret["data"] == ["tls.key": "AAEC/w==", "empty": ""])
    #expect(secret["type"] == "kubernetes.io/tls")
  }

  @Test("unknown fields of every wire type are skipped at every level")
  func unknownFieldsSkipped() throws {
    func build(withUnknown: Bool) -> [UInt8] {
      protobufBody("apps/v1", "Deployment") {
        if withUnknown { $0.unknownFields() }
        $0.message(1) {
          $0.string(1, "web")
          if withUnknown { $0.unknownFields() }
        }
        $0.message(2) {
          if withUnknown { $0.unknownFields() }
          $0.int(1, 1)
          $0.message(3) {
            $0.message(2) {
              $0.message(2) {
                if withUnknown { $0.unknownFields() }
                $0.string(1, "app")
                $0.message(6) {
                  $0.int(3, 80)
                  if withUnknown { $0.unknownFields() }
                }
              }
              if withUnknown { $0.unknownFields() }
            }
          }
        }
      }
    }
    let plain = try decodeProtobuf(build(withUnknown: false))
    #expect(try decodeProtobuf(build(withUnknown: true)) == plain)
    #expect(
      plain[path: ["spec", "template", "spec", "containers"]] == [["name": "app", "ports": [["containerPort": 80]]]])
  }

  @Test("every kind the registry serves in protobuf reads its metadata", arguments: ProtobufBody.kinds.keys.sorted())
  func everyKindReadsMetadata(key: String) throws {
    let parts = key.split(separator: " ")
    let object = try decodeProtobuf(
      protobufBody(String(parts[0]), String(parts[1])) { $0.message(1) { $0.string(1, "x") } })
    #expect(
      object == ["apiVersion": .string(String(parts[0])), "kind": .string(String(parts[1])), "metadata": ["name": "x"]])
  }

  // MARK: Refusals

  @Test("a kind it does not know gets 415; a body without a kind, 400; a body without the magic, 415")
  func refusals() throws {
    #expect(
      throws: FakeKubeError.unsupportedMediaType(
        "application/vnd.kubernetes.protobuf (kind Widget, apiVersion example.com/v1)")
    ) {
      try decodeProtobuf(protobufBody("example.com/v1", "Widget") { $0.message(1) { $0.string(1, "w") } })
    }
    #expect(badRequestMessage(protobufBody("v1", "") { _ in })?.contains("names no kind") == true)
    #expect(throws: FakeKubeError.unsupportedMediaType("application/vnd.kubernetes.protobuf")) {
      try decodeProtobuf(Array("{\"kind\":\"Pod\"}".utf8))
    }
  }

  @Test("a wrong wire type gets 400 naming the field's JSON path")
  func wrongWireTypeNamesThePath() throws {
    let message = badRequestMessage(
      protobufBody("apps/v1", "Deployment") {
        $0.message(2) {
          $0.message(3) {
            $0.message(2) {
              $0.message(2) { $0.string(1, "first") }
              $0.message(2) {
                $0.string(1, "second")
                $0.message(6) { $0.string(3, "eighty") }
              }
            }
          }
        }
      })
    #expect(
      message
        == "The protobuf body of the Deployment is malformed: the field is length-delimited where a varint was "
        + "expected (at spec.template.spec.containers[1].ports[0].containerPort).")
    let label = badRequestMessage(
      protobufBody("v1", "ConfigMap") {
        $0.message(1) {
          $0.message(11) {
            $0.string(1, "app")
            $0.int(2, 3)
          }
        }
      })
    #expect(label?.contains("(at metadata.labels[\"app\"])") == true)
  }

  // MARK: Hostile input

  static let sample = protobufBody("apps/v1", "Deployment") {
    $0.message(1) {
      $0.string(1, "web")
      $0.entry(11, "app", "web")
    }
    $0.message(2) {
      $0.int(1, -3)
      $0.message(3) {
        $0.message(2) {
          $0.message(2) {
            $0.string(1, "nginx")
            $0.message(6) { $0.int(3, 80) }
            $0.message(8) { $0.quantityEntry(1, "cpu", "1") }
            $0.message(10) { $0.message(1) { $0.message(2) { $0.intOrString(2, string: "http") } } }
          }
        }
      }
    }
  }

  @Test("a body cut at any byte gets 415 (no magic), a 400, or reads as the shorter object it is; never a crash")
  func truncatedAtEveryByte() throws {
    let full = Self.sample
    let rawContentStart = try #require(Self.rawContentStart(full))
    for length in 0..<full.count {
      do {
        _ = try decodeProtobuf(Array(full.prefix(length)))
        // Only a cut between the envelope's fields leaves a whole (shorter) body.
        #expect(length >= ProtobufBody.magic.count && length < rawContentStart, "prefix of \(length) bytes read")
      } catch {
        switch error {
        case .unsupportedMediaType: #expect(length < ProtobufBody.magic.count, "prefix of \(length) bytes: 415")
        case .badRequest: #expect(length >= ProtobufBody.magic.count)
        default: Issue.record("prefix of \(length) bytes: unexpected \(error)")
        }
      }
    }
    #expect(try decodeProtobuf(full)[path: ["spec", "replicas"]] == -3)
  }

  /// Where the bytes of the envelope's raw field begin.
  static func rawContentStart(_ body: [UInt8]) -> Int? {
    var reader = ProtobufBody.Reader(bytes: body[ProtobufBody.magic.count...])
    while let next = try? reader.next() {
      if next.0 == 2, case .lengthDelimited(let raw) = next.1 { return raw.startIndex }
    }
    return nil
  }

  @Test("a length past the end of its message gets 400")
  func lengthPastTheEnd() {
    var raw = ProtoWriter()
    raw.message(1) { $0.string(1, "web") }
    raw.key(2, 2)
    raw.bytes += ProtoWriter.varintBytes(100) + [0x08, 0x01]
    var envelope = ProtoWriter()
    envelope.message(1) {
      $0.string(1, "apps/v1")
      $0.string(2, "Deployment")
    }
    envelope.data(2, raw.bytes)
    let message = badRequestMessage(ProtobufBody.magic + envelope.bytes)
    #expect(message?.contains("field 2 declares 100 bytes but only 2 remain") == true)
  }

  @Test("a huge declared length gets 400, whether it fits in Int or not")
  func hugeLengths() {
    for declared in [UInt64(Int.max), UInt64.max, 1 << 40] {
      var raw = ProtoWriter()
      raw.key(1, 2)
      raw.bytes += ProtoWriter.varintBytes(declared)
      let body = protobufBody("v1", "Pod") { $0.bytes += raw.bytes }
      #expect(badRequestMessage(body)?.contains("declares \(declared) bytes") == true, "declared \(declared)")
    }
  }

  @Test("a varint longer than 10 bytes, or one that overflows 64 bits, gets 400")
  func overlongVarints() {
    let eleven: [UInt8] = Array(repeating: 0xff, count: 10) + [0x01]
    let overflowing: [UInt8] = Array(repeating: 0xff, count: 9) + [0x02]
    let longest: [UInt8] = Array(repeating: 0xff, count: 9) + [0x01]
    for (bytes, reason) in [(eleven, "longer than 10 bytes"), (overflowing, "overflows 64 bits")] {
      let body = protobufBody("scheduling.k8s.io/v1", "PriorityClass") {
        $0.key(2, 0)
        $0.bytes += bytes
      }
      #expect(badRequestMessage(body)?.contains(reason) == true, "\(reason)")
    }
    let body = protobufBody("scheduling.k8s.io/v1", "PriorityClass") {
      $0.key(2, 0)
      $0.bytes += longest
    }
    #expect((try? decodeProtobuf(body))?["value"] == -1)
  }

  @Test("deep nesting: skipped when the schema does not know it, bounded when it does")
  func deepNesting() throws {
    var nested: [UInt8] = []
    for _ in 0..<10_000 {
      var writer = ProtoWriter()
      writer.data(50, nested)
      nested = writer.bytes
    }
    let skipped = try decodeProtobuf(
      protobufBody("v1", "Pod") {
        $0.message(1) {
          $0.string(1, "deep")
          $0.bytes += nested
        }
        $0.bytes += nested
      })
    #expect(skipped == ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "deep"]])

    var schema: ProtobufBody.Schema = [1: ("leaf", .string)]
    for _ in 0..<(ProtobufBody.maximumDepth + 5) { schema = [1: ("next", .message(schema))] }
    var body = ProtoWriter()
    body.string(1, "leaf")
    for _ in 0..<(ProtobufBody.maximumDepth + 5) {
      var writer = ProtoWriter()
      writer.data(1, body.bytes)
      body = writer
    }
    #expect(throws: ProtobufBody.Malformed.self) {
      try ProtobufBody.message(body.bytes[...], schema, depth: 1)
    }
  }

  @Test("random bytes get 400 or read, never a crash", arguments: [1, 2, 3, 4])
  func randomBytes(seed: UInt64) {
    var generator = SplitMix64(state: seed)
    for round in 0..<500 {
      let count = Int.random(in: 0...200, using: &generator)
      let random = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
      for body in [
        ProtobufBody.magic + random, protobufBody("apps/v1", "Deployment") { $0.bytes += random },
        protobufBody("v1", "Pod") {
          $0.message(2) { $0.data(2, random) }
        },
      ] {
        do {
          _ = try decodeProtobuf(body)
        } catch {
          switch error {
          case .badRequest, .unsupportedMediaType: break
          default: Issue.record("seed \(seed) round \(round): \(error)")
          }
        }
      }
    }
  }

  @Test("mutating single bytes of a valid body gets 400 or reads, never a crash")
  func mutatedBytes() {
    let sample = Self.sample
    var generator = SplitMix64(state: 99)
    for index in ProtobufBody.magic.count..<sample.count {
      for _ in 0..<8 {
        var body = sample
        body[index] = UInt8.random(in: 0...255, using: &generator)
        do {
          _ = try decodeProtobuf(body)
        } catch {
          switch error {
          case .badRequest, .unsupportedMediaType: break
          default: Issue.record("byte \(index): \(error)")
          }
        }
      }
    }
  }
}

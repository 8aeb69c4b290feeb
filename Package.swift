// swift-tools-version: 6.1
import PackageDescription

// The data flows top to bottom: capture → interception → (streaming → digging → map).
// Beside the flow, FakeKube stands in for the Kubernetes API in tests and on a laptop.
// Each library target is one capability; `sovren` only parses options and wires them.
let package = Package(
  name: "sovren",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "sovren", targets: ["SovrenCLI"]),
    .executable(name: "sovren-synth", targets: ["SovrenSynth"]),
    .executable(name: "sovren-detection-lab", targets: ["DetectionLab"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
  ],
  targets: [
    // C libraries, module maps only.
    .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),

    // Shared value types: pairs, endpoints, drop reasons. No dependencies.
    .target(name: "SovrenModel"),
    // The wire contract (proto/): generated code and conversions to and from SovrenModel.
    .target(
      name: "SovrenProto",
      dependencies: ["SovrenModel", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    // libpcap handles: offline files, live interfaces.
    .target(name: "Capture", dependencies: ["CPcap"]),
    // Packets to HTTP pairs: link/IP/TCP decoding, reassembly, HTTP/1.x, pairing, filters.
    .target(name: "Interception", dependencies: ["SovrenModel", "CZlib"]),
    // Synthetic traffic with known ground truth, written as pcap files: tests and benchmarks.
    .target(name: "TrafficSynth", dependencies: ["SovrenModel", "CZlib"]),
    // Kafka through librdkafka (producer, consumer, admin, the mock cluster for tests) and the
    // in-process channel that stands in for it in embedded mode.
    .target(
      name: "Streaming",
      dependencies: ["CRdKafka", "SovrenModel", .product(name: "Logging", package: "swift-log")]),
    // Which sensitive data each JSON field holds: data types, validators, key hints, the model.
    .target(name: "Detection"),
    // A labelled synthetic corpus of API documents (train and held-out splits), the classifier's
    // training, and scoring: what `sovren-detection-lab` runs.
    .target(name: "DetectionCorpus", dependencies: ["Detection"]),
    // `sovren detector`: the detection HTTP service (Hummingbird) with its metrics.
    .target(
      name: "DetectorService",
      dependencies: [
        "Detection",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),
    // Kubernetes objects as values: unstructured JSON, shared by the client and FakeKube.
    .target(name: "KubeModel"),
    // The Kubernetes API client: configuration, typed requests and errors, watches, leader election.
    .target(
      name: "Kube",
      dependencies: [
        "KubeModel",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    // The SovrenSensor API (Swift types and the CRD built from them), the desired state of a
    // sensor's children, and the controller that reconciles them.
    .target(
      name: "Operator",
      dependencies: [
        "KubeModel", "Kube",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),
    // An in-memory Kubernetes API server that the real kubectl works against: tests and `sovren fake-apiserver`.
    .target(
      name: "FakeKube",
      dependencies: [
        "KubeModel",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Yams", package: "Yams"),
      ]),

    .executableTarget(
      name: "SovrenCLI",
      dependencies: [
        "Capture", "Interception", "SovrenModel", "SovrenProto", "FakeKube", "Operator", "Kube", "Detection",
        "DetectorService", "Streaming",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .executableTarget(
      name: "SovrenSynth",
      dependencies: [
        "TrafficSynth", "SovrenModel", "SovrenProto",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(
      name: "DetectionLab",
      dependencies: [
        "Detection", "DetectionCorpus", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]),

    // Helpers the test suites share (child processes, bounded waits, built executables, kubectl
    // against an in-process FakeKube).
    .target(
      name: "TestSupport",
      dependencies: [
        "FakeKube", "KubeModel",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      path: "Tests/TestSupport"),
    .testTarget(name: "SovrenModelTests", dependencies: ["SovrenModel"]),
    .testTarget(name: "SovrenProtoTests", dependencies: ["SovrenProto", "SovrenModel", "TrafficSynth"]),
    .testTarget(name: "TrafficSynthTests", dependencies: ["TrafficSynth", "SovrenModel"]),
    .testTarget(name: "CaptureTests", dependencies: ["Capture", "TrafficSynth"]),
    .testTarget(name: "DetectionTests", dependencies: ["Detection"]),
    .testTarget(
      name: "StreamingTests",
      dependencies: ["Streaming", "TestSupport", "TrafficSynth", "SovrenCLI", "SovrenModel", "SovrenProto"]),
    .testTarget(name: "DetectionCorpusTests", dependencies: ["DetectionCorpus", "Detection"]),
    .testTarget(
      name: "DetectorServiceTests",
      dependencies: [
        "DetectorService", "Detection", "SovrenCLI", "TestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .testTarget(
      name: "InterceptionTests",
      dependencies: [
        "Interception", "TrafficSynth", "Capture", "SovrenModel", "SovrenProto", "SovrenCLI", "TestSupport",
      ]),
    .testTarget(
      name: "FakeKubeTests",
      dependencies: [
        "FakeKube", "KubeModel", "SovrenCLI", "TestSupport", .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .testTarget(
      name: "OperatorTests",
      dependencies: [
        "Operator", "Kube", "KubeModel", "FakeKube", "Interception", "SovrenCLI", "TestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .testTarget(
      name: "KubeTests",
      dependencies: [
        "Kube", "KubeModel", "FakeKube", "TestSupport", .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)

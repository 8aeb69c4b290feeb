// libFuzzer entry points for the interceptor, built by hack/fuzz (not by SwiftPM: libFuzzer
// supplies `main`). SOVREN_FUZZ_TARGET picks what the input means:
//   stream      — client and server byte streams of one connection, cut into segments;
//   reassembly  — segment records over a fixed valid HTTP conversation: order, overlap, gaps,
//                 flags and acknowledgments all come from the input;
//   packets     — raw packets on every link type;
//   detect      — a detect request body (and the same bytes as one document): any bytes must
//                 give findings or a JSONLeafError, and the findings must render as valid JSON.
// Any crash, hang, leak or buffer left accounted after `finish()` is a finding.
import Detection
import Foundation
import Interception
import SovrenModel
import TrafficSynth

private let target = ProcessInfo.processInfo.environment["SOVREN_FUZZ_TARGET"] ?? "stream"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  switch target {
  case "reassembly": fuzzReassembly(input)
  case "packets": fuzzPackets(input)
  case "detect": fuzzDetect(input)
  default: fuzzStream(input)
  }
  return 0
}

/// Small limits so that every cap is reachable by small inputs.
private func smallConfiguration() -> InterceptorConfiguration {
  var configuration = InterceptorConfiguration()
  configuration.bodyLimit = 4_096
  configuration.maxHeaderBytes = 1_024
  configuration.maxBufferedBytesPerConnection = 16_384
  configuration.maxBufferedBytesTotal = 32_768
  configuration.maxPendingRequests = 4
  configuration.maxConnections = 8
  return configuration
}

private let client = Endpoint(ip: IPAddress(ipv4: 0x0A00_0001), port: 40_000)
private let server = Endpoint(ip: IPAddress(ipv4: 0x0A00_0002), port: 80)

private func packet(
  from source: Endpoint, to destination: Endpoint, sequence: UInt32, acknowledgment: UInt32,
  flags: TCPFlags, payload: ArraySlice<UInt8>
) -> [UInt8] {
  let tcp = PacketBuilder.tcpSegment(
    source: source, destination: destination, sequence: sequence, acknowledgment: acknowledgment, flags: flags,
    window: 502, options: [], payload: payload, checksum: .zero)
  return PacketBuilder.ipv4(
    source: source.ip, destination: destination.ip, protocolNumber: PacketBuilder.tcpProtocol, identification: 1,
    payload: tcp[...])
}

private func run(_ packets: [[UInt8]], linkType: Interception.LinkType = .rawIP) {
  guard let interceptor = try? Interceptor(configuration: smallConfiguration(), linkType: linkType, onPair: { _ in })
  else { return }
  var time: Int64 = 0
  for bytes in packets {
    time += 1_000_000
    bytes.withUnsafeBytes {
      interceptor.process(packet: $0, originalLength: bytes.count, time: PacketTime(nanoseconds: time))
    }
  }
  interceptor.finish()
  if interceptor.statistics.bufferedBytes != 0 { fatalError("buffer accounting leaked after finish") }
}

private func fuzzStream(_ input: UnsafeBufferPointer<UInt8>) {
  guard input.count >= 2 else { return }
  let segmentSize = Int(input[0]) + 1
  let split = 2 + (input.count - 2) * Int(input[1]) / 255
  let requests = Array(input[2..<split])
  let responses = Array(input[split...])
  var clientSequence: UInt32 = 100
  var serverSequence: UInt32 = 900
  var packets: [[UInt8]] = [
    packet(from: client, to: server, sequence: clientSequence &- 1, acknowledgment: 0, flags: .syn, payload: []),
    packet(
      from: server, to: client, sequence: serverSequence &- 1, acknowledgment: clientSequence, flags: [.syn, .ack],
      payload: []),
  ]
  var requestOffset = 0
  var responseOffset = 0
  /// Appends the next segment of one side's stream, if any is left.
  func next(
    _ stream: [UInt8], _ offset: inout Int, _ sequence: inout UInt32, from source: Endpoint, to destination: Endpoint,
    acknowledging acknowledgment: UInt32
  ) {
    guard offset < stream.count else { return }
    let end = min(stream.count, offset + segmentSize)
    packets.append(
      packet(
        from: source, to: destination, sequence: sequence, acknowledgment: acknowledgment, flags: [.ack, .psh],
        payload: stream[offset..<end]))
    sequence &+= UInt32(end - offset)
    offset = end
  }
  while requestOffset < requests.count || responseOffset < responses.count {
    next(requests, &requestOffset, &clientSequence, from: client, to: server, acknowledging: serverSequence)
    next(responses, &responseOffset, &serverSequence, from: server, to: client, acknowledging: clientSequence)
  }
  packets.append(
    packet(
      from: client, to: server, sequence: clientSequence, acknowledgment: serverSequence, flags: [.fin, .ack],
      payload: []))
  packets.append(
    packet(
      from: server, to: client, sequence: serverSequence, acknowledgment: clientSequence &+ 1, flags: [.fin, .ack],
      payload: []))
  run(packets)
}

/// A valid keep-alive conversation whose bytes the reassembly records cut up.
private let conversationRequests = Array(
  ("POST /a HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"a\":\"b@c.d\"}"
    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
    + "POST /c HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\n{\"c\":\r\n2\r\n1}\r\n0\r\nT: v\r\n\r\n")
    .utf8)
private let conversationResponses = Array(
  ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    + "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[1,2\r\n1\r\n]\r\n0\r\n\r\n"
    + "HTTP/1.1 204 No Content\r\n\r\n").utf8)

private func fuzzReassembly(_ input: UnsafeBufferPointer<UInt8>) {
  let clientStart: UInt32 = 0xFFFF_FF00  // wraps inside the conversation
  let serverStart: UInt32 = 7
  var packets: [[UInt8]] = []
  var index = 0
  // Each record: flags, offset (2 bytes), length, acknowledgment offset (2 bytes).
  while index + 6 <= input.count, packets.count < 512 {
    let control = input[index]
    let offset = Int(input[index + 1]) << 8 | Int(input[index + 2])
    let length = Int(input[index + 3])
    let acknowledgmentOffset = Int(input[index + 4]) << 8 | Int(input[index + 5])
    index += 6
    let fromClient = control & 1 == 0
    let stream = fromClient ? conversationRequests : conversationResponses
    let start = min(offset, stream.count)
    let end = min(stream.count, start + length)
    var flags: TCPFlags = control & 0x10 != 0 ? [] : .ack
    if control & 2 != 0 { flags.insert(.syn) }
    if control & 4 != 0 { flags.insert(.fin) }
    if control & 8 != 0 && control & 0x20 != 0 { flags.insert(.rst) }
    let base = fromClient ? clientStart : serverStart
    let peerBase = fromClient ? serverStart : clientStart
    let sequence = flags.contains(.syn) ? base &- 1 : base &+ UInt32(start)
    packets.append(
      packet(
        from: fromClient ? client : server, to: fromClient ? server : client, sequence: sequence,
        acknowledgment: peerBase &+ UInt32(acknowledgmentOffset), flags: flags,
        payload: flags.contains(.syn) ? [] : stream[start..<end]))
  }
  run(packets)
}

private func fuzzPackets(_ input: UnsafeBufferPointer<UInt8>) {
  guard let first = input.first else { return }
  let linkTypes: [Int32] = [1, 113, 276, 101, 0, 108]
  guard let linkType = Interception.LinkType(dlt: linkTypes[Int(first) % linkTypes.count]) else { return }
  // Length-prefixed packets (one byte of length each).
  var packets: [[UInt8]] = []
  var index = 1
  while index < input.count {
    let length = Int(input[index])
    let end = min(input.count, index + 1 + length)
    packets.append(Array(input[(index + 1)..<end]))
    index = end
  }
  run(packets, linkType: linkType)
}

private let detector = Detector(referenceYear: 2026)

private func fuzzDetect(_ input: UnsafeBufferPointer<UInt8>) {
  let batch: [[JSONLeaf]]?
  do {
    batch = try DetectRequest.documents(in: input)
  } catch {
    batch = nil
    if error.offset < 0 || error.offset > input.count { fatalError("error offset \(error.offset) outside the body") }
  }
  var results: [DocumentFindings] = []
  for leaves in batch ?? [] { results.append(detector.detect(leaves: leaves)) }
  // The answer the service would send must itself be JSON.
  let response = Array(DocumentFindings.response(results).utf8)
  if (try? JSONLeaves.of(response)) == nil { fatalError("the response is not valid JSON") }

  let leaves = try? JSONLeaves.of(input)
  // A body that is one valid document is always a valid request.
  if leaves != nil && batch == nil { fatalError("a valid document was refused as a request") }
  if let leaves {
    let findings = detector.detect(leaves: leaves)
    if (try? JSONLeaves.of(Array(findings.json.utf8))) == nil { fatalError("the findings are not valid JSON") }
    for field in findings.fields where field.types.isEmpty { fatalError("a finding without types") }
  }
}

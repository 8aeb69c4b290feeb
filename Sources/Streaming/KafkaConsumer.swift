import CRdKafka
import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// How a consumer reaches Kafka and how much it takes ahead of its caller.
public struct KafkaConsumerConfiguration: Sendable {
  public var bootstrapServers: String
  public var topic: String
  /// Consumers of one group share the topic's partitions.
  public var group: String
  /// At most this many messages are handed out and not yet `done`; past it the consumer pauses
  /// fetching (backpressure) until half of them are done.
  public var maxPending = 10_000
  /// Where a group with no committed offset starts: `earliest` or `latest`.
  public var startAt = "earliest"
  /// At most this many bytes are fetched ahead of the caller (librdkafka's prefetch queue, per
  /// consumer).
  public var fetchBufferBytes = 16 << 20
  /// How long the group waits for a member that stopped without leaving (killed) before its
  /// partitions, and what it had not marked done, go to the others.
  public var sessionTimeout: Duration = .seconds(45)
  /// When the group takes partitions away (a member joined or left), how long the consumer waits
  /// for the messages it handed out from them to be done before it lets them go. What is not done
  /// by then is read again by the partitions' next owner.
  public var revokeGrace: Duration = .seconds(10)
  /// librdkafka settings of your own, applied last: TLS and SASL (`security.protocol`,
  /// `ssl.ca.location`, `sasl.mechanisms`, `sasl.username`, `sasl.password`, …) or tuning. Values
  /// of secret settings are never shown in errors.
  public var clientProperties: [String: String] = [:]

  public init(bootstrapServers: String, topic: String, group: String) {
    self.bootstrapServers = bootstrapServers
    self.topic = topic
    self.group = group
  }

  var properties: [(String, String)] {
    commonProperties(bootstrapServers: bootstrapServers) + [
      ("group.id", group),
      // An offset is stored only when the caller says its message is done; stored offsets are
      // committed in the background, when partitions are taken away, and on close.
      ("enable.auto.offset.store", "false"),
      ("enable.auto.commit", "true"),
      ("auto.commit.interval.ms", "500"),
      ("auto.offset.reset", startAt),
      ("session.timeout.ms", String(sessionTimeout.milliseconds)),
      ("queued.max.messages.kbytes", String(max(1, fetchBufferBytes / 1024))),
      ("heartbeat.interval.ms", String(max(100, sessionTimeout.milliseconds / 3))),
      // Eager rebalancing: every member gives back all its partitions, then gets its new share.
      ("partition.assignment.strategy", "range,roundrobin"),
    ] + userProperties(clientProperties)
  }
}

/// Reads one topic as a member of a consumer group. Messages come as an async sequence; a
/// message's offset is committed only after the caller marks it `done`, so what a consumer took
/// but did not finish is read again by the group after it stops (at least once).
///
/// Rebalances: when the group takes partitions away, the consumer stops handing out their
/// messages, waits up to `revokeGrace` for those it handed out to be done, commits, and lets the
/// partitions go; a message done later is read again by the next owner (the one duplicate that is
/// not avoided). Messages fetched and not yet handed out are simply left to the next owner.
///
/// librdkafka's blocking calls (poll, close) run on the consumer's own dispatch queue, never on
/// Swift's cooperative threads; the consumer polls librdkafka at least every 100 ms also while
/// paused, so a slow caller does not make the group count it dead.
public final class KafkaConsumer: MessageConsumer, @unchecked Sendable {
  public let configuration: KafkaConsumerConfiguration
  /// The messages, in each partition's order.
  public let messages: AsyncStream<StreamMessage>
  private let client: Client
  private let queue = DispatchQueue(label: "sovren.kafka.consumer")

  public init(_ configuration: KafkaConsumerConfiguration) throws(KafkaError) {
    precondition(configuration.maxPending >= 1, "maxPending must be at least 1")
    self.configuration = configuration
    let settings = try KafkaConfigurationBuilder.make(configuration.properties)
    let client = Client(configuration: configuration)
    rd_kafka_conf_set_rebalance_cb(settings, rebalanced)
    rd_kafka_conf_set_opaque(settings, Unmanaged.passUnretained(client).toOpaque())
    let handle = try KafkaConfigurationBuilder.client(RD_KAFKA_CONSUMER, settings)
    client.rawHandle = handle
    rd_kafka_poll_set_consumer(handle)
    let topics = rd_kafka_topic_partition_list_new(1)
    rd_kafka_topic_partition_list_add(topics, configuration.topic, -1)
    let code = rd_kafka_subscribe(handle, topics)
    rd_kafka_topic_partition_list_destroy(topics)
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
      rd_kafka_destroy(handle)
      throw KafkaError("Kafka topic \(configuration.topic): cannot subscribe: \(KafkaError.text(of: code))")
    }
    self.client = client
    let (messages, continuation) = AsyncStream.makeStream(of: StreamMessage.self, bufferingPolicy: .unbounded)
    self.messages = messages
    queue.async { client.run(continuation) }
  }

  deinit {
    let client = self.client
    DispatchQueue.global().async { client.stop() }
  }

  /// Marks `message` done: its offset is committed (in the background, when its partition is
  /// taken away, and at `close`), and it no longer counts against `maxPending`.
  /// After `close`, or once its partition was taken away, its offset is not committed: the group
  /// reads it again.
  public func done(_ message: StreamMessage) { client.done(message) }

  /// Stops fetching until `resume()`: messages already handed out stay out, the group keeps this
  /// consumer's partitions.
  public func pause() { client.setPausedByCaller(true) }

  public func resume() { client.setPausedByCaller(false) }

  /// What the consumer has done so far, and its lag.
  public var counts: ConsumerCounts { client.counts() }

  /// How many partitions the group gave this consumer now (0 after `close`).
  public var assignedPartitions: Int { client.assignedPartitions }

  /// Leaves the group: commits the offsets of the messages marked done and hands the partitions
  /// back. Messages taken and not done are read again by the group.
  public func close() async {
    let client = self.client
    await onDispatchThread { client.stop() }
  }

  /// The librdkafka handle and what the poller and the callers share.
  final class Client: @unchecked Sendable {
    /// Set once, right after the handle is made (the client is its callbacks' opaque, so it
    /// comes first), before the poller starts.
    var rawHandle: OpaquePointer?

    var handle: OpaquePointer {
      guard let rawHandle else { preconditionFailure("the consumer's handle is used before it is made") }
      return rawHandle
    }
    let configuration: KafkaConsumerConfiguration
    private let state = Mutex(State())
    private let closing = Atomic<Bool>(false)
    /// Whether the handle was freed; the callers' uses of the handle take this lock.
    private let freed = Mutex(false)
    private let pollerStopped = DispatchSemaphore(value: 0)
    /// Signalled when the poller may have something new to do (a slot freed, resume, close).
    private let wake = DispatchSemaphore(value: 0)

    /// Counts and, per partition, what is out and where the caller is.
    struct State {
      var counts = ConsumerCounts()
      var pausedByCaller = false
      /// What was handed out and done, per partition assigned now (from the first message handed
      /// out after the assignment).
      var progress: [Int32: PartitionProgress] = [:]
      /// The partitions assigned now.
      var assigned: Set<Int32> = []
    }

    init(configuration: KafkaConsumerConfiguration) { self.configuration = configuration }

    var isClosing: Bool { closing.load(ordering: .acquiring) }

    /// The poller: hands messages out while fewer than `maxPending` are out and the caller has
    /// not paused; otherwise pauses the partitions and keeps serving the group.
    func run(_ continuation: AsyncStream<StreamMessage>.Continuation) {
      let maxPending = configuration.maxPending
      // Fetched while paused (already on its way): handed out first when fetching resumes.
      var held: [StreamMessage] = []
      var fetching = true
      // The assignment (counted by rebalances) last paused: a new one is paused again.
      var pausedGeneration = -1
      while !isClosing {
        let (pending, byCaller, generation) = state.withLock {
          ($0.counts.pending, $0.pausedByCaller, $0.counts.rebalances)
        }
        let shouldFetch = !byCaller && (fetching ? pending < maxPending : pending <= maxPending / 2)
        if shouldFetch != fetching || (!shouldFetch && pausedGeneration != generation) {
          setFetching(shouldFetch)
          fetching = shouldFetch
          pausedGeneration = generation
        }
        if fetching, !held.isEmpty {
          let message = held.removeFirst()
          if isAssigned(message.partition) { handOut(message, continuation) }
          continue
        }
        switch poll(milliseconds: fetching ? 100 : 0) {
        case .message(let message):
          if fetching && pending < maxPending { handOut(message, continuation) } else { held.append(message) }
        case .error(let text):
          record(error: text)
        case .nothing:
          if !fetching { _ = wake.wait(timeout: .now() + .milliseconds(100)) }
        }
      }
      continuation.finish()
      pollerStopped.signal()
    }

    private func handOut(_ message: StreamMessage, _ continuation: AsyncStream<StreamMessage>.Continuation) {
      state.withLock {
        $0.counts.received += 1
        $0.progress[message.partition, default: PartitionProgress(from: message.offset)].handedOut(message.offset)
      }
      continuation.yield(message)
    }

    /// Marks a message done and stores the partition's commit point when it moved. Offsets are
    /// stored under the state lock, so two callers cannot store them out of order.
    func done(_ message: StreamMessage) {
      let wakePoller = state.withLock { state in
        state.counts.done += 1
        // In place: a copy of the progress would copy its arrays for every message.
        if state.assigned.contains(message.partition), state.progress[message.partition]?.done(message.offset) == true,
          let point = state.progress[message.partition]?.commitPoint
        {
          store(point, of: message.partition)
        }
        return state.counts.pending == configuration.maxPending / 2
      }
      if wakePoller { wake.signal() }
    }

    private func store(_ offset: Int64, of partition: Int32) {
      withOpenHandle { handle in
        let list = rd_kafka_topic_partition_list_new(1)
        let entry = rd_kafka_topic_partition_list_add(list, configuration.topic, partition)
        entry?.pointee.offset = offset
        _ = rd_kafka_offsets_store(handle, list)
        rd_kafka_topic_partition_list_destroy(list)
      }
    }

    func setPausedByCaller(_ paused: Bool) {
      state.withLock { $0.pausedByCaller = paused }
      wake.signal()
    }

    private func isAssigned(_ partition: Int32) -> Bool { state.withLock { $0.assigned.contains(partition) } }

    private func record(error text: String) {
      let isNew = state.withLock { state in
        state.counts.errors += 1
        defer { state.counts.lastError = text }
        return state.counts.lastError != text
      }
      // Each distinct error once in a row: librdkafka repeats them while a broker stays away.
      if isNew { kafkaLogger.warning("Kafka consumer, topic \(configuration.topic): \(text)") }
    }

    /// Pauses or resumes every assigned partition.
    private func setFetching(_ fetching: Bool) {
      var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
      guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
      defer { rd_kafka_topic_partition_list_destroy(list) }
      _ = fetching ? rd_kafka_resume_partitions(handle, list) : rd_kafka_pause_partitions(handle, list)
      state.withLock { $0.counts.paused = !fetching }
    }

    enum Polled {
      case message(StreamMessage)
      case error(String)
      case nothing
    }

    private func poll(milliseconds: Int32) -> Polled {
      guard let message = rd_kafka_consumer_poll(handle, milliseconds) else { return .nothing }
      defer { rd_kafka_message_destroy(message) }
      let record = message.pointee
      guard record.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        let detail = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
        let text = KafkaError.text(of: record.err)
        return .error(detail.isEmpty || detail == text ? text : "\(text): \(detail)")
      }
      let value = record.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: record.len)) } ?? []
      let key = record.key.map { Array(UnsafeRawBufferPointer(start: $0, count: record.key_len)) }
      return .message(
        StreamMessage(
          topic: configuration.topic, partition: record.partition, offset: record.offset, key: key, value: value))
    }

    /// The group's rebalance, on the poller's thread (inside poll) or on the closing thread.
    func rebalance(_ code: rd_kafka_resp_err_t, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
      let numbers =
        partitions.map { list in (0..<Int(list.pointee.cnt)).map { list.pointee.elems[$0].partition } } ?? []
      switch code {
      case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        _ = rd_kafka_assign(handle, partitions)
        state.withLock { state in
          state.assigned = Set(numbers)
          state.counts.assignedPartitions = numbers.count
          state.counts.rebalances += 1
        }
      case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        let revoked = Set(numbers)
        // Give the caller until the grace ends to finish what it has from these partitions, so
        // their next owner does not read it again; not while closing (the caller is gone).
        let end = ContinuousClock.now + configuration.revokeGrace
        while !isClosing, ContinuousClock.now < end,
          state.withLock({ state in revoked.contains { (state.progress[$0]?.open ?? 0) > 0 } })
        {
          usleep(5_000)
        }
        state.withLock { state in
          state.assigned = []
          state.progress = [:]
          state.counts.assignedPartitions = 0
        }
        // The offsets stored so far, committed before another member starts from them.
        _ = rd_kafka_commit(handle, nil, 0)
        _ = rd_kafka_assign(handle, nil)
      default:
        record(error: "rebalance failed: \(KafkaError.text(of: code))")
        state.withLock { state in
          state.assigned = []
          state.progress = [:]
          state.counts.assignedPartitions = 0
        }
        _ = rd_kafka_assign(handle, nil)
      }
    }

    var assignedPartitions: Int { state.withLock { $0.counts.assignedPartitions } }

    /// The counts, with the lag from librdkafka's latest view of the partitions' ends.
    func counts() -> ConsumerCounts {
      let (counts, next, assigned) = state.withLock { state in
        (state.counts, state.progress.mapValues(\.commitPoint), state.assigned)
      }
      var result = counts
      guard !assigned.isEmpty else { return result }
      result.lag =
        withOpenHandle { handle -> Int64? in
          var lag: Int64 = 0
          for partition in assigned {
            var low: Int64 = 0
            var high: Int64 = -1
            guard
              rd_kafka_get_watermark_offsets(handle, configuration.topic, partition, &low, &high)
                == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0
            else { return nil }
            let from = next[partition] ?? position(handle, partition) ?? low
            lag += max(0, high - from)
          }
          return lag
        } ?? nil
      return result
    }

    /// The next offset librdkafka will fetch from `partition`, nil before the first fetch.
    private func position(_ handle: OpaquePointer, _ partition: Int32) -> Int64? {
      let list = rd_kafka_topic_partition_list_new(1)
      defer { rd_kafka_topic_partition_list_destroy(list) }
      rd_kafka_topic_partition_list_add(list, configuration.topic, partition)
      guard rd_kafka_position(handle, list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return nil }
      let offset = list.pointee.elems[0].offset
      return offset >= 0 ? offset : nil
    }

    /// Stops the poller, closes the consumer (commits, leaves the group) and frees the handle;
    /// blocks, so never on Swift's cooperative threads. A second call returns at once.
    func stop() {
      guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
      wake.signal()
      pollerStopped.wait()
      _ = rd_kafka_consumer_close(handle)
      freed.withLock { freed in
        rd_kafka_destroy(handle)
        freed = true
      }
    }

    /// `body` with the handle, nil once it is freed.
    func withOpenHandle<Result>(_ body: (OpaquePointer) -> Result) -> Result? {
      freed.withLock { freed in freed ? nil : body(handle) }
    }
  }
}

/// librdkafka's rebalance callback; the opaque is the consumer's client.
private func rebalanced(
  _ handle: OpaquePointer?, _ code: rd_kafka_resp_err_t,
  _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
  guard let opaque else { return }
  Unmanaged<KafkaConsumer.Client>.fromOpaque(opaque).takeUnretainedValue().rebalance(code, partitions)
}

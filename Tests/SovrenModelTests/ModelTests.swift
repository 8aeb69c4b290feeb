import SovrenModel
import Testing

@Suite("Model values")
struct ModelTests {
  @Test(
    "addresses print in canonical form and parse back",
    arguments: [
      ("10.0.0.1", "10.0.0.1"), ("255.255.255.255", "255.255.255.255"), ("::1", "::1"), ("::", "::"),
      ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("2001:DB8::8:800:200C:417A", "2001:db8::8:800:200c:417a"),
      ("fe80::1:2", "fe80::1:2"), ("::ffff:192.0.2.1", "::ffff:c000:201"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
    ])
  func addressRoundTrip(text: String, canonical: String) throws {
    let address = try #require(IPAddress(text))
    #expect(address.description == canonical)
    #expect(IPAddress(canonical) == address)
  }

  @Test(
    "malformed addresses are refused",
    arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::1", "1.2.3.-4"])
  func badAddresses(text: String) {
    #expect(IPAddress(text) == nil)
  }

  @Test("drop reason labels are unique, snake_case and map back")
  func dropReasonLabels() {
    let labels = DropReason.allCases.map(\.label)
    #expect(Set(labels).count == labels.count)
    for reason in DropReason.allCases {
      #expect(reason.label.allSatisfy { $0.isLowercase || $0 == "_" })
      #expect(DropReason(label: reason.label) == reason)
    }
  }

  @Test("header lookup ignores ASCII case only")
  func headerLookup() {
    let headers = [HTTPHeader(name: "Content-Type", value: "a"), HTTPHeader(name: "content-type", value: "b")]
    #expect(headers.first(named: "CONTENT-TYPE") == "a")
    #expect(headers.first(named: "Content-Typ") == nil)
    #expect("Straße".asciiCaseInsensitiveEquals("STRASSE") == false)
  }

  @Test("packet times add durations exactly")
  func packetTime() {
    let time = PacketTime(seconds: 1_700_000_000, microseconds: 250)
    #expect(time.nanoseconds == 1_700_000_000_000_250_000)
    #expect(time.adding(.milliseconds(1500)).nanoseconds == 1_700_000_001_500_250_000)
  }
}

@Suite("Prometheus text") struct PrometheusTextTests {
  /// HELP and TYPE before the samples; common labels first, then the sample's own, each sorted;
  /// backslashes, quotes and newlines in label values escaped.
  @Test func metricsAreWrittenInTheExpositionFormat() {
    var text = PrometheusText(labels: ["source": "a\"b\\c\nd", "node": "n1"])
    text.metric("sovren_x_total", "counter", "Things.", 3)
    text.metric("sovren_y", "gauge", "Levels.", [(["zone": "b", "kind": "k"], "2.5"), ([:], "1")])
    #expect(
      text.text == """
        # HELP sovren_x_total Things.
        # TYPE sovren_x_total counter
        sovren_x_total{node="n1",source="a\\"b\\\\c\\nd"} 3
        # HELP sovren_y Levels.
        # TYPE sovren_y gauge
        sovren_y{node="n1",source="a\\"b\\\\c\\nd",kind="k",zone="b"} 2.5
        sovren_y{node="n1",source="a\\"b\\\\c\\nd"} 1

        """)
    var bare = PrometheusText()
    bare.metric("sovren_z", "gauge", "Alone.", 0)
    #expect(bare.text == "# HELP sovren_z Alone.\n# TYPE sovren_z gauge\nsovren_z 0\n")
  }
}

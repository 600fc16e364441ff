import FlowStats
import Testing

@Suite("Quantity: counts, nouns and sizes for people")
struct QuantityTests {
  @Test(
    "a noun agrees with its count",
    arguments: [
      (0, "record", nil, "0 records"), (1, "record", nil, "1 record"), (2, "record", nil, "2 records"),
      (1, "reply", "replies", "1 reply"), (3, "reply", "replies", "3 replies"),
      (1_234_567, "packet", nil, "1,234,567 packets"), (-1, "record", nil, "-1 records"),
    ] as [(Int, String, String?, String)])
  func counted(value: Int, singular: String, plural: String?, expected: String) {
    #expect(Quantity.counted(value, singular, plural: plural) == expected)
  }

  @Test(
    "counts get thousands separators",
    arguments: [
      (0, "0"), (999, "999"), (1000, "1,000"), (-1234, "-1,234"), (-123, "-123"),
      (Int.min, "-9,223,372,036,854,775,808"),
    ])
  func count(value: Int, expected: String) {
    #expect(Quantity.count(value) == expected)
  }

  /// Expected values worked out by hand: 2^10 = 1,024, 2^20 = 1,048,576, 2^30 = 1,073,741,824.
  @Test(
    "sizes: binary units, exact below 1 KiB, one decimal above, never 0.0 and never 1024.0",
    arguments: [
      (0, "0 B"), (1, "1 B"), (512, "512 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
      (10_188, "9.9 KiB"),  // 9.949 KiB
      (1_048_575, "1.0 MiB"),  // 1023.999 KiB rounds to the next unit, not "1024.0 KiB"
      (1_048_576, "1.0 MiB"), (14_285_643, "13.6 MiB"),
      (2_000_000_000, "1.9 GiB"),  // 1.863 GiB: the size a decimal formatter calls "2.0 GB"
      (4_000_000_000, "3.7 GiB"), (1_099_511_627_776, "1.0 TiB"), (UInt64.max, "16.0 EiB"),
    ] as [(UInt64, String)])
  func bytes(value: UInt64, expected: String) {
    #expect(Quantity.bytes(value) == expected)
  }
}

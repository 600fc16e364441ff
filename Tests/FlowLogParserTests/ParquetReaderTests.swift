import Foundation
import Testing

@testable import FlowLogParser

/// The Parquet reader through the library: rows as records equal to the same records as text,
/// the RLE/bit-packed hybrid against the specification's examples, and hostile files (every
/// truncation, random corruption) that must be reported, never crash, and keep the accounting.
@Suite("Parquet reader")
struct ParquetReaderTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func bytes(_ path: String) throws -> [UInt8] {
    try Array(Data(contentsOf: root.appendingPathComponent(path)))
  }

  static let variants = ["gzip", "snappy", "zstd", "none", "plain", "v2", "small-groups", "odd-types"]

  @Test("rows are the records of the same file as text, with nulls absent", arguments: variants)
  func rowsAreTextRecords(variant: String) throws {
    let text = readAll(try Self.bytes("Fixtures/sample/custom-v5.log"))
    let parquet = readAll(try Self.bytes("Fixtures/parquet/\(variant)/custom-v5.parquet"), name: "custom-v5.parquet")
    #expect(text.records.count == 40)
    #expect(parquet.records == text.records)
    #expect(parquet.counts.lines == parquet.records.count)
    #expect(parquet.counts.malformed == 0)
    #expect(parquet.counts.fieldsSeen == text.counts.fieldsSeen)
    // Row N is line N.
    #expect(parquet.sink.positions.map(\.line) == Array(1...parquet.records.count))
    // The sample's `-` values are nulls in the Parquet files, and absent in the records.
    #expect(parquet.records.contains { $0["traffic-path"] == nil })
  }

  @Test(
    "rows decoded in slices of any size are the records of the same file as text, pages cut anywhere",
    arguments: ["gzip", "plain", "v2", "small-groups", "odd-types"], [1, 3, 7, 16, 39])
  func slicesAreTextRecords(variant: String, sliceRows: Int) throws {
    let textBytes = try Self.bytes("Fixtures/sample/custom-v5.log")
    let text = readAll(textBytes)
    var options = ReaderOptions()
    options.parquetSliceRows = sliceRows
    let parquet = readAll(
      try Self.bytes("Fixtures/parquet/\(variant)/custom-v5.parquet"), options: options, name: "custom-v5.parquet")
    #expect(parquet.records == text.records)
    #expect(parquet.sink.positions.map(\.line) == Array(1...text.records.count))
    // A row counts the bytes of its record as text: the text file's lines but its header.
    #expect(text.counts.headers == 1)
    let headerLength = try #require(textBytes.firstIndex(of: UInt8(ascii: "\n"))) + 1
    #expect(parquet.counts.decodedBytes == UInt64(textBytes.count - headerLength))
  }

  @Test(
    "malformed rows in slices: the same rows reported, with the same row numbers and reasons", arguments: [1, 2, 5])
  func slicesReportTheSameRows(sliceRows: Int) throws {
    let bytes = try Self.bytes("Fixtures/parquet/bad/unconvertible.parquet")
    let whole = readAll(bytes, name: "u.parquet")
    var options = ReaderOptions()
    options.parquetSliceRows = sliceRows
    let sliced = readAll(bytes, options: options, name: "u.parquet")
    #expect(whole.counts.malformed > 0)
    #expect(sliced.counts == whole.counts)
    #expect(sliced.records == whole.records)
    #expect(sliced.issues.examples == whole.issues.examples)
  }

  @Test("dictionary indices a batch at a time: the entries they name, and none past the dictionary's end")
  func dictionaryBatch() {
    var dictionary = ParquetColumnValues()
    var values = ParquetColumnValues()
    defer {
      dictionary.deallocate()
      values.deallocate()
    }
    dictionary.reset(holdsBytes: false, capacity: 3)
    for entry: Int64 in [70, 80, 90] { dictionary.append(integer: entry) }
    values.reset(holdsBytes: false, capacity: 2)
    let good: [UInt32] = [2, 0, 1, 2]
    #expect(good.withUnsafeBufferPointer { values.append(from: dictionary, indices: $0.baseAddress!, count: 4) })
    #expect((0..<values.count).map { values.integers[$0] } == [90, 70, 80, 90])
    #expect((0..<values.count).allSatisfy { values.present[$0] })
    let bad: [UInt32] = [0, 3]
    #expect(!bad.withUnsafeBufferPointer { values.append(from: dictionary, indices: $0.baseAddress!, count: 2) })
    #expect(values.count == 4)
  }

  @Test("the digits a number renders to, as counted for decoded bytes")
  func decimalDigits() {
    var values: [UInt64] = [0, 1, 9, 10, 99, 100, .max, .max - 1, 1 << 63]
    var power: UInt64 = 1
    for _ in 0..<19 {
      power *= 10
      values += [power - 1, power, power + 1]
    }
    for value in values {
      #expect(FlowLogReader.decimalDigits(value) == String(value).count, "\(value)")
    }
  }

  @Test("RLE/bit-packed hybrid: the examples of Encodings.md")
  func rleBitPacked() throws {
    // Bit-packed: one group of eight values 0…7, three bits each (header 1 << 1 | 1).
    let packed: [UInt8] = [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010]
    var decoder = try packed.withUnsafeBytes { try RLEBitPackedDecoder(UnsafeRawBufferPointer($0), bitWidth: 3) }
    var values: [UInt32] = []
    for _ in 0..<8 { values.append(try decoder.next()) }
    #expect(values == [0, 1, 2, 3, 4, 5, 6, 7])
    // An RLE run of 300 times 5 (header 300 << 1, a varint), then a bit-packed group.
    let mixed: [UInt8] = [0xD8, 0x04, 0x05, 0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010]
    let all = try mixed.withUnsafeBytes { raw in
      var d = try RLEBitPackedDecoder(UnsafeRawBufferPointer(raw), bitWidth: 3)
      return try (0..<308).map { _ in try d.next() }
    }
    #expect(all == Array(repeating: 5, count: 300) + [0, 1, 2, 3, 4, 5, 6, 7])
    // Past the end: an error, not a read out of bounds.
    #expect(throws: ParquetError.self) {
      try packed.withUnsafeBytes { raw in
        var d = try RLEBitPackedDecoder(UnsafeRawBufferPointer(raw), bitWidth: 3)
        for _ in 0..<9 { _ = try d.next() }
      }
    }
  }

  /// Reads `bytes` and checks the accounting; returns the result.
  @discardableResult
  static func readChecked(_ bytes: [UInt8]) -> ReadResult {
    var options = ReaderOptions()
    options.maxParquetRowGroupRows = 10_000
    let result = readAll(bytes, options: options, name: "x.parquet")
    let c = result.counts
    #expect(c.lines == c.headers + c.records + c.filtered + c.malformed + c.blank)
    #expect(c.malformed == result.issues.malformedLines)
    #expect(c.records == result.records.count)
    return result
  }

  @Test("every truncation of a file is an input error naming the file, never a crash", arguments: ["gzip", "v2"])
  func truncations(variant: String) throws {
    let whole = try Self.bytes("Fixtures/parquet/\(variant)/custom-v5.parquet")
    // From 4 bytes on (`PAR1`) it is Parquet; fewer bytes are a line of text.
    for length in stride(from: 4, to: whole.count, by: 7) {
      let result = Self.readChecked(Array(whole[0..<length]))
      #expect(result.records.isEmpty, "\(length)")
      #expect(result.issues.inputErrors.count == 1, "\(length)")
    }
  }

  @Test("random corruption: reported or read, the accounting kept, never a crash", arguments: variants)
  func corruption(variant: String) throws {
    let whole = try Self.bytes("Fixtures/parquet/\(variant)/custom-v5.parquet")
    var generator = SplitMix(seed: UInt64(variant.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
    for _ in 0..<300 {
      var bytes = whole
      for _ in 0..<(1 + Int(generator.next() % 4)) {
        let at = Int(generator.next() % UInt64(bytes.count))
        bytes[at] = UInt8(truncatingIfNeeded: generator.next())
      }
      Self.readChecked(bytes)
    }
  }

  @Test("a file that starts with PAR1 is read as Parquet: too short, it is a broken file, not an unknown format")
  func shortParquet() {
    let result = readAll(Array("PAR1xxxxxx".utf8), name: "x.parquet")
    #expect(result.issues.inputErrors.map(\.kind) == [.badStream])
    #expect(
      result.issues.inputErrors.first?.reason
        == "Parquet file is corrupt or truncated: the file is too short to be Parquet (10 bytes)")
  }

  @Test("split into runs of row groups across workers: the same records, line numbers, counts and issues")
  func rowGroupsAcrossWorkers() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // Three row groups of 16, 16 and 8 rows; the middle one's pages overwritten.
    var broken = try Self.bytes("Fixtures/parquet/small-groups/custom-v5.parquet")
    let file = try ParquetFileReader(.memory(broken))
    let middle = try #require(file.metadata.rowGroups[1].columns.first?.dataPageOffset)
    for i in Int(middle)..<(Int(middle) + 64) { broken[i] = 0xA5 }
    try Data(broken).write(to: directory.appendingPathComponent("broken-middle.parquet"))
    let inputs = InputDiscovery.expand([
      Self.root.appendingPathComponent("Fixtures/parquet/small-groups").path,
      Self.root.appendingPathComponent("Fixtures/parquet/bad/unconvertible.parquet").path, directory.path,
    ]).files

    var sequentialSink = LineLedger()
    var sequentialIssues = IssueLog()
    let sequential = FlowLogReader().readAll(inputs, into: &sequentialSink, issues: &sequentialIssues)
    #expect(sequential.records == 397 + 2 + 24)
    #expect(sequentialIssues.inputErrors.count == 1)
    #expect(sequentialIssues.inputErrors.first?.reason.contains("row group 2") == true)
    for jobs in [1, 2, 3, 5] {
      let reader = ParallelReader(jobs: jobs, splitThreshold: 1)
      if jobs > 1 { #expect(reader.plan(inputs).count > inputs.count, "row groups are split") }
      let (sink, counts, issues) = reader.read(inputs) { LineLedger() }
      #expect(counts == sequential, "jobs \(jobs)")
      #expect(sink.lines == sequentialSink.lines, "jobs \(jobs)")
      #expect(issues.examples == sequentialIssues.examples, "jobs \(jobs)")
      #expect(issues.counts == sequentialIssues.counts, "jobs \(jobs)")
    }
  }

  @Test("a row group larger than the limit is an input error, not an allocation")
  func rowGroupLimit() throws {
    var options = ReaderOptions()
    options.maxParquetRowGroupRows = 10
    let result = readAll(
      try Self.bytes("Fixtures/parquet/gzip/custom-v5.parquet"), options: options, name: "big.parquet")
    #expect(result.records.isEmpty)
    #expect(result.issues.inputErrors.first?.reason.contains("flowlens reads up to 10 rows per group") == true)
  }
}

/// A small seeded generator, so that a failure repeats.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

import FlowLogParser
import Testing

@Suite("Compressed input")
struct CompressionTests {
  static func sampleText(records: Int, offset: Int = 0) -> [UInt8] {
    var lines = [defaultHeader]
    for i in 0..<records { lines.append(v2Line(srcport: String(1024 + offset + i), packets: String(i + 1))) }
    return Array((lines.joined(separator: "\n") + "\n").utf8)
  }

  @Test("gzip: every member of a multi-member file", arguments: [1, 100, Int.max])
  func gzipMembers(chunk: Int) {
    let input = gzip(Self.sampleText(records: 500)) + gzip(Self.sampleText(records: 300, offset: 500))
    let result = readAll(input, chunk: chunk)
    #expect(result.counts.records == 800)
    #expect(result.counts.headers == 2)
    #expect(result.issues.counts.isEmpty)
    #expect(result.counts.bytes == UInt64(input.count))
    #expect(result.records.last?["srcport"] == String(1024 + 500 + 299))
  }

  @Test("zstd: every frame of a multi-frame file", arguments: [1, 100, Int.max])
  func zstdFrames(chunk: Int) {
    let input = zstd(Self.sampleText(records: 500)) + zstd(Self.sampleText(records: 300, offset: 500))
    let result = readAll(input, chunk: chunk)
    #expect(result.counts.records == 800)
    #expect(result.counts.headers == 2)
    #expect(result.issues.counts.isEmpty)
  }

  @Test("zstd frames larger than the output buffer")
  func zstdLarge() {
    let text = Self.sampleText(records: 40_000)
    let result = readAll(zstd(text), options: ReaderOptions(bufferSize: 4096))
    #expect(result.counts.records == 40_000)
    #expect(result.counts.decodedBytes == UInt64(text.count))
  }

  /// Truncating a compressed stream anywhere: an error naming the byte offset; every record that
  /// decompressed completely before the cut is counted, and no made-up record appears.
  @Test("truncated gzip and zstd at many offsets", arguments: ["gzip", "zstd"])
  func truncated(format: String) {
    let text = Self.sampleText(records: 2000)
    let whole = format == "gzip" ? gzip(text) : zstd(text)
    for cut in stride(from: InputFormat.magicLength, to: whole.count, by: max(1, whole.count / 37)) {
      let result = readAll(Array(whole[0..<cut]))
      let errors = result.issues.inputErrors
      #expect(errors.count == 1, "cut at \(cut) of \(whole.count)")
      #expect(errors.first?.kind == .badStream)
      #expect(errors.first?.reason.contains("truncated") == true, "\(errors.first?.reason ?? "")")
      #expect(result.counts.records <= 2000)
      // Records that did arrive are exact copies: ports count up from 1024 with no gap.
      for (index, record) in result.records.enumerated() {
        #expect(record["srcport"] == String(1024 + index))
      }
      #expect(
        result.counts.lines == result.counts.headers + result.counts.records + result.counts.malformed
          + result.counts.blank)
    }
  }

  @Test("corrupt data inside a stream is an error with an offset, after the good records")
  func corruptGzip() {
    let good = gzip(Self.sampleText(records: 1000))
    var damaged = good
    for i in (damaged.count / 2)..<(damaged.count / 2 + 64) { damaged[i] ^= 0x5A }
    let result = readAll(damaged)
    #expect(result.issues.inputErrors.count == 1)
    let error = result.issues.inputErrors[0]
    #expect(error.kind == .badStream)
    #expect(error.offset != nil)
    #expect(error.offset! > 0 && error.offset! <= UInt64(damaged.count))
  }

  @Test("garbage after a valid stream", arguments: ["gzip", "zstd"])
  func trailingGarbage(format: String) {
    let text = Self.sampleText(records: 100)
    let compressed = format == "gzip" ? gzip(text) : zstd(text)
    let result = readAll(compressed + Array("this is not compressed\n".utf8))
    #expect(result.counts.records == 100)
    #expect(result.issues.inputErrors.count == 1)
    #expect(result.issues.inputErrors.first?.offset == UInt64(compressed.count))
    #expect(result.issues.inputErrors.first?.reason == "unexpected data after the end of the \(format) stream")
  }

  @Test(
    "formats flowlens does not read are named",
    arguments: [
      ([0x4F, 0x62, 0x6A, 0x01, 0, 0, 0, 0], "Avro"), ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1, 2], "xz"),
      ([UInt8]("BZh91AY".utf8), "bzip2"), ([0x50, 0x4B, 0x03, 0x04, 0, 0], "zip"),
      ([UInt8]("{\"Records\": [{\"eventName\": \"ConsoleLogin\"}]}".utf8), "JSON"),
      ([UInt8](" [1,2]".utf8), "JSON"),
    ])
  func unsupported(bytes: [UInt8], name: String) {
    let result = readAll(bytes)
    #expect(result.issues.inputErrors.first?.kind == .unsupportedFormat)
    #expect(result.issues.inputErrors.first?.reason.hasPrefix(name) == true)
  }

  @Test(
    "format detection by magic bytes",
    arguments: [
      ([UInt8]([0x1F, 0x8B, 8]), InputFormat.gzip), ([0x28, 0xB5, 0x2F, 0xFD], .zstd),
      ([0x50, 0x2A, 0x4D, 0x18], .zstd),
      ([UInt8]("2 1234".utf8), .plain), ([], .plain), ([0x1F], .plain),
    ])
  func detection(bytes: [UInt8], format: InputFormat) {
    #expect(InputFormat.detect(bytes) == format)
  }
}

@Suite("gzip decoders agree")
struct GzipDecodersAgreeTests {
  static let text = CompressionTests.sampleText(records: 3000)

  /// Inputs that decode completely, and the text they hold.
  static var valid: [(input: [UInt8], text: [UInt8])] {
    let two = gzip(Array(text.prefix(50_000))) + gzip(Array(text.dropFirst(50_000)), level: 1)
    return [(gzip(text), text), (two, text), (gzip([]), []), (two + gzip([]), text)]
  }

  /// Inputs with a fault, and whether what comes out before the fault must be a prefix of the text
  /// (not so for corruption inside deflate data, which may decode to wrong bytes first).
  static var faulty: [(input: [UInt8], prefixHolds: Bool)] {
    let one = gzip(text)
    let two = gzip(Array(text.prefix(50_000))) + gzip(Array(text.dropFirst(50_000)), level: 1)
    var corrupt = one
    for i in (corrupt.count / 3)..<(corrupt.count / 3 + 32) { corrupt[i] ^= 0xA5 }
    var badCRC = one
    badCRC[badCRC.count - 6] ^= 0xFF
    return [
      (Array(one.prefix(one.count / 2)), true), (Array(two.prefix(two.count - 3)), true), (corrupt, false),
      (badCRC, true), (one + Array("trailing garbage".utf8), true),
    ]
  }

  /// ISA-L (the default) and zlib decode valid streams to the same bytes.
  @Test("ISA-L and zlib decode valid streams identically", arguments: valid.indices)
  func agreeOnValid(index: Int) {
    let (input, text) = Self.valid[index]
    for readSize in [1, 333, Int.max] {
      let isal = drain(
        GzipSource(MemorySource(input, maxReadSize: readSize), engine: .isal, inputBufferSize: 4096))
      let zlib = drain(
        GzipSource(MemorySource(input, maxReadSize: readSize), engine: .zlib, inputBufferSize: 4096))
      #expect(isal.error == nil && zlib.error == nil)
      #expect(isal.bytes == text, "ISA-L, case \(index), reads of \(readSize)")
      #expect(zlib.bytes == text, "zlib, case \(index), reads of \(readSize)")
    }
  }

  /// Both decoders report every fault; before it, neither invents data.
  @Test("ISA-L and zlib both report faults", arguments: faulty.indices)
  func agreeOnFaults(index: Int) {
    let (input, prefixHolds) = Self.faulty[index]
    for readSize in [1, 333, Int.max] {
      for (name, result) in [
        (
          "ISA-L",
          drain(GzipSource(MemorySource(input, maxReadSize: readSize), engine: .isal, inputBufferSize: 4096))
        ),
        (
          "zlib",
          drain(GzipSource(MemorySource(input, maxReadSize: readSize), engine: .zlib, inputBufferSize: 4096))
        ),
      ] {
        #expect(result.error != nil, "\(name), case \(index)")
        if prefixHolds {
          let isPrefix =
            result.bytes.count <= Self.text.count && Array(Self.text.prefix(result.bytes.count)) == result.bytes
          #expect(isPrefix, "\(name), case \(index): output is not a prefix of the text")
        }
      }
    }
  }
}

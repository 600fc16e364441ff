import CZlib
import CZstd
import FlowLogParser
import Testing

/// A sink that keeps every record as field name → text, for assertions.
struct CollectingSink: FlowRecordSink {
  var records: [[String: String]] = []
  var positions: [RecordPosition] = []
  var layouts: [FlowLayout] = []

  mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    var values: [String: String] = [:]
    for field in FlowField.allCases {
      if let text = record.string(field) { values[field.name] = text }
    }
    records.append(values)
    positions.append(position)
  }

  mutating func layoutDidChange(_ layout: FlowLayout) { layouts.append(layout) }
}

/// What reading some bytes produced.
struct ReadResult {
  var counts: InputCounts
  var issues: IssueLog
  var sink: CollectingSink
  var records: [[String: String]] { sink.records }
}

/// Reads `text` (or bytes) through the whole reader, in reads of at most `chunk` bytes.
func readAll(
  _ bytes: [UInt8], options: ReaderOptions = ReaderOptions(), chunk: Int = .max, name: String = "test.log"
) -> ReadResult {
  var sink = CollectingSink()
  var issues = IssueLog(examplesPerKind: 1000)
  let reader = FlowLogReader(options: options)
  let counts = reader.read(MemorySource(bytes, maxReadSize: chunk), name: name, into: &sink, issues: &issues)
  return ReadResult(counts: counts, issues: issues, sink: sink)
}

func readAll(_ text: String, options: ReaderOptions = ReaderOptions(), chunk: Int = .max) -> ReadResult {
  readAll(Array(text.utf8), options: options, chunk: chunk)
}

/// Decodes one line with a layout; the record as field name → text, or the error.
func decode(_ line: String, layout: FlowLayout = .defaultV2) -> Result<[String: String], RecordError> {
  let decoder = RecordDecoder(layout: layout)
  return Array(line.utf8).withUnsafeBytes { raw in
    decoder.decode(raw).map { record in
      var values: [String: String] = [:]
      for field in FlowField.allCases {
        if let text = record.string(field) { values[field.name] = text }
      }
      return values
    }
  }
}

/// gzip-compresses `bytes` as one member.
func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
  var stream = z_stream()
  precondition(czlib_deflateInit2(&stream, level, 31) == Z_OK)
  defer { deflateEnd(&stream) }
  var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
  var input = bytes
  let produced = input.withUnsafeMutableBufferPointer { inBuf in
    output.withUnsafeMutableBufferPointer { outBuf in
      stream.next_in = inBuf.baseAddress
      stream.avail_in = uInt(inBuf.count)
      stream.next_out = outBuf.baseAddress
      stream.avail_out = uInt(outBuf.count)
      precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
      return outBuf.count - Int(stream.avail_out)
    }
  }
  return Array(output[0..<produced])
}

/// zstd-compresses `bytes` as one frame.
func zstd(_ bytes: [UInt8], level: Int32 = 3) -> [UInt8] {
  var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
  let n = output.withUnsafeMutableBytes { out in
    bytes.withUnsafeBytes { src in
      ZSTD_compress(out.baseAddress, out.count, src.baseAddress, src.count, level)
    }
  }
  precondition(ZSTD_isError(n) == 0)
  return Array(output[0..<n])
}

let defaultHeader =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

/// A default-format record line.
func v2Line(
  eni: String = "eni-0a1b2c3d4e5f60718", src: String = "10.0.1.5", dst: String = "198.51.100.7",
  srcport: String = "49152", dstport: String = "443", proto: String = "6", packets: String = "10",
  bytes: String = "840", start: String = "1700000000", end: String = "1700000060", action: String = "ACCEPT",
  status: String = "OK"
) -> String {
  "2 123456789012 \(eni) \(src) \(dst) \(srcport) \(dstport) \(proto) \(packets) \(bytes) \(start) \(end) \(action) \(status)"
}

/// Reads `source` to its end or first error in reads of at most `readSize` bytes (checking that no
/// read returns more): everything it gave, and the error if one ended it.
func drain(_ source: any ByteSource, readSize: Int = 4096) -> (bytes: [UInt8], error: SourceError?) {
  var out: [UInt8] = []
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
  defer { buffer.deallocate() }
  do {
    while true {
      let n = try source.read(into: buffer)
      if n == 0 { return (out, nil) }
      #expect(n <= readSize)
      out += buffer[0..<n]
    }
  } catch {
    return (out, error)
  }
}

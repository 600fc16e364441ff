/// Decodes one column chunk of a flat schema into ``ParquetColumnValues``, a slice of rows at a
/// time (pages are decoded as the slices reach them, so that memory is bounded by the slice and
/// the page, not the row group): its dictionary page, and data pages v1 and v2, PLAIN or
/// dictionary-encoded, with RLE/bit-packed definition levels. Holds the buffers it reuses from
/// row group to row group.
final class ParquetColumnReader {
  /// The column: its name, physical type (`Type` in parquet.thrift), fixed length, and whether it may be null.
  let name: String
  let physicalType: Int32
  let typeLength: Int
  let optional: Bool
  /// The values of the row group last read.
  var values = ParquetColumnValues()
  /// The dictionary of the chunk last read (empty when it had none): dictionary-encoded byte
  /// arrays in ``values`` refer to it.
  private(set) var dictionary = ParquetColumnValues()
  private var hasDictionary = false
  /// Definition levels and dictionary indices of a batch of values.
  private static let batchSize = 1024
  private let levelBatch = UnsafeMutablePointer<UInt32>.allocate(capacity: batchSize)
  private let indexBatch = UnsafeMutablePointer<UInt32>.allocate(capacity: batchSize)
  /// The decompressed page, grown as needed.
  private var page = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
  /// The compressed bytes of the chunk being read (from its first page to its end), grown as needed.
  private var chunkBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
  private var chunk = UnsafeRawBufferPointer(start: nil, count: 0)
  /// Where the next page header is in `chunk`.
  private var position = 0
  private var codec: Int32 = 0
  private var codecs: ParquetCodec?
  /// The chunk's rows, and how many of them pages have given so far.
  private var rows = 0
  private var rowsDone = 0
  /// The data page being read: its values not yet decoded, and where they are.
  private var pageValuesLeft = 0
  private var pageEncoding: Int32 = 0
  private var pageLevels: RLEBitPackedDecoder?
  private var pageIndices: RLEBitPackedDecoder?
  private var pageData = UnsafeRawBufferPointer(start: nil, count: 0)
  private var pageOffset = 0

  /// Physical types.
  static let boolean: Int32 = 0
  static let int32: Int32 = 1
  static let int64: Int32 = 2
  static let int96: Int32 = 3
  static let float: Int32 = 4
  static let double: Int32 = 5
  static let byteArray: Int32 = 6
  static let fixedLenByteArray: Int32 = 7

  /// Encodings.
  static let plain: Int32 = 0
  static let plainDictionary: Int32 = 2
  static let rle: Int32 = 3
  static let rleDictionary: Int32 = 8

  /// The largest page flowlens decompresses: a bound on what a corrupt header can claim.
  static let maxPageSize = 256 << 20

  init(name: String, physicalType: Int32, typeLength: Int, optional: Bool) {
    self.name = name
    self.physicalType = physicalType
    self.typeLength = typeLength
    self.optional = optional
  }

  deinit {
    levelBatch.deallocate()
    indexBatch.deallocate()
    page.deallocate()
    chunkBuffer.deallocate()
    values.deallocate()
    dictionary.deallocate()
  }

  var holdsBytes: Bool {
    physicalType == Self.byteArray || physicalType == Self.fixedLenByteArray || physicalType == Self.int96
  }

  static func encodingName(_ encoding: Int32) -> String {
    switch encoding {
    case 0: "PLAIN"
    case 2: "PLAIN_DICTIONARY"
    case 3: "RLE"
    case 4: "BIT_PACKED"
    case 5: "DELTA_BINARY_PACKED"
    case 6: "DELTA_LENGTH_BYTE_ARRAY"
    case 7: "DELTA_BYTE_ARRAY"
    case 8: "RLE_DICTIONARY"
    case 9: "BYTE_STREAM_SPLIT"
    default: "encoding \(encoding)"
    }
  }

  /// Memory of `length` bytes for the compressed chunk that ``start(length:rows:codec:codecs:)``
  /// will read: the caller fills it.
  func chunkStorage(length: Int) -> UnsafeMutableRawBufferPointer {
    if chunkBuffer.count < length {
      let grown = max(length, chunkBuffer.count * 2)
      chunkBuffer.deallocate()
      chunkBuffer = .allocate(byteCount: grown, alignment: 16)
    }
    return UnsafeMutableRawBufferPointer(rebasing: chunkBuffer[0..<length])
  }

  /// Starts on the chunk of `length` bytes in ``chunkStorage(length:)``, of a row group of `rows`
  /// rows, compressed with `codec`; ``readSlice(_:)`` then decodes its rows.
  func start(length: Int, rows: Int, codec: Int32, codecs: ParquetCodec) {
    chunk = UnsafeRawBufferPointer(rebasing: chunkBuffer[0..<length])
    position = 0
    self.rows = rows
    rowsDone = 0
    self.codec = codec
    self.codecs = codecs
    dictionary.reset(holdsBytes: holdsBytes, capacity: 0)
    hasDictionary = false
    pageValuesLeft = 0
    pageLevels = nil
    pageIndices = nil
  }

  /// Decodes the chunk's next `count` rows into ``values`` (which then hold only them).
  func readSlice(_ count: Int) throws(ParquetError) {
    values.reset(holdsBytes: holdsBytes, capacity: count)
    guard let codecs else { return }
    while values.count < count {
      if pageValuesLeft > 0 {
        let take = min(pageValuesLeft, count - values.count)
        try decodeValues(take)
        pageValuesLeft -= take
        continue
      }
      guard position < chunk.count else {
        throw .corrupt("the column chunk ends after \(rowsDone) of its \(rows) values")
      }
      var thrift = ThriftCompactReader(chunk, position: position)
      let header = try ParquetPageHeader(&thrift)
      position = thrift.position
      let compressedSize = Int(header.compressedSize)
      guard compressedSize <= chunk.count - position else { throw .corrupt("a page runs past the column chunk") }
      let body = UnsafeRawBufferPointer(rebasing: chunk[position..<(position + compressedSize)])
      position += compressedSize
      guard Int(header.uncompressedSize) <= Self.maxPageSize else {
        throw .unsupported("a page of \(header.uncompressedSize) bytes is larger than flowlens reads (256 MiB)")
      }
      switch header.type {
      case 2:
        try readDictionaryPage(header, body: body, codec: codec, codecs: codecs)
      case 0, 3:
        try readDataPage(header, body: body, codec: codec, codecs: codecs, rowsLeft: rows - rowsDone)
        rowsDone += pageValuesLeft
      default:
        continue  // index pages and pages of later versions carry no values
      }
    }
  }

  private func decompress(
    _ body: UnsafeRawBufferPointer, size: Int, codec: Int32, codecs: ParquetCodec
  ) throws(ParquetError) -> UnsafeRawBufferPointer {
    if page.count < size {
      let grown = max(size, page.count * 2)
      page.deallocate()
      page = .allocate(byteCount: grown, alignment: 16)
    }
    let out = UnsafeMutableRawBufferPointer(rebasing: page[0..<size])
    try codecs.decompress(codec, body, into: out)
    return UnsafeRawBufferPointer(out)
  }

  private func readDictionaryPage(
    _ header: ParquetPageHeader, body: UnsafeRawBufferPointer, codec: Int32, codecs: ParquetCodec
  ) throws(ParquetError) {
    guard header.encoding == Self.plain || header.encoding == Self.plainDictionary else {
      throw .unsupported("a dictionary page encoded \(Self.encodingName(header.encoding)) is not supported")
    }
    // Values already read may refer to the dictionary: a second one would change them.
    guard !hasDictionary else { throw .corrupt("the column chunk has a second dictionary page") }
    let data = try decompress(body, size: Int(header.uncompressedSize), codec: codec, codecs: codecs)
    let count = Int(header.numValues)
    guard count <= data.count * 8 + 1 else { throw .corrupt("a dictionary page holds fewer values than it says") }
    dictionary.reset(holdsBytes: holdsBytes, capacity: count)
    var offset = 0
    try decodePlain(data, count: count, offset: &offset, into: &dictionary)
    hasDictionary = true
  }

  private func readDataPage(
    _ header: ParquetPageHeader, body: UnsafeRawBufferPointer, codec: Int32, codecs: ParquetCodec, rowsLeft: Int
  ) throws(ParquetError) {
    let count = Int(header.numValues)
    guard count <= rowsLeft else { throw .corrupt("a data page holds more values than the row group has rows") }
    // Definition levels (0 null, 1 a value) and the values section.
    var levelBytes = UnsafeRawBufferPointer(start: nil, count: 0)
    var valueBytes: UnsafeRawBufferPointer
    if header.type == 3 {
      let repLength = Int(header.repetitionLevelsLength)
      let defLength = Int(header.definitionLevelsLength)
      guard repLength == 0 else { throw .unsupported("repeated (nested) columns are not supported") }
      guard defLength <= body.count else { throw .corrupt("a v2 data page's levels run past the page") }
      // The levels stay in the chunk's bytes: v2 never compresses them.
      levelBytes = UnsafeRawBufferPointer(rebasing: body[0..<defLength])
      let rest = UnsafeRawBufferPointer(rebasing: body[defLength...])
      let size = Int(header.uncompressedSize) - defLength
      guard size >= 0 else { throw .corrupt("a v2 data page is smaller than its levels") }
      valueBytes =
        header.isCompressed && codec != ParquetCodec.uncompressed
        ? try decompress(rest, size: size, codec: codec, codecs: codecs)
        : rest
      guard !optional || defLength > 0 || count == 0 else {
        throw .corrupt("a v2 data page of an optional column has no definition levels")
      }
    } else {
      let data = try decompress(body, size: Int(header.uncompressedSize), codec: codec, codecs: codecs)
      var offset = 0
      if optional {
        guard header.definitionLevelEncoding == Self.rle else {
          throw .unsupported(
            "definition levels encoded \(Self.encodingName(header.definitionLevelEncoding)) are not supported")
        }
        guard data.count >= 4 else { throw .corrupt("a data page is too short for its definition levels") }
        let length = Int(data.loadUnaligned(as: UInt32.self).littleEndian)
        guard length <= data.count - 4 else { throw .corrupt("a data page's definition levels run past the page") }
        levelBytes = UnsafeRawBufferPointer(rebasing: data[4..<(4 + length)])
        offset = 4 + length
      }
      valueBytes = UnsafeRawBufferPointer(rebasing: data[offset...])
    }
    try startPage(header, count: count, levels: optional ? levelBytes : nil, values: valueBytes)
  }

  /// Makes the data page the one ``decodeValues(_:)`` reads, its `count` values not yet decoded.
  private func startPage(
    _ header: ParquetPageHeader, count: Int, levels: UnsafeRawBufferPointer?, values data: UnsafeRawBufferPointer
  ) throws(ParquetError) {
    pageLevels = try levels.map { (bytes) throws(ParquetError) in try RLEBitPackedDecoder(bytes, bitWidth: 1) }
    pageIndices = nil
    pageData = data
    pageOffset = 0
    pageEncoding = header.encoding
    switch header.encoding {
    case Self.plain:
      break
    case Self.plainDictionary, Self.rleDictionary:
      guard hasDictionary else { throw .corrupt("a dictionary-encoded page comes without a dictionary page") }
      // A page of nulls only may have no index bytes at all.
      if let width = data.first {
        pageIndices = try RLEBitPackedDecoder(UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(width))
      }
    default:
      throw .unsupported("values encoded \(Self.encodingName(header.encoding)) are not supported")
    }
    pageValuesLeft = count
  }

  /// Decodes the next `count` values of the current data page into ``values``.
  private func decodeValues(_ count: Int) throws(ParquetError) {
    // Local copies, without reference counting or exclusivity checks per value; stored back
    // (they may have grown or moved on) however this ends.
    var values = self.values
    var definitions = pageLevels
    defer {
      self.values = values
      pageLevels = definitions
    }
    switch pageEncoding {
    case Self.plain:
      var offset = pageOffset
      defer { pageOffset = offset }
      if var levels = definitions {
        defer { definitions = levels }
        for _ in 0..<count {
          if try levels.next() == 0 {
            values.appendNull()
          } else {
            try decodePlain(pageData, count: 1, offset: &offset, into: &values)
          }
        }
      } else {
        try decodePlain(pageData, count: count, offset: &offset, into: &values)
      }
    default:
      guard var indices = pageIndices else {
        for _ in 0..<count {
          guard var levels = definitions, try levels.next() == 0 else {
            throw .corrupt("a dictionary-encoded page has no indices")
          }
          definitions = levels
          values.appendNull()
        }
        return
      }
      defer { pageIndices = indices }
      let dictionary = self.dictionary
      let dictionaryCount = UInt32(truncatingIfNeeded: dictionary.count)
      let levelBatch = self.levelBatch
      let indexBatch = self.indexBatch
      // Levels and indices a batch at a time; the values then in one loop.
      var left = count
      while left > 0 {
        let n = min(left, Self.batchSize)
        left -= n
        var present = n
        if var levels = definitions {
          try levels.read(into: levelBatch, count: n)
          definitions = levels
          present = 0
          // Any level but 0 is a value (a corrupt run may hold more than 1).
          for k in 0..<n where levelBatch[k] != 0 { present &+= 1 }
        }
        try indices.read(into: indexBatch, count: present)
        if present == n {
          guard values.append(from: dictionary, indices: indexBatch, count: n) else {
            throw .corrupt("a dictionary index is past the dictionary's end")
          }
          continue
        }
        var next = 0
        for k in 0..<n {
          if present < n && levelBatch[k] == 0 {
            values.appendNull()
            continue
          }
          let index = indexBatch[next]
          next &+= 1
          guard index < dictionaryCount else { throw .corrupt("a dictionary index is past the dictionary's end") }
          values.append(from: dictionary, at: Int(index))
        }
      }
    }
  }

  /// Decodes `count` PLAIN values from `data` at `offset`.
  private func decodePlain(
    _ data: UnsafeRawBufferPointer, count: Int, offset: inout Int, into out: inout ParquetColumnValues
  ) throws(ParquetError) {
    switch physicalType {
    case Self.int32, Self.float:
      guard data.count - offset >= 4 * count else { throw .corrupt("PLAIN values are truncated") }
      for i in 0..<count {
        let raw = data.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self).littleEndian
        out.append(
          integer: physicalType == Self.int32
            ? Int64(Int32(bitPattern: raw)) : Int64(bitPattern: Double(Float(bitPattern: raw)).bitPattern))
      }
      offset += 4 * count
    case Self.int64, Self.double:
      guard data.count - offset >= 8 * count else { throw .corrupt("PLAIN values are truncated") }
      for i in 0..<count {
        out.append(integer: Int64(littleEndian: data.loadUnaligned(fromByteOffset: offset + 8 * i, as: Int64.self)))
      }
      offset += 8 * count
    case Self.boolean:
      // Bit-packed, one bit each; `offset` counts bits here.
      guard data.count * 8 - offset >= count else { throw .corrupt("PLAIN booleans are truncated") }
      for i in 0..<count {
        let bit = offset + i
        out.append(integer: Int64((data[bit >> 3] >> UInt8(bit & 7)) & 1))
      }
      offset += count
    case Self.byteArray:
      for _ in 0..<count {
        guard data.count - offset >= 4 else { throw .corrupt("PLAIN byte arrays are truncated") }
        let length = Int(data.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        guard length <= data.count - offset - 4 else { throw .corrupt("a PLAIN byte array runs past the page") }
        out.append(bytes: UnsafeRawBufferPointer(rebasing: data[(offset + 4)..<(offset + 4 + length)]))
        offset += 4 + length
      }
    case Self.fixedLenByteArray, Self.int96:
      let width = physicalType == Self.int96 ? 12 : typeLength
      guard width >= 0, (data.count - offset) >= width * count else {
        throw .corrupt("PLAIN fixed-length values are truncated")
      }
      for i in 0..<count {
        out.append(bytes: UnsafeRawBufferPointer(rebasing: data[(offset + width * i)..<(offset + width * (i + 1))]))
      }
      offset += width * count
    default:
      throw .unsupported("physical type \(physicalType) is not supported")
    }
  }
}

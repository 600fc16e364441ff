/// A page header (`PageHeader` in parquet.thrift): what kind of page follows, its sizes, and for
/// data and dictionary pages their value counts and encodings.
struct ParquetPageHeader {
  /// `PageType`: DATA_PAGE 0, INDEX_PAGE 1, DICTIONARY_PAGE 2, DATA_PAGE_V2 3.
  var type: Int32 = -1
  var uncompressedSize: Int32 = -1
  var compressedSize: Int32 = -1
  var numValues: Int32 = 0
  var encoding: Int32 = 0
  /// Data page v1: the encoding of the definition levels (RLE 3, BIT_PACKED 4).
  var definitionLevelEncoding: Int32 = 3
  /// Data page v2: the byte lengths of the (uncompressed) levels, and whether the values are compressed.
  var definitionLevelsLength: Int32 = 0
  var repetitionLevelsLength: Int32 = 0
  var numNulls: Int32 = 0
  var numRows: Int32 = 0
  var isCompressed = true
  var hasTypeHeader = false

  /// Parses the header at `reader`'s position, leaving it just past the header.
  init(_ r: inout ThriftCompactReader) throws(ParquetError) {
    var header = ParquetPageHeader.empty
    try r.readStruct { (r, field) throws(ParquetError) in
      switch (field.id, field.type) {
      case (1, .i32): header.type = try r.readI32()
      case (2, .i32): header.uncompressedSize = try r.readI32()
      case (3, .i32): header.compressedSize = try r.readI32()
      case (5, .struct):
        header.hasTypeHeader = true
        try r.readStruct { (r, f) throws(ParquetError) in
          switch (f.id, f.type) {
          case (1, .i32): header.numValues = try r.readI32()
          case (2, .i32): header.encoding = try r.readI32()
          case (3, .i32): header.definitionLevelEncoding = try r.readI32()
          default: try r.skip(f.type)
          }
        }
      case (7, .struct):
        header.hasTypeHeader = true
        try r.readStruct { (r, f) throws(ParquetError) in
          switch (f.id, f.type) {
          case (1, .i32): header.numValues = try r.readI32()
          case (2, .i32): header.encoding = try r.readI32()
          default: try r.skip(f.type)
          }
        }
      case (8, .struct):
        header.hasTypeHeader = true
        try r.readStruct { (r, f) throws(ParquetError) in
          switch (f.id, f.type) {
          case (1, .i32): header.numValues = try r.readI32()
          case (2, .i32): header.numNulls = try r.readI32()
          case (3, .i32): header.numRows = try r.readI32()
          case (4, .i32): header.encoding = try r.readI32()
          case (5, .i32): header.definitionLevelsLength = try r.readI32()
          case (6, .i32): header.repetitionLevelsLength = try r.readI32()
          case (7, _): header.isCompressed = ThriftCompactReader.bool(f)
          default: try r.skip(f.type)
          }
        }
      default: try r.skip(field.type)
      }
    }
    guard header.type >= 0, header.uncompressedSize >= 0, header.compressedSize >= 0, header.numValues >= 0,
      header.definitionLevelsLength >= 0, header.repetitionLevelsLength >= 0
    else { throw .corrupt("a page header is missing its type or sizes, or has negative ones") }
    if header.type != 1 && !header.hasTypeHeader {
      throw .corrupt("a page header of type \(header.type) has no header for its type")
    }
    self = header
  }

  private init() {}
  private static var empty: ParquetPageHeader { ParquetPageHeader() }
}

/// The parts of a Parquet footer (`FileMetaData` in parquet.thrift) that reading flat flow log
/// columns needs; the rest is skipped.
struct ParquetFileMetadata {
  /// One element of the flattened schema tree (`SchemaElement`).
  struct SchemaElement {
    var type: Int32?
    var typeLength: Int32?
    var repetition: Int32?
    var name = ""
    var numChildren: Int32?
    var convertedType: Int32?
    var scale: Int32?
    var logical: ParquetLogicalType?
  }

  /// A column chunk's location and encoding (`ColumnChunk` with its `ColumnMetaData`).
  struct ColumnChunk {
    var filePath: String?
    var hasMetadata = false
    var encrypted = false
    var type: Int32 = 0
    var path: [String] = []
    var codec: Int32 = 0
    var numValues: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?
  }

  /// A row group (`RowGroup`).
  struct RowGroup {
    var numRows: Int64 = 0
    var columns: [ColumnChunk] = []
  }

  var schema: [SchemaElement] = []
  var numRows: Int64 = 0
  var rowGroups: [RowGroup] = []
  /// True when the footer names an encryption algorithm (a plaintext footer of an encrypted file).
  var encrypted = false

  /// Parses a footer.
  init(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
    var reader = ThriftCompactReader(bytes)
    var sawSchema = false
    var sawRowGroups = false
    try reader.readStruct { (r, field) throws(ParquetError) in
      switch (field.id, field.type) {
      case (2, .list):
        schema = try r.readList { (r) throws(ParquetError) in try Self.schemaElement(&r) }
        sawSchema = true
      case (3, .i64): numRows = try r.readI64()
      case (4, .list):
        rowGroups = try r.readList { (r) throws(ParquetError) in try Self.rowGroup(&r) }
        sawRowGroups = true
      case (8, .struct):
        encrypted = true
        try r.skip(field.type)
      default: try r.skip(field.type)
      }
    }
    guard sawSchema, sawRowGroups, !schema.isEmpty else {
      throw .corrupt("the footer has no schema or no row groups")
    }
  }

  private static func schemaElement(_ r: inout ThriftCompactReader) throws(ParquetError) -> SchemaElement {
    var element = SchemaElement()
    try r.readStruct { (r, field) throws(ParquetError) in
      switch (field.id, field.type) {
      case (1, .i32): element.type = try r.readI32()
      case (2, .i32): element.typeLength = try r.readI32()
      case (3, .i32): element.repetition = try r.readI32()
      case (4, .binary): element.name = try r.readString()
      case (5, .i32): element.numChildren = try r.readI32()
      case (6, .i32): element.convertedType = try r.readI32()
      case (7, .i32): element.scale = try r.readI32()
      case (10, .struct): element.logical = try ParquetLogicalType(&r)
      default: try r.skip(field.type)
      }
    }
    return element
  }

  private static func rowGroup(_ r: inout ThriftCompactReader) throws(ParquetError) -> RowGroup {
    var group = RowGroup()
    try r.readStruct { (r, field) throws(ParquetError) in
      switch (field.id, field.type) {
      case (1, .list): group.columns = try r.readList { (r) throws(ParquetError) in try Self.columnChunk(&r) }
      case (3, .i64): group.numRows = try r.readI64()
      default: try r.skip(field.type)
      }
    }
    return group
  }

  private static func columnChunk(_ r: inout ThriftCompactReader) throws(ParquetError) -> ColumnChunk {
    var chunk = ColumnChunk()
    try r.readStruct { (r, field) throws(ParquetError) in
      switch (field.id, field.type) {
      case (1, .binary): chunk.filePath = try r.readString()
      case (3, .struct):
        chunk.hasMetadata = true
        try columnMetadata(&r, into: &chunk)
      case (8, .struct), (9, .binary):
        chunk.encrypted = true
        try r.skip(field.type)
      default: try r.skip(field.type)
      }
    }
    return chunk
  }

  private static func columnMetadata(_ r: inout ThriftCompactReader, into chunk: inout ColumnChunk)
    throws(ParquetError)
  {
    try r.readStruct { (r, field) throws(ParquetError) in
      switch (field.id, field.type) {
      case (1, .i32): chunk.type = try r.readI32()
      case (3, .list): chunk.path = try r.readList { (r) throws(ParquetError) in try r.readString() }
      case (4, .i32): chunk.codec = try r.readI32()
      case (5, .i64): chunk.numValues = try r.readI64()
      case (7, .i64): chunk.totalCompressedSize = try r.readI64()
      case (9, .i64): chunk.dataPageOffset = try r.readI64()
      case (11, .i64): chunk.dictionaryPageOffset = try r.readI64()
      default: try r.skip(field.type)
      }
    }
  }
}

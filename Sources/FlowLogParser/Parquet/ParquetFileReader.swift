/// One Parquet file opened for reading flow log records: its footer parsed, its schema checked
/// (flat, not encrypted) and mapped to flow log fields, and its row groups read one at a time,
/// only the columns that name a field, in slices of rows.
final class ParquetFileReader {
  /// A column that names a flow log field.
  struct MappedColumn {
    var field: FlowField
    var reader: ParquetColumnReader
    /// The column's index among the schema's leaves (and so in each row group's chunks).
    var leaf: Int
    var conversion: ParquetValueConversion
  }

  private let access: ParquetRandomAccess
  let metadata: ParquetFileMetadata
  /// The columns read, in schema order: the layout of the rows.
  let columns: [MappedColumn]
  /// The names of columns that name no flow log field: skipped.
  let unknownColumns: [String]
  let layout: FlowLayout
  private let codecs = ParquetCodec()
  /// Bytes read from the file so far.
  private(set) var bytesRead: UInt64 = 0
  /// The bytes of the footer and its length and magic: read by every reader of the file, counted
  /// by the one that reads its first row group.
  private(set) var footerBytes: UInt64 = 0

  /// The most rows a row group may hold: a bound on the memory a corrupt footer can claim.
  let maxRowsPerGroup: Int

  /// The smallest Parquet file: magic, footer length, magic.
  static let magic: [UInt8] = Array("PAR1".utf8)

  /// Opens the Parquet file in `access`, reading and checking its footer.
  init(_ access: ParquetRandomAccess, maxRowsPerGroup: Int = 1 << 24) throws(ParquetError) {
    self.access = access
    self.maxRowsPerGroup = maxRowsPerGroup
    let size = access.size
    guard size >= 12 else { throw .corrupt("the file is too short to be Parquet (\(size) bytes)") }
    let tail = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 8)
    defer { tail.deallocate() }
    try access.read(at: size - 8, into: tail)
    bytesRead += 8
    if tail[4...].elementsEqual("PARE".utf8) {
      throw .unsupported("encrypted Parquet files (PARE footer) are not supported")
    }
    guard tail[4...].elementsEqual(Self.magic) else {
      throw .corrupt("no PAR1 magic at the end: the file is truncated or not Parquet")
    }
    let footerLength = UInt64(tail[0]) | UInt64(tail[1]) << 8 | UInt64(tail[2]) << 16 | UInt64(tail[3]) << 24
    guard footerLength <= size - 12 else {
      throw .corrupt("the footer length (\(footerLength) bytes) is larger than the file")
    }
    let footer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(footerLength), alignment: 8)
    defer { footer.deallocate() }
    try access.read(at: size - 8 - footerLength, into: footer)
    bytesRead += footerLength
    footerBytes = bytesRead
    let metadata = try ParquetFileMetadata(UnsafeRawBufferPointer(footer))
    self.metadata = metadata
    if metadata.encrypted { throw .unsupported("encrypted Parquet files are not supported") }
    (columns, unknownColumns) = try Self.mapColumns(metadata)
    layout = FlowLayout(fields: columns.map(\.field))
  }

  /// The schema's leaves, checked flat, mapped to fields.
  private static func mapColumns(_ metadata: ParquetFileMetadata) throws(ParquetError) -> (
    [MappedColumn], [String]
  ) {
    let schema = metadata.schema
    let root = schema[0]
    let leaves = schema.dropFirst()
    for element in leaves {
      if let children = element.numChildren, children > 0 {
        throw .unsupported("nested schemas are not supported (column '\(element.name)' is a group)")
      }
      if element.repetition == 2 {
        throw .unsupported("nested schemas are not supported (column '\(element.name)' is repeated)")
      }
    }
    guard Int(root.numChildren ?? 0) == leaves.count else {
      throw .corrupt("the schema's root has \(root.numChildren ?? 0) columns, the schema lists \(leaves.count)")
    }
    var mapped: [MappedColumn] = []
    var unknown: [String] = []
    var seen: [FlowField: String] = [:]
    for (leaf, element) in leaves.enumerated() {
      guard let type = element.type else { throw .corrupt("column '\(element.name)' has no physical type") }
      guard let field = FlowField(name: element.name.lowercased()) else {
        unknown.append(element.name)
        continue
      }
      if let other = seen[field] {
        throw .unsupported("columns '\(other)' and '\(element.name)' both name the field \(field.name)")
      }
      seen[field] = element.name
      let reader = ParquetColumnReader(
        name: element.name, physicalType: type, typeLength: Int(element.typeLength ?? 0),
        optional: element.repetition == 1)
      let conversion = ParquetValueConversion(
        physicalType: type, convertedType: element.convertedType, logical: element.logical, scale: element.scale)
      mapped.append(MappedColumn(field: field, reader: reader, leaf: leaf, conversion: conversion))
    }
    guard !mapped.isEmpty else {
      throw ParquetError(
        kind: .notFlowLog,
        message:
          "no column names a flow log field (columns: \(unknown.prefix(8).joined(separator: ", ")))")
    }
    return (mapped, unknown)
  }

  /// The number of row groups.
  var rowGroupCount: Int { metadata.rowGroups.count }

  /// Opens the Parquet file at `path` (for planning: its row groups), nil when it cannot be.
  static func open(path: String, size: UInt64) -> ParquetFileReader? {
    guard let fd = try? Syscalls.openForReading(path) else { return nil }
    defer { Syscalls.close(fd) }
    return try? ParquetFileReader(.file(descriptor: fd, size: size))
  }

  /// Opens row group `index`: reads its columns' chunks, each into its reader, which
  /// ``readSlice(_:)`` then decodes; returns the group's row count.
  func openRowGroup(_ index: Int) throws(ParquetError) -> Int {
    let group = metadata.rowGroups[index]
    guard group.numRows >= 0, group.numRows <= Int64(maxRowsPerGroup) else {
      throw .unsupported("row group of \(group.numRows) rows: flowlens reads up to \(maxRowsPerGroup) rows per group")
    }
    let rows = Int(group.numRows)
    guard group.columns.count == metadata.schema.count - 1 else {
      throw .corrupt("row group has \(group.columns.count) column chunks for \(metadata.schema.count - 1) columns")
    }
    for column in columns {
      let chunkMeta = group.columns[column.leaf]
      do throws(ParquetError) {
        try open(chunkMeta, into: column.reader, rows: rows)
      } catch {
        throw ParquetError(kind: error.kind, message: "column \(column.reader.name): \(error.message)")
      }
    }
    return rows
  }

  /// Decodes the next `count` rows of the open row group into the columns' ``ParquetColumnReader/values``.
  func readSlice(_ count: Int) throws(ParquetError) {
    for column in columns {
      do throws(ParquetError) {
        try column.reader.readSlice(count)
      } catch {
        throw ParquetError(kind: error.kind, message: "column \(column.reader.name): \(error.message)")
      }
    }
  }

  private func open(_ meta: ParquetFileMetadata.ColumnChunk, into reader: ParquetColumnReader, rows: Int)
    throws(ParquetError)
  {
    if meta.encrypted { throw .unsupported("encrypted columns are not supported") }
    guard meta.hasMetadata else { throw .corrupt("the column chunk has no metadata") }
    if meta.filePath != nil { throw .unsupported("column data in another file (file_path) is not supported") }
    guard meta.path.count == 1 else { throw .unsupported("nested schemas are not supported") }
    guard meta.type == reader.physicalType else {
      throw .corrupt("the column chunk's type differs from the schema's")
    }
    guard ParquetCodec.isSupported(meta.codec) else {
      throw .unsupported(
        "\(ParquetCodec.name(meta.codec)) compression is not supported (flowlens reads GZIP, SNAPPY, ZSTD, UNCOMPRESSED)"
      )
    }
    guard meta.numValues == Int64(rows) else {
      throw .corrupt("the column chunk holds \(meta.numValues) values for \(rows) rows")
    }
    var start = meta.dataPageOffset
    if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
    let length = meta.totalCompressedSize
    guard start >= 4, length >= 0, UInt64(start) < access.size, UInt64(length) <= access.size - UInt64(start) else {
      throw .corrupt("the column chunk's offsets are outside the file")
    }
    let bytes = reader.chunkStorage(length: Int(length))
    try access.read(at: UInt64(start), into: bytes)
    bytesRead += UInt64(length)
    reader.start(length: Int(length), rows: rows, codec: meta.codec, codecs: codecs)
  }
}

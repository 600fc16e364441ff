/// What reading a row needs of one column, made once per row group: its decoded values, how they
/// convert, and the field they fill, as plain values (no reference counting per row).
struct ParquetColumnView {
  /// How the values convert: ``ParquetValueConversion`` without its payloads.
  enum Kind: UInt8 {
    case signed, unsigned32, unsigned64, timestamp, text, floatingPoint, never
  }
  var kind: Kind
  var perSecond: Int64
  var field: FlowField
  var values: ParquetColumnValues
  /// The chunk's dictionary, which dictionary-encoded byte arrays in `values` refer to.
  var dictionary: ParquetColumnValues
  /// How the field's text decodes (as in ``RecordDecoder``), its slot, and its largest integer.
  var target: RecordDecoder.ColumnPlan.Kind
  var slot: UInt8
  var largest: UInt64
  /// For text values: each dictionary entry decoded as the field, once per chunk (nil without a
  /// dictionary), and how many there are.
  var parsedDictionary: UnsafeMutablePointer<ParquetParsedValue>?
  var parsedCount: Int

  init(_ column: ParquetFileReader.MappedColumn, parsedDictionary: UnsafeMutableBufferPointer<ParquetParsedValue>) {
    field = column.field
    values = column.reader.values
    dictionary = column.reader.dictionary
    perSecond = 1
    switch column.conversion {
    case .signed: kind = .signed
    case .unsigned(let bits): kind = bits == 32 ? .unsigned32 : .unsigned64
    case .timestamp(let unit):
      kind = .timestamp
      perSecond = max(1, unit)
    case .text: kind = .text
    case .floatingPoint: kind = .floatingPoint
    case .never: kind = .never
    }
    slot = field.rawValue
    largest = 0
    switch field.kind {
    case .integer(let largest):
      target = .integer
      self.largest = largest
    case .timestamp: target = .timestamp
    case .address: target = .address
    case .action: target = .action
    case .logStatus: target = .logStatus
    case .text: target = .text
    }
    self.parsedDictionary = parsedDictionary.baseAddress
    parsedCount = parsedDictionary.count
  }

  /// Each entry of the dictionary of `column`'s chunk decoded as its field, when its values are
  /// text and it has a dictionary; empty otherwise. The caller frees it.
  static func parseDictionary(of column: ParquetFileReader.MappedColumn) -> UnsafeMutableBufferPointer<
    ParquetParsedValue
  > {
    let dictionary = column.reader.dictionary
    let view = ParquetColumnView(column, parsedDictionary: UnsafeMutableBufferPointer(start: nil, count: 0))
    guard view.kind == .text && dictionary.holdsBytes && dictionary.count > 0 else {
      return UnsafeMutableBufferPointer(start: nil, count: 0)
    }
    let parsed = UnsafeMutableBufferPointer<ParquetParsedValue>.allocate(capacity: dictionary.count)
    for index in 0..<dictionary.count {
      let start = dictionary.offsets[index]
      let token = UnsafeRawBufferPointer(start: dictionary.bytes + start, count: dictionary.offsets[index + 1] - start)
      parsed.initializeElement(at: index, to: .parse(token, as: view.target, max: view.largest))
    }
    return parsed
  }
}

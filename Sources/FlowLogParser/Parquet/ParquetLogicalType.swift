/// The logical types (`LogicalType` in parquet.thrift) that decide how a column's values convert
/// to flow log fields; any other is kept as `other` and converts by its physical type alone.
enum ParquetLogicalType: Sendable, Hashable {
  case string
  /// A timestamp counted in units of 1/`perSecond` of a second.
  case timestamp(perSecond: Int64)
  case integer(bitWidth: Int8, signed: Bool)
  case decimal(scale: Int32)
  case other(Int16)

  init(_ r: inout ThriftCompactReader) throws(ParquetError) {
    var result = ParquetLogicalType.other(0)
    try r.readStruct { (r, field) throws(ParquetError) in
      switch (field.id, field.type) {
      case (1, .struct):
        result = .string
        try r.skip(field.type)
      case (5, .struct):
        var scale: Int32 = 0
        try r.readStruct { (r, f) throws(ParquetError) in
          if f.id == 1, f.type == .i32 { scale = try r.readI32() } else { try r.skip(f.type) }
        }
        result = .decimal(scale: scale)
      case (8, .struct):
        var perSecond: Int64 = 1000
        try r.readStruct { (r, f) throws(ParquetError) in
          guard f.id == 2, f.type == .struct else { return try r.skip(f.type) }
          // TimeUnit: a union of MILLIS (1), MICROS (2), NANOS (3).
          try r.readStruct { (r, unit) throws(ParquetError) in
            switch unit.id {
            case 1: perSecond = 1000
            case 2: perSecond = 1_000_000
            case 3: perSecond = 1_000_000_000
            default: break
            }
            try r.skip(unit.type)
          }
        }
        result = .timestamp(perSecond: perSecond)
      case (10, .struct):
        var bitWidth: Int8 = 64
        var signed = true
        try r.readStruct { (r, f) throws(ParquetError) in
          switch (f.id, f.type) {
          case (1, .byte): bitWidth = Int8(bitPattern: try r.readByte())
          case (2, _): signed = ThriftCompactReader.bool(f)
          default: try r.skip(f.type)
          }
        }
        result = .integer(bitWidth: bitWidth, signed: signed)
      default:
        result = .other(field.id)
        try r.skip(field.type)
      }
    }
    self = result
  }
}

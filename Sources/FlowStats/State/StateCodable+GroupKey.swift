extension GroupKey: StateCodable {
  /// The key's 16 words, each as a variable-length integer (unused bits are zero: one byte each).
  public func write(to writer: inout StateWriter) {
    for index in 0..<Self.wordCount { writer.uint(self[word: index]) }
  }

  /// Reads a key of the `--by` table being read (``StateReader/groupColumns``): text numbers must
  /// be below the table's texts, and flow-log numbers are translated to the merged run's.
  public init(from reader: inout StateReader) throws(StateError) {
    self.init()
    let at = reader.position
    for index in 0..<Self.wordCount { self[word: index] = try reader.uint() }
    for column in reader.groupColumns where bits(at: column.presentBit, width: 1) == 1 {
      switch column.kind.storage {
      case .text:
        let id = bits(at: column.offset, width: 32)
        guard id < UInt64(reader.groupTextCount) else {
          throw reader.error(at: at, "text number \(id) is out of range (\(reader.groupTextCount) texts)")
        }
      case .flowLog:
        let id = bits(at: column.offset, width: 32)
        guard id < UInt64(reader.flowLogMap.count) else {
          throw reader.error(at: at, "flow-log number \(id) is out of range (\(reader.flowLogMap.count) flow logs)")
        }
        let word = column.offset >> 6
        self[word: word] &= ~(UInt64(0xFFFF_FFFF) << UInt64(column.offset & 63))
        setBits(at: column.offset, to: UInt64(UInt32(bitPattern: reader.flowLogMap[Int(id)])))
      default:
        break
      }
    }
  }
}

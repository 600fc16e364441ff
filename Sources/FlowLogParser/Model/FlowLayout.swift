/// The ordered list of columns of a flow log record.
///
/// A layout comes from an S3 header line (``FlowLayout/init(headerLine:)``), from a format
/// string given by the user (``FlowLayout/init(format:)``), or is the default v2 layout.
/// The number of tokens on a line never chooses a layout.
public struct FlowLayout: Sendable, Hashable, CustomStringConvertible {
  /// One column of a layout.
  public enum Column: Sendable, Hashable {
    /// A field flowlens knows.
    case field(FlowField)
    /// A name in a header line that flowlens does not know (a field newer than this tool).
    /// Its values are kept as text and otherwise ignored.
    case unknown(String)

    /// The name as AWS spells it.
    public var name: String {
      switch self {
      case .field(let field): field.name
      case .unknown(let name): name
      }
    }
  }

  /// The columns in record order.
  public let columns: [Column]
  /// The known fields the layout holds.
  public let fields: FieldSet

  /// The 14 fields of the default format (version 2).
  public static let defaultV2 = FlowLayout(fields: [
    .version, .accountID, .interfaceID, .srcaddr, .dstaddr, .srcport, .dstport, .protocol,
    .packets, .bytes, .start, .end, .action, .logStatus,
  ])

  /// A layout of known fields in the given order.
  public init(fields: [FlowField]) {
    self.init(checkedColumns: fields.map { .field($0) })
  }

  init(checkedColumns: [Column]) {
    columns = checkedColumns
    var set = FieldSet()
    for case .field(let field) in checkedColumns { set.insert(field) }
    fields = set
  }

  /// A layout from a format string as AWS takes it (`${version} ${srcaddr} …`) or a plain list of
  /// names (`version srcaddr …`, also comma-separated). Hyphens and underscores are interchangeable.
  ///
  /// - Throws: ``LayoutError`` naming the first unknown or repeated name, or an empty format.
  public init(format: String) throws(LayoutError) {
    var columns: [Column] = []
    var seen = FieldSet()
    let separators: Set<Character> = [" ", "\t", ",", "\n", "\r"]
    for rawToken in format.split(whereSeparator: { separators.contains($0) }) {
      var token = Substring(rawToken)
      if token.hasPrefix("${") && token.hasSuffix("}") {
        token = token.dropFirst(2).dropLast()
      }
      guard let field = FlowField(name: token.lowercased()) else {
        throw .unknownField(String(rawToken))
      }
      guard !seen.contains(field) else { throw .duplicateField(field.name) }
      seen.insert(field)
      columns.append(.field(field))
    }
    guard !columns.isEmpty else { throw .empty }
    self.init(checkedColumns: columns)
  }

  /// Recognises an S3 header line: every token shaped like a field name (`[a-z][a-z0-9_-]*`) and
  /// the first one a known field. Returns nil for any other line.
  ///
  /// Unknown names in an otherwise valid header become ``Column/unknown(_:)`` columns, so that a
  /// field newer than flowlens does not make every record of the file malformed.
  /// - Throws: ``LayoutError/duplicateField(_:)`` when a name repeats.
  public init?(headerLine line: UnsafeRawBufferPointer) throws(LayoutError) {
    var columns: [Column] = []
    var seen = FieldSet()
    var unknownNames = Set<String>()
    var i = 0
    let n = line.count
    while i < n {
      while i < n, line[i] == UInt8(ascii: " ") { i += 1 }
      if i == n { break }
      let start = i
      while i < n, line[i] != UInt8(ascii: " ") { i += 1 }
      let token = UnsafeRawBufferPointer(rebasing: line[start..<i])
      guard Self.isNameShaped(token) else { return nil }
      if let field = FlowField(nameBytes: token) {
        guard !seen.contains(field) else { throw .duplicateField(field.name) }
        seen.insert(field)
        columns.append(.field(field))
      } else {
        guard !columns.isEmpty else { return nil }
        let name = String(decoding: token, as: UTF8.self)
        guard unknownNames.insert(name).inserted else { throw .duplicateField(name) }
        columns.append(.unknown(name))
      }
    }
    guard !columns.isEmpty else { return nil }
    self.init(checkedColumns: columns)
  }

  /// Whether the first token of a line could start a header; a cheap test run on every line.
  @inline(__always)
  static func mayStartHeader(_ firstByte: UInt8) -> Bool {
    firstByte &- UInt8(ascii: "a") < 26
  }

  static func isNameShaped(_ token: UnsafeRawBufferPointer) -> Bool {
    guard let first = token.first, first &- UInt8(ascii: "a") < 26 else { return false }
    for c in token {
      let ok =
        c &- UInt8(ascii: "a") < 26 || c &- UInt8(ascii: "0") < 10 || c == UInt8(ascii: "-")
        || c == UInt8(ascii: "_")
      if !ok { return false }
    }
    return true
  }

  /// The names, space-separated, as an S3 header line writes them.
  public var description: String { columns.map(\.name).joined(separator: " ") }

  /// The names of unknown columns, if any.
  public var unknownNames: [String] {
    columns.compactMap { if case .unknown(let name) = $0 { name } else { nil } }
  }
}

/// Why a format string or header line does not give a layout.
public enum LayoutError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A name that is not a flow log field.
  case unknownField(String)
  /// A name given twice.
  case duplicateField(String)
  /// No field at all.
  case empty

  public var description: String {
    switch self {
    case .unknownField(let name): "unknown field name '\(name)'"
    case .duplicateField(let name): "field '\(name)' appears twice"
    case .empty: "the format names no field"
    }
  }
}

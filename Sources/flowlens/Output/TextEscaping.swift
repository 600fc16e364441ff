/// Escaping of log data for the output formats. Log data is text an attacker may influence
/// (tag values, ids), so every format escapes it.
enum TextEscaping {
  /// Appends `bytes` as the inside of a JSON string: quotes, backslashes and control characters
  /// escaped; invalid UTF-8 replaced by U+FFFD so that the output is always valid JSON.
  static func appendJSONString(_ bytes: UnsafeRawBufferPointer, to out: inout OutputBuffer) {
    var plain = true
    for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C || b >= 0x80 {
      plain = false
      break
    }
    if plain {
      out.append(bytes)
      return
    }
    if bytes.contains(where: { $0 >= 0x80 }) {
      // Rare: repair invalid UTF-8 through String, then escape.
      let repaired = String(decoding: bytes, as: UTF8.self)
      var utf8 = Array(repaired.utf8)
      utf8.withUnsafeMutableBytes { appendEscapedASCII(UnsafeRawBufferPointer($0), to: &out) }
      return
    }
    appendEscapedASCII(bytes, to: &out)
  }

  private static func appendEscapedASCII(_ bytes: UnsafeRawBufferPointer, to out: inout OutputBuffer) {
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    for b in bytes {
      switch b {
      case 0x22: out.append("\\\"")
      case 0x5C: out.append("\\\\")
      case 0x0A: out.append("\\n")
      case 0x0D: out.append("\\r")
      case 0x09: out.append("\\t")
      case 0..<0x20, 0x7F:
        out.append("\\u00")
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 0xF)])
      default: out.append(b)
      }
    }
  }

  /// A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell of log data
  /// that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a spreadsheet does
  /// not run it as a formula.
  static func csvCell(_ text: String, fromLogData: Bool = true) -> String {
    var cell = text
    if fromLogData, let first = cell.utf8.first,
      first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    {
      cell = "'" + cell
    }
    if cell.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
      return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return cell
  }

  /// Text from log data made safe for a terminal: control characters (and DEL) become `?`.
  static func terminalSafe(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) ? "?" : $0 }))
  }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

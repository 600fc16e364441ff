/// Escaping of log data for the output formats. Log data is text an attacker may influence
/// (tag values, ids), so every format escapes it.
public enum TextEscaping {
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

  /// A CSV cell (RFC 4180): quoted when it holds a comma or quote. A cell of log data that starts
  /// with `=`, `+`, `-`, `@` gets a leading `'` so that a spreadsheet does not run it as a formula.
  /// Control bytes of log data (C0, including tab and line breaks, DEL, and the C1 controls) are
  /// written as `\xHH` and a backslash as `\\`, so that a cell never carries an escape sequence
  /// to a terminal and the escaping can be undone. Callers pass only log data (the fixed cells of
  /// a renderer are plain).
  static func csvCell(_ text: String) -> String {
    var cell = ""
    for scalar in text.unicodeScalars {
      if scalar == "\\" {
        cell += "\\\\"
      } else if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
        let hex = String(scalar.value, radix: 16)
        cell += "\\x" + (hex.count < 2 ? "0" : "") + hex
      } else {
        cell.unicodeScalars.append(scalar)
      }
    }
    if let first = cell.utf8.first,
      first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        || first == UInt8(ascii: "@")
    {
      cell = "'" + cell
    }
    if cell.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }) {
      return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return cell
  }

  /// Text from log data made safe for a terminal: every character that is not shown as itself
  /// but acts on the display is written as `<U+XXXX>` — control characters (C0, DEL, C1: escape
  /// sequences, bells, carriage returns), format characters (the bidirectional overrides and
  /// isolates such as U+202E, which reorder what follows; zero-width characters) and the line and
  /// paragraph separators. The text stays readable and the trick stays visible.
  public static func terminalSafe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafeOnTerminal) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if isUnsafeOnTerminal(scalar) {
        out += codePointNotation(scalar)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Whether a terminal would act on `scalar` rather than show it.
  static func isUnsafeOnTerminal(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) { return true }
    if scalar.isASCII { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator: return true
    default: return false
    }
  }

  /// `<U+202E>`: the code point in the notation of the Unicode standard.
  private static func codePointNotation(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
  }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

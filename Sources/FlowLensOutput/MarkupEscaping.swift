/// Escaping of log data and policy text for HTML and Markdown. Interface ids, file names, rule
/// ids, messages and parse-issue reasons can all be chosen by whoever wrote the log or the policy.
enum MarkupEscaping {
  /// `text` as HTML text or a quoted attribute value: `&`, `<`, `>`, `"` and `'` become
  /// character references, and control characters (which HTML forbids) become U+FFFD.
  static func html(_ text: String) -> String {
    guard
      text.utf8.contains(where: {
        $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 < 0x20 || $0 == 0x7F
      })
    else {
      return text
    }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// `text` as the content of a GitHub-flavoured Markdown table cell, shown literally: `|` and the
  /// characters that start emphasis, code, links, strikethrough or math are backslash-escaped,
  /// `<`, `>` and `&` become character references (so no HTML passes through), and line breaks
  /// and other control characters become spaces (a cell is one line).
  static func markdown(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\", "|", "`", "*", "_", "[", "]", "~", "$", "#", "!":
        out += "\\"
        out.unicodeScalars.append(scalar)
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      default:
        if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
          out += " "
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// A fragment identifier made of `parts`: lowercase ASCII letters and digits, every other run
  /// of characters one `-`. Safe in `id` and `href="#…"` without further escaping.
  static func slug(_ parts: [String]) -> String {
    var out = ""
    var pendingDash = false
    for scalar in parts.joined(separator: " ").unicodeScalars {
      let isWordCharacter = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
      let isUpper = ("A"..."Z").contains(scalar)
      if isWordCharacter || isUpper {
        if pendingDash && !out.isEmpty { out += "-" }
        pendingDash = false
        out.unicodeScalars.append(isUpper ? Unicode.Scalar(scalar.value + 32)! : scalar)
      } else {
        pendingDash = true
      }
    }
    return out
  }
}

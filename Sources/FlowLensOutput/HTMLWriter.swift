/// Builds an HTML document (with inline SVG) in which data can enter only escaped.
///
/// Markup comes only from string literals (`StaticString`: tag names, attribute names, fixed
/// fragments); every runtime string, whether text or an attribute value, passes through
/// ``MarkupEscaping/html(_:)``. A renderer built on this cannot emit a tag from log data.
struct HTMLWriter {
  /// An attribute list: names are literals, values are escaped.
  typealias Attributes = KeyValuePairs<StaticString, String>

  /// The document so far.
  private(set) var output = ""

  init() { output.reserveCapacity(1 << 16) }

  /// Appends literal markup.
  mutating func markup(_ literal: StaticString) {
    literal.withUTF8Buffer { output += String(decoding: $0, as: UTF8.self) }
  }

  /// Appends `text`, escaped.
  mutating func text(_ text: String) { output += MarkupEscaping.html(text) }

  /// Appends `<tag name="value" …>`.
  mutating func open(_ tag: StaticString, _ attributes: Attributes = [:]) {
    output += "<"
    markup(tag)
    write(attributes)
    output += ">"
  }

  /// Appends `</tag>`.
  mutating func close(_ tag: StaticString) {
    output += "</"
    markup(tag)
    output += ">"
  }

  /// Appends `<tag …>text</tag>`, the text escaped.
  mutating func element(_ tag: StaticString, _ attributes: Attributes = [:], text content: String) {
    open(tag, attributes)
    text(content)
    close(tag)
  }

  /// Appends `<tag …>`, what `body` writes, and `</tag>`.
  mutating func element(_ tag: StaticString, _ attributes: Attributes = [:], body: (inout HTMLWriter) -> Void) {
    open(tag, attributes)
    body(&self)
    close(tag)
  }

  /// Appends a self-closing SVG element, `<tag …/>`.
  mutating func shape(_ tag: StaticString, _ attributes: Attributes) {
    output += "<"
    markup(tag)
    write(attributes)
    output += "/>"
  }

  /// Appends ` name="value"` for each attribute, the values escaped.
  private mutating func write(_ attributes: Attributes) {
    for (name, value) in attributes {
      output += " "
      markup(name)
      output += "=\""
      output += MarkupEscaping.html(value)
      output += "\""
    }
  }
}

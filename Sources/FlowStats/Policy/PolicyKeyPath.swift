/// A key path under construction: `rules[1].allow_from[0]`.
struct PolicyKeyPath: CustomStringConvertible {
  var text = ""
  func key(_ name: String) -> PolicyKeyPath { PolicyKeyPath(text: text.isEmpty ? name : "\(text).\(name)") }
  func index(_ i: Int) -> PolicyKeyPath { PolicyKeyPath(text: "\(text)[\(i)]") }
  var description: String { text }
}

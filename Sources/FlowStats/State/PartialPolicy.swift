#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The policy of an audit or report partial result: where it came from (as the output names it)
/// and its text, so that `flowlens merge` renders findings with the very policy the partials used.
public struct PartialPolicy: Sendable, Hashable {
  /// `built-in`, or the path given to `--policy`.
  public var source: String
  /// The policy file's text; nil for the built-in policy.
  public var text: String?

  /// A policy named `source` with file text `text` (nil: built-in).
  public init(source: String, text: String?) {
    self.source = source
    self.text = text
  }

  /// The policy of `--policy path` (nil: built-in), read again for its text.
  public static func load(path: String?) throws(PolicyLoadError) -> PartialPolicy {
    guard let path else { return PartialPolicy(source: "built-in", text: nil) }
    do {
      return PartialPolicy(source: path, text: try String(contentsOfFile: path, encoding: .utf8))
    } catch {
      throw .unreadable(path: path)
    }
  }

  /// A stable fingerprint: FNV-1a (64 bits) of the policy text, or of `built-in`; in hexadecimal.
  public var fingerprint: String {
    let hash = StateChecksum.fnv1a64(text.map { Array("file:".utf8) + Array($0.utf8) } ?? Array("built-in".utf8))
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The policy itself.
  public func parsed() throws(PolicyError) -> Policy {
    guard let text else { return .builtIn }
    return try PolicyParser.parse(text, file: source)
  }
}

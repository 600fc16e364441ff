#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Loads the policy a command runs with: a YAML file, or the built-in policy.
public enum PolicyLoader {
  /// The policy in the file at `path`, or ``Policy/builtIn`` when `path` is nil.
  ///
  /// - Throws: ``PolicyLoadError/unreadable(path:)`` when the file cannot be read as UTF-8 text,
  ///   ``PolicyLoadError/invalid(_:)`` when it is not a valid policy.
  public static func load(path: String?) throws(PolicyLoadError) -> Policy {
    guard let path else { return .builtIn }
    return try load(path: path)
  }

  /// The policy in the file at `path`.
  ///
  /// - Throws: ``PolicyLoadError/unreadable(path:)`` when the file cannot be read as UTF-8 text,
  ///   ``PolicyLoadError/invalid(_:)`` when it is not a valid policy.
  public static func load(path: String) throws(PolicyLoadError) -> Policy {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw .unreadable(path: path)
    }
    do {
      return try PolicyParser.parse(text, file: path)
    } catch {
      throw .invalid(error)
    }
  }
}

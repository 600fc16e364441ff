/// Why ``PolicyLoader`` could not load a policy file. Its description is the message for people,
/// starting with the file's path.
public enum PolicyLoadError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file could not be read, or is not UTF-8 text.
  case unreadable(path: String)
  /// The file was read but is not a valid policy.
  case invalid(PolicyError)

  /// `policy.yaml: cannot read the policy file`, or the ``PolicyError``'s own description.
  public var description: String {
    switch self {
    case .unreadable(let path): "\(path): cannot read the policy file"
    case .invalid(let error): error.description
    }
  }
}

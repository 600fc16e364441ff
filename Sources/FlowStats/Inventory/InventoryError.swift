/// Why ``InventoryLoader`` could not read an inventory: the file, where in its JSON, and what.
public struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file.
  public var file: String
  /// The JSON path of the bad value (`SecurityGroups[2].IpPermissions[0].IpRanges[1].CidrIp`);
  /// empty when the file as a whole is at fault (unreadable, not JSON).
  public var path: String
  /// What is wrong.
  public var reason: String

  /// An error in `file` at `path`.
  public init(file: String, path: String, reason: String) {
    self.file = file
    self.path = path
    self.reason = reason
  }

  /// `inventory/sg.json: SecurityGroups[0].IpPermissions[1].FromPort: expected a number`.
  public var description: String {
    path.isEmpty ? "\(file): \(reason)" : "\(file): \(path): \(reason)"
  }
}

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Reads an ``Inventory`` from AWS CLI output: one JSON file, or a directory of them (walked
/// recursively, `*.json` only, in path order so that the result does not depend on the listing).
///
/// Each file is recognised by its top-level keys (`NetworkInterfaces`, `Subnets`, `RouteTables`,
/// `SecurityGroups`, `Vpcs`, `VpcEndpoints`, `NatGateways`, `NetworkAcls`); a file may hold
/// several. A file without any is skipped with a note; a file that is not JSON, or whose values
/// do not have the shape AWS prints, is an error naming the file and the JSON path.
public enum InventoryLoader {
  /// What was read: the inventory, the files it came from, and the notes about files skipped.
  public struct Result: Sendable {
    /// The inventory.
    public var inventory: Inventory
    /// The files read, in order.
    public var files: [String]
    /// One line per file skipped: `path: skipped: reason`.
    public var notes: [String]
  }

  /// Reads the inventory at `path` (a file or a directory).
  public static func load(path: String) throws(InventoryError) -> Result {
    guard let kind = fileType(path) else {
      throw InventoryError(file: path, path: "", reason: "no such file or directory")
    }
    var files: [String] = []
    var notes: [String] = []
    if kind == .typeDirectory {
      try walk(path, files: &files, notes: &notes)
      files.sort()
      notes.sort()
    } else {
      files = [path]
    }
    var merged = InventoryDocument.Parts()
    var read: [String] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InventoryError(file: file, path: "", reason: "cannot read the file")
      }
      let document: InventoryDocument
      do {
        document = try JSONDecoder().decode(InventoryDocument.self, from: data)
      } catch let error as DecodingError {
        if case .typeMismatch(_, let context) = error, context.codingPath.isEmpty {
          notes.append("\(file): skipped: not a JSON object with a key of AWS CLI describe output")
          continue
        }
        throw Self.error(error, file: file)
      } catch {
        throw InventoryError(file: file, path: "", reason: "not valid JSON")
      }
      guard !document.keys.isEmpty else {
        notes.append(
          "\(file): skipped: none of the keys \(InventoryDocument.knownKeys.joined(separator: ", "))")
        continue
      }
      merged.add(document)
      read.append(file)
    }
    return Result(inventory: merged.inventory, files: read, notes: notes)
  }

  private static func fileType(_ path: String) -> FileAttributeType? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
  }

  /// Collects the `.json` files under `directory`; other files are noted as skipped, hidden ones
  /// and symbolic links to directories are passed over.
  private static func walk(_ directory: String, files: inout [String], notes: inout [String]) throws(InventoryError) {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      throw InventoryError(file: directory, path: "", reason: "cannot list the directory")
    }
    for name in names.sorted() where !name.hasPrefix(".") {
      let full = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      switch fileType(full) {
      case .typeDirectory?: try walk(full, files: &files, notes: &notes)
      case .typeRegular?, .typeSymbolicLink?:
        if name.lowercased().hasSuffix(".json") {
          files.append(full)
        } else {
          notes.append("\(full): skipped: not a .json file")
        }
      default: continue
      }
    }
  }

  /// The error for a decoding failure, with its JSON path.
  static func error(_ error: DecodingError, file: String) -> InventoryError {
    switch error {
    case .keyNotFound(let key, let context):
      return InventoryError(
        file: file, path: jsonPath(context.codingPath + [key]), reason: "required key is missing")
    case .typeMismatch(let type, let context):
      return InventoryError(file: file, path: jsonPath(context.codingPath), reason: "expected \(describe(type))")
    case .valueNotFound(let type, let context):
      return InventoryError(
        file: file, path: jsonPath(context.codingPath), reason: "expected \(describe(type)), found null")
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty {
        let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        return InventoryError(file: file, path: "", reason: "not valid JSON (\(Self.firstLine(detail)))")
      }
      return InventoryError(file: file, path: jsonPath(context.codingPath), reason: context.debugDescription)
    @unknown default:
      return InventoryError(file: file, path: "", reason: "\(error)")
    }
  }

  /// `SecurityGroups[2].IpPermissions[0].FromPort`.
  static func jsonPath(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : "." + key.stringValue
      }
    }
    return text
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is Double.Type: "a number"
    case is Bool.Type: "true or false"
    default:
      "\(type)".hasPrefix("Array") ? "a list" : "\(type)".hasPrefix("Dictionary") ? "an object" : "\(type)"
    }
  }

  private static func firstLine(_ text: String) -> String {
    String(text.split(separator: "\n").first ?? "")
  }
}

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The inventory (`--inventory`) a partial result was made with: where it came from and a
/// fingerprint of the files read, so that `flowlens merge --inventory` can check it is given the
/// same inventory and render with it. A state does not carry the inventory itself (it can be large,
/// and the merge needs it only to render).
public struct PartialInventory: Sendable, Hashable {
  /// The path given to `--inventory`, for messages.
  public var source: String
  /// ``fingerprint(files:)`` of the files read.
  public var fingerprint: String

  /// An inventory from `source` with fingerprint `fingerprint`.
  public init(source: String, fingerprint: String) {
    self.source = source
    self.fingerprint = fingerprint
  }

  /// Why an inventory file could not be read again for its fingerprint.
  public struct ReadError: Error, Sendable {
    /// The file that could not be read.
    public var file: String
  }

  /// A stable fingerprint of the inventory files `files` (in the order read, as
  /// ``InventoryLoader/Result/files`` lists them): FNV-1a (64 bits) over each file's length and
  /// bytes, in hexadecimal. It depends on the contents only, not on where the files are, so that
  /// the same inventory copied to every machine has the same fingerprint.
  public static func fingerprint(files: [String]) throws(ReadError) -> String {
    var bytes: [UInt8] = Array("inventory:".utf8)
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else { throw ReadError(file: file) }
      bytes += Array("\(data.count):".utf8)
      bytes += Array(data)
    }
    let hex = String(StateChecksum.fnv1a64(bytes), radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}

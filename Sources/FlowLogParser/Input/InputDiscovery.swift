/// Expands the inputs a user names into the files to read.
public enum InputDiscovery {
  /// What expanding the inputs found.
  public struct Result: Sendable {
    /// Files to read, in a stable order: as named, and sorted by path within each directory.
    public var files: [InputFile] = []
    /// Inputs that cannot be read at all (missing, unreadable, a loop), with the reason.
    public var errors: [(path: String, message: String)] = []
    /// Files found in directories and left out, with the reason (hidden files, links that are not regular files).
    public var skipped: [(path: String, reason: String)] = []
  }

  /// Expands `paths`: files as they are, directories walked recursively (following links, but
  /// never into the same directory twice), `-` as standard input. No paths means standard input.
  /// Each regular file is sniffed here, once (see ``InputFile/sniff``).
  public static func expand(_ paths: [String]) -> Result {
    var result = Result()
    if paths.isEmpty {
      result.files.append(.standardInput)
      return result
    }
    var visited = Set<DirectoryID>()
    for path in paths {
      if path == "-" {
        result.files.append(.standardInput)
        continue
      }
      let status: Syscalls.FileStatus
      do {
        status = try Syscalls.status(path)
      } catch {
        result.errors.append((path, error.message))
        continue
      }
      switch status.kind {
      case .directory:
        walk(path, into: &result, visited: &visited)
      case .regular:
        result.files.append(
          InputFile(path: path, size: status.size, foundInDirectory: false, sniff: InputSniff(path: path)))
      case .other:
        // A pipe or a device named on the command line: read as a stream, never sniffed ahead.
        result.files.append(InputFile(path: path, size: status.size, foundInDirectory: false))
      }
    }
    return result
  }

  private struct DirectoryID: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  private static func walk(_ directory: String, into result: inout Result, visited: inout Set<DirectoryID>) {
    let status: Syscalls.FileStatus
    let names: [String]
    do {
      status = try Syscalls.status(directory)
    } catch {
      result.errors.append((directory, error.message))
      return
    }
    guard visited.insert(DirectoryID(device: status.device, inode: status.inode)).inserted else {
      result.skipped.append((directory, "directory already visited (symbolic link loop)"))
      return
    }
    do {
      names = try Syscalls.directoryEntries(directory)
    } catch {
      result.errors.append((directory, error.message))
      return
    }
    let base = directory.hasSuffix("/") ? directory : directory + "/"
    for name in names.sorted() {
      let path = base + name
      if name.hasPrefix(".") {
        result.skipped.append((path, "hidden file"))
        continue
      }
      let entry: Syscalls.FileStatus
      do {
        entry = try Syscalls.status(path)
      } catch {
        result.errors.append((path, error.message))
        continue
      }
      if entry.kind == .directory {
        walk(path, into: &result, visited: &visited)
      } else if entry.kind != .regular {
        result.skipped.append((path, "not a regular file"))
      } else {
        result.files.append(
          InputFile(path: path, size: entry.size, foundInDirectory: true, sniff: InputSniff(path: path)))
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One input to read: a file, or standard input.
public struct InputFile: Sendable, Hashable {
  /// The path as given or found; `-` for standard input.
  public var path: String
  /// The size on disk when known (0 for standard input and pipes).
  public var size: UInt64
  /// True when the file was found by walking a directory, rather than named by the user.
  /// Such a file is skipped, with a note, when its content is plainly not a flow log.
  public var foundInDirectory: Bool

  /// Standard input.
  public static let standardInput = InputFile(path: "-", size: 0, foundInDirectory: false)

  /// An input at `path`.
  public init(path: String, size: UInt64, foundInDirectory: Bool) {
    self.path = path
    self.size = size
    self.foundInDirectory = foundInDirectory
  }

  /// True for standard input.
  public var isStandardInput: Bool { path == "-" }
}

/// Expands the inputs a user names into the files to read.
public enum InputDiscovery {
  /// What expanding the inputs found.
  public struct Result: Sendable {
    /// Files to read, in a stable order: as named, and sorted by path within each directory.
    public var files: [InputFile] = []
    /// Inputs that cannot be read at all (missing, unreadable, a loop), with the reason.
    public var errors: [(path: String, message: String)] = []
    /// Files found in directories and left out, with the reason (hidden files, Parquet objects).
    public var skipped: [(path: String, reason: String)] = []
  }

  /// Expands `paths`: files as they are, directories walked recursively (following links, but
  /// never into the same directory twice), `-` as standard input. No paths means standard input.
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
      var info = stat()
      guard stat(path, &info) == 0 else {
        result.errors.append((path, FileDescriptorSource.errnoText()))
        continue
      }
      if isDirectory(info) {
        walk(path, into: &result, visited: &visited)
      } else {
        result.files.append(InputFile(path: path, size: UInt64(max(0, info.st_size)), foundInDirectory: false))
      }
    }
    return result
  }

  private struct DirectoryID: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  private static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

  private static func walk(_ directory: String, into result: inout Result, visited: inout Set<DirectoryID>) {
    var info = stat()
    guard stat(directory, &info) == 0 else {
      result.errors.append((directory, FileDescriptorSource.errnoText()))
      return
    }
    let id = DirectoryID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    guard visited.insert(id).inserted else {
      result.skipped.append((directory, "directory already visited (symbolic link loop)"))
      return
    }
    guard let handle = opendir(directory) else {
      result.errors.append((directory, FileDescriptorSource.errnoText()))
      return
    }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    closedir(handle)
    let base = directory.hasSuffix("/") ? directory : directory + "/"
    for name in names.sorted() {
      let path = base + name
      if name.hasPrefix(".") {
        result.skipped.append((path, "hidden file"))
        continue
      }
      var entryInfo = stat()
      guard stat(path, &entryInfo) == 0 else {
        result.errors.append((path, FileDescriptorSource.errnoText()))
        continue
      }
      if isDirectory(entryInfo) {
        walk(path, into: &result, visited: &visited)
      } else if entryInfo.st_mode & S_IFMT != S_IFREG {
        result.skipped.append((path, "not a regular file"))
      } else if name.hasSuffix(".parquet") {
        result.skipped.append((path, "Parquet flow logs are not supported; deliver logs as text"))
      } else {
        result.files.append(InputFile(path: path, size: UInt64(max(0, entryInfo.st_size)), foundInDirectory: true))
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing a whole document to the path of an `-o` option without harming what is there.
///
/// - `-` is standard output.
/// - A regular file is replaced atomically: the document goes to a temporary file in the same
///   directory, which is synced and renamed over it, so a reader sees the old or the new file,
///   never half of one. It keeps the old file's permissions.
/// - A symbolic link is followed: its target gets the document and the link stays a link.
/// - A FIFO, a device or any other non-regular file is opened and written in place, never replaced;
///   `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` write to that open descriptor.
/// - A path that does not exist is created, atomically too.
public enum OutputFile {
  /// What to do when the path is an existing regular file.
  public enum Existing: Sendable {
    /// Replace it, atomically.
    case replace
    /// Refuse: `policy init` never overwrites a file.
    case keep
  }

  /// How a path is written, found by following its links.
  enum Placement: Equatable {
    case standardOutput
    /// An open file descriptor of this process, written as it is.
    case descriptor(Int32)
    /// A regular file, replaced through a temporary file and a rename; `mode` is its permissions.
    case replace(path: String, mode: mode_t)
    /// Nothing is there yet: created through a temporary file and a rename.
    case create(path: String)
    /// A FIFO, a device or the like: opened for writing and written in place.
    case inPlace(path: String)
  }

  /// Why a document could not be written.
  struct Failure: Error {
    /// The path the user gave, or what a link led to.
    var path: String
    var reason: String
    /// Set when the reason is a failed write, for the closed-pipe case.
    var writeError: WriteError?
  }

  /// Writes `text` to `path` (see ``OutputFile``); on failure says so on standard error, naming
  /// `what` ("the report") and the path, and exits with status 2 (a closed pipe ends quietly).
  public static func writeOrExit(_ text: String, to path: String, what: String, existing: Existing) {
    writeOrExit(bytes: Array(text.utf8), to: path, what: what, existing: existing)
  }

  /// Like ``writeOrExit(_:to:what:existing:)``, for bytes that are not text (a partial state).
  public static func writeOrExit(bytes: [UInt8], to path: String, what: String, existing: Existing) {
    do {
      try write(bytes: bytes, to: path, existing: existing)
    } catch {
      if let writeError = error.writeError, writeError.isClosedPipe { writeError.endRun(writing: path) }
      let named = path == "-" ? "standard output" : path
      let shown = error.path == path ? named : "\(named) (\(error.path))"
      StandardError.write("flowlens: \(TextEscaping.terminalSafe(shown)): cannot write \(what): \(error.reason)\n")
      exit(2)
    }
  }

  /// Writes `text` to `path` as ``OutputFile`` describes.
  static func write(_ text: String, to path: String, existing: Existing) throws(Failure) {
    try write(bytes: Array(text.utf8), to: path, existing: existing)
  }

  /// Writes `bytes` to `path` as ``OutputFile`` describes.
  static func write(bytes: [UInt8], to path: String, existing: Existing) throws(Failure) {
    let placement = try placement(of: path)
    switch placement {
    case .standardOutput:
      try writeAll(STDOUT_FILENO, bytes, path: path)
    case .descriptor(let fd):
      try writeAll(fd, bytes, path: path)
    case .inPlace(let target):
      let fd = open(target, O_WRONLY | O_CLOEXEC)
      guard fd >= 0 else { throw Failure(path: target, reason: String(cString: strerror(errno))) }
      defer { close(fd) }
      try writeAll(fd, bytes, path: target)
    case .replace(let target, let mode):
      if existing == .keep { throw Failure(path: target, reason: "it already exists; not overwritten") }
      try replaceAtomically(target, with: bytes, mode: mode, mustNotExist: false)
    case .create(let target):
      let mask = umask(0)
      umask(mask)
      try replaceAtomically(target, with: bytes, mode: 0o666 & ~mask, mustNotExist: existing == .keep)
    }
  }

  /// How `path` is written: its symbolic links followed one by one (so that a link to
  /// `/dev/stdout` is seen as such), at most 40 deep.
  static func placement(of path: String) throws(Failure) -> Placement {
    if path == "-" { return .standardOutput }
    var current = path
    for _ in 0..<40 {
      if let fd = descriptorNumber(current) { return .descriptor(fd) }
      var info = stat()
      guard lstat(current, &info) == 0 else {
        if errno == ENOENT { return .create(path: current) }
        throw Failure(path: current, reason: String(cString: strerror(errno)))
      }
      switch info.st_mode & S_IFMT {
      case S_IFLNK:
        current = try linkTarget(current)
      case S_IFREG:
        return .replace(path: current, mode: info.st_mode & 0o777)
      case S_IFDIR:
        throw Failure(path: current, reason: "it is a directory")
      default:
        return .inPlace(path: current)
      }
    }
    throw Failure(path: path, reason: String(cString: strerror(ELOOP)))
  }

  /// The descriptor a path names when it is one of this process's own (`/dev/stdout`,
  /// `/dev/fd/3`, `/proc/self/fd/3`, …): writing there must use that descriptor as it is (its
  /// offset, its append mode), not reopen the file behind it.
  static func descriptorNumber(_ path: String) -> Int32? {
    switch path {
    case "/dev/stdout": return STDOUT_FILENO
    case "/dev/stderr": return STDERR_FILENO
    default: break
    }
    for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"] where path.hasPrefix(prefix) {
      return Int32(path.dropFirst(prefix.count))
    }
    return nil
  }

  /// The path a symbolic link points to, relative to the link's directory when not absolute.
  private static func linkTarget(_ link: String) throws(Failure) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(link, &buffer, buffer.count - 1)
    guard count >= 0 else { throw Failure(path: link, reason: String(cString: strerror(errno))) }
    let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if target.hasPrefix("/") { return target }
    return directory(of: link) + "/" + target
  }

  /// The directory part of a path: "." for a bare name, "/" for a name in the root.
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let directory = path[..<slash]
    return directory.isEmpty ? "/" : String(directory)
  }

  /// Writes `bytes` to a new temporary file beside `target`, syncs it, and renames it over
  /// `target` (or, when `mustNotExist`, links it there, which fails if something appeared there
  /// in the meantime). The temporary file is removed on any failure.
  private static func replaceAtomically(
    _ target: String, with bytes: [UInt8], mode: mode_t, mustNotExist: Bool
  ) throws(Failure) {
    let name = target.split(separator: "/").last.map(String.init) ?? "output"
    var template = Array("\(directory(of: target))/.\(name).flowlens-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw Failure(
        path: target, reason: "cannot create a file in \(directory(of: target)): \(String(cString: strerror(errno)))")
    }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var closed = false
    do throws(Failure) {
      try writeAll(fd, bytes, path: target)
      fchmod(fd, mode)
      // A full disk or a failing device can report the error only here.
      guard fsync(fd) == 0 else { throw Failure(path: target, reason: String(cString: strerror(errno))) }
      closed = true
      guard close(fd) == 0 else { throw Failure(path: target, reason: String(cString: strerror(errno))) }
      if mustNotExist {
        guard link(temporary, target) == 0 else {
          throw Failure(
            path: target,
            reason: errno == EEXIST ? "it already exists; not overwritten" : String(cString: strerror(errno)))
        }
        unlink(temporary)
      } else {
        guard rename(temporary, target) == 0 else {
          throw Failure(path: target, reason: String(cString: strerror(errno)))
        }
      }
    } catch {
      if !closed { close(fd) }
      unlink(temporary)
      throw error
    }
  }

  private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
    do {
      try FlowLensOutput.writeAll(fd, bytes)
    } catch {
      throw Failure(path: path, reason: error.description, writeError: error)
    }
  }
}

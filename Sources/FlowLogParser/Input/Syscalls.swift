#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The system calls the reading side makes, in one place: each retried on `EINTR` and failing
/// with a ``SystemCallError`` that names the call. The rest of the module does not import the C
/// library for them.
enum Syscalls {
  /// A system call that failed: which one, and the `errno` it left.
  struct SystemCallError: Error, Sendable, Hashable {
    /// The call, as `read(2)` names it: `open`, `read`, `pread`, `stat`, `opendir`, `pthread_create`.
    var call: String
    /// The `errno` value.
    var code: Int32

    /// The system's text for the error (`No such file or directory`): what messages show, as
    /// they did before the call was named.
    var message: String { String(cString: strerror(code)) }

    /// The error of the call that just failed, from `errno`.
    static func last(_ call: String) -> SystemCallError { SystemCallError(call: call, code: errno) }
  }

  /// What `stat(2)` says about a path (following links).
  struct FileStatus: Sendable {
    /// What kind of file it is.
    enum Kind: Sendable { case regular, directory, other }
    var kind: Kind
    /// The size in bytes (0 when the system reports a negative size).
    var size: UInt64
    /// The device and inode, which identify a directory however it is reached.
    var device: UInt64
    var inode: UInt64
  }

  /// The descriptor of standard input.
  static let standardInput: Int32 = STDIN_FILENO

  /// The number of online processors (at least 1).
  static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// Opens `path` read-only (close-on-exec).
  static func openForReading(_ path: String) throws(SystemCallError) -> Int32 {
    while true {
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      if fd >= 0 { return fd }
      if errno != EINTR { throw .last("open") }
    }
  }

  /// Closes a descriptor opened for reading. A failure is not reported: nothing was written
  /// through it, so nothing can be lost, and the descriptor is released either way on Linux.
  static func close(_ fd: Int32) {
    #if canImport(Glibc)
      _ = Glibc.close(fd)
    #else
      _ = Darwin.close(fd)
    #endif
  }

  /// `read(2)` into `buffer`: the bytes read, 0 at the end of input.
  static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
    while true {
      #if canImport(Glibc)
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
      #else
        let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
      #endif
      if n >= 0 { return n }
      if errno != EINTR { throw .last("read") }
    }
  }

  /// `pread(2)` of `buffer.count` bytes at most from `offset`: the bytes read, 0 at the end of file.
  static func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(SystemCallError)
    -> Int
  {
    while true {
      #if canImport(Glibc)
        let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
      #else
        let n = Darwin.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
      #endif
      if n >= 0 { return n }
      if errno != EINTR { throw .last("pread") }
    }
  }

  /// `stat(2)` of `path`, following links.
  static func status(_ path: String) throws(SystemCallError) -> FileStatus {
    var info = stat()
    while stat(path, &info) != 0 {
      if errno != EINTR { throw .last("stat") }
    }
    let kind: FileStatus.Kind =
      switch info.st_mode & S_IFMT {
      case S_IFREG: .regular
      case S_IFDIR: .directory
      default: .other
      }
    return FileStatus(
      kind: kind, size: UInt64(max(0, info.st_size)), device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }

  /// The names in a directory, without `.` and `..`, in the order the system gives them.
  static func directoryEntries(_ path: String) throws(SystemCallError) -> [String] {
    guard let handle = opendir(path) else { throw .last("opendir") }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// A thread of its own running `body`, for work that blocks (reading ahead of a parser); joined
  /// with ``join(_:)``. Not a Dispatch worker: a blocked worker could starve the pool that the
  /// parallel reader runs on.
  static func startThread(_ body: @escaping @Sendable () -> Void) throws(SystemCallError) -> Thread {
    final class Box: Sendable {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body))
    #if canImport(Glibc)
      var handle = pthread_t()
    #else
      var handle: pthread_t?
    #endif
    let rc = pthread_create(
      &handle, nil,
      { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
      }, box.toOpaque())
    guard rc == 0 else {
      box.release()
      throw SystemCallError(call: "pthread_create", code: rc)
    }
    #if canImport(Glibc)
      return Thread(handle: handle)
    #else
      return Thread(handle: handle!)
    #endif
  }

  /// Waits for a thread started with ``startThread(_:)`` to end.
  static func join(_ thread: Thread) {
    _ = pthread_join(thread.handle, nil)
  }

  /// A thread started by ``startThread(_:)``.
  struct Thread {
    fileprivate let handle: pthread_t
  }
}

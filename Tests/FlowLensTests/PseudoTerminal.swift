import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pseudo-terminal for running the executable with a terminal as standard input or output, as
/// when a person runs it: `isatty` is true on the `terminal` end, and the test drives the
/// `controller` end (reads what is shown, types keys).
final class PseudoTerminal {
  /// The controlling side, kept by the test.
  let controller: Int32
  /// The terminal side, handed to the process; close it in the test once the process runs.
  let terminal: FileHandle

  init() throws {
    // Glibc's Swift module leaves out the pty functions (they need _XOPEN_SOURCE): look them up.
    typealias OpenFunction = @convention(c) (Int32) -> Int32
    typealias ControlFunction = @convention(c) (Int32) -> Int32
    typealias NameFunction = @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32
    func function<F>(_ name: String, as: F.Type) throws -> F {
      guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { throw POSIXError(.ENOSYS) }
      return unsafeBitCast(symbol, to: F.self)
    }
    let openController = try function("posix_openpt", as: OpenFunction.self)
    let grant = try function("grantpt", as: ControlFunction.self)
    let unlock = try function("unlockpt", as: ControlFunction.self)
    let terminalName = try function("ptsname_r", as: NameFunction.self)
    controller = openController(O_RDWR | O_NOCTTY)
    guard controller >= 0, grant(controller) == 0, unlock(controller) == 0 else { throw POSIXError(.ENODEV) }
    var name = [CChar](repeating: 0, count: 256)
    guard terminalName(controller, &name, name.count) == 0 else { throw POSIXError(.ENODEV) }
    let fd = open(
      String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), O_RDWR | O_NOCTTY)
    guard fd >= 0 else { throw POSIXError(.ENODEV) }
    terminal = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
  }

  deinit { close(controller) }

  /// Types `text` as if on the keyboard (Ctrl-D is "\u{4}").
  func type(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(controller, &bytes, bytes.count)
  }

  /// Everything shown on the terminal until every process has closed it (read on a thread, so
  /// that a process writing much never blocks).
  func startReading() -> () -> Data {
    let shown = CLI.LockedData()
    let controller = controller
    let reader = Thread {
      var data = Data()
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let n = read(controller, &buffer, buffer.count)
        if n <= 0 { break }  // EIO once no process has the terminal open
        data.append(contentsOf: buffer[..<n])
      }
      shown.set(data)
    }
    reader.start()
    return {
      while !shown.isSet { usleep(1000) }
      return shown.get()
    }
  }
}

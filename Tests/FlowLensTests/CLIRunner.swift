import Foundation
import Testing

/// Runs the built `flowlens` executable, as a user or script would.
enum CLI {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output parsed as one JSON object.
    func json() throws -> [String: Any] {
      try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }
  }

  /// The repository root, found from this file's path.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The executable next to the test bundle (SwiftPM builds it because the test target depends on it).
  static let executable: URL = {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
    ]
    for directory in candidates {
      let url = directory.appendingPathComponent("flowlens")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return root.appendingPathComponent(".build/debug/flowlens")
  }()

  /// The first of the sample's gzip objects (an S3 text flow log, header and records).
  static func sampleGzipObject() throws -> URL {
    let directory = root.appendingPathComponent("Fixtures/sample/AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/11/26")
    return try #require(
      FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().first.map {
        directory.appendingPathComponent($0)
      })
  }

  static func run(_ arguments: [String], stdin: Data? = nil) throws -> Output {
    try run(arguments, stdin: stdin, stdout: nil)
  }

  /// Runs the executable with standard output going to `stdout` (a file, a device, a terminal)
  /// instead of a pipe, when given (the returned `stdout` is then empty), standard input read
  /// from `stdinHandle` instead of `stdin`, when given, and in `directory` (default: the
  /// repository root). The handles are handed over: they are closed once the process has started.
  static func run(
    _ arguments: [String], stdin: Data? = nil, stdinHandle: FileHandle? = nil, stdout: FileHandle?,
    directory: URL? = nil
  ) throws -> Output {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? root
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = stdout ?? out
    process.standardError = err
    process.standardInput = stdinHandle ?? input
    try process.run()
    try? stdout?.close()
    try? stdinHandle?.close()
    if stdout != nil { try? out.fileHandleForWriting.close() }  // unused: read gets end of file
    // Write stdin and drain stdout/stderr concurrently so that no pipe fills up.
    let writer = Thread {
      if let stdin { input.fileHandleForWriting.write(stdin) }
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    let errData = LockedData()
    let errReader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    errReader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.isSet { usleep(1000) }
    return Output(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData.get(), as: UTF8.self))
  }

  /// A new empty directory under the temporary directory; the caller removes it.
  static func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data ?? Data() } }
    var isSet: Bool { lock.withLock { data != nil } }
  }
}

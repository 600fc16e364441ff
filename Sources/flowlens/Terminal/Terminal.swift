#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether the standard streams are terminals: output for people, or input typed by them.
enum Terminal {
  static var isStandardOutput: Bool { isatty(STDOUT_FILENO) == 1 }
  static var isStandardInput: Bool { isatty(STDIN_FILENO) == 1 }
}

import ArgumentParser
import FlowLensOutput
import FlowStats

extension PolicyLoader {
  /// The policy in the file at `path`, or the built-in policy when `path` is nil. A file that
  /// cannot be read or parsed is reported on standard error and exits with 2.
  static func loadOrExit(path: String?) throws -> Policy {
    do {
      return try load(path: path)
    } catch {
      StandardError.write("flowlens: \(error.description)\n")
      throw ExitCode(2)
    }
  }
}

extension PartialPolicy {
  /// The policy of `--policy path` with its text, for a partial state; a file that cannot be read
  /// is reported and exits with 2.
  static func loadOrExit(path: String?) throws -> PartialPolicy {
    do {
      return try load(path: path)
    } catch {
      StandardError.write("flowlens: \(error.description)\n")
      throw ExitCode(2)
    }
  }
}

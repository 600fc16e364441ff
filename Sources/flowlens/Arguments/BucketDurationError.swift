/// A `--bucket` value that is not a duration.
struct BucketDurationError: Error, CustomStringConvertible {
  /// The value given.
  var text: String

  var description: String {
    "'\(text)' is not a duration: give a whole number of at least 1 followed by s, m, h or d (30s, 5m, 1h, 1d)"
  }
}

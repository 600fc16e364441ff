/// Numbers written for people, the same way in every output (text, Markdown, HTML, and the
/// sentences of findings that JSON carries): counts with thousands separators, nouns that agree
/// with their count, and byte sizes in one unit system (binary: KiB, MiB, GiB).
public enum Quantity {
  /// 1234567 → "1,234,567".
  public static func count<T: BinaryInteger>(_ value: T) -> String {
    let digits = String(value.magnitude)
    var out = value < 0 ? "-" : ""
    for (index, c) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return out
  }

  /// The noun for `value` things: `singular` for exactly one, else `plural` (by default the
  /// singular with an "s"): 1 → "record", 0 or 2 → "records".
  public static func noun<T: BinaryInteger>(_ value: T, _ singular: String, plural: String? = nil) -> String {
    value == 1 ? singular : plural ?? singular + "s"
  }

  /// The count and its noun: "1 record", "1,234 records", "0 replies" (with `plural: "replies"`).
  public static func counted<T: BinaryInteger>(_ value: T, _ singular: String, plural: String? = nil) -> String {
    "\(count(value)) \(noun(value, singular, plural: plural))"
  }

  /// A byte size in binary units: "0 B", "512 B", "1.5 KiB", "1.9 GiB".
  ///
  /// Below 1 KiB the exact count is written; above it, one decimal of the largest unit the value
  /// reaches, so a size is never written as "0.0" of anything, and a value that rounds up to 1024
  /// of a unit is written as 1.0 of the next ("1.0 MiB", not "1024.0 KiB").
  public static func bytes(_ value: UInt64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    if value < 1024 { return "\(value) B" }
    var unit = 1
    var scaled = Double(value) / 1024
    while scaled >= 1024 && unit < units.count - 1 {
      scaled /= 1024
      unit += 1
    }
    var tenths = Int((scaled * 10).rounded())
    if tenths >= 10_240 && unit < units.count - 1 {
      unit += 1
      tenths = Int((scaled / 1024 * 10).rounded())
    }
    return "\(tenths / 10).\(tenths % 10) \(units[unit])"
  }
}

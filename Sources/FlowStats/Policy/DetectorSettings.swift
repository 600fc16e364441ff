/// Thresholds and switches of the built-in detectors, the `detectors` section of a policy. Every
/// detector is on by default. Each detector's settings type and its YAML reading are in the
/// detector's `<Name>Detector+Policy.swift`.
public struct DetectorSettings: Sendable, Hashable {
  public var portScan = PortScan()
  public var naclReturn = NACLReturn()
  public var natEndpoint = NATEndpoint()
  public var privateEgress = PrivateEgress()
  public var coverageGap = CoverageGap()

  public init() {}

  /// The sections of `detectors`, in the order they are read and listed in messages. Registering
  /// a detector's settings is a stored property above and a line here.
  static var sections: [DetectorSettingsSection] {
    [.init(\.portScan), .init(\.naclReturn), .init(\.natEndpoint), .init(\.privateEgress), .init(\.coverageGap)]
  }
}

/// A named set of addresses.
public struct NamedNetwork: Sendable, Hashable {
  public var name: String
  public var addresses: AddressSet

  public init(name: String, addresses: AddressSet) {
    self.name = name
    self.addresses = addresses
  }
}

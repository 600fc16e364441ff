import FlowLogParser

extension FilterExpression {
  /// What the expression comes to when only the fields in `seen` can carry values (a primitive
  /// on fields outside it is false for every record): false when it can match no record, true
  /// when it matches every one, nil when it depends on the record.
  public func constantValue(fieldsSeen seen: FieldSet) -> Bool? {
    switch self {
    case .primitive(let primitive, _):
      return primitive.fields.contains(where: seen.contains) ? nil : false
    case .not(let x):
      return x.constantValue(fieldsSeen: seen).map(!)
    case .and(let a, let b):
      let (x, y) = (a.constantValue(fieldsSeen: seen), b.constantValue(fieldsSeen: seen))
      if x == false || y == false { return false }
      return x == true && y == true ? true : nil
    case .or(let a, let b):
      let (x, y) = (a.constantValue(fieldsSeen: seen), b.constantValue(fieldsSeen: seen))
      if x == true || y == true { return true }
      return x == false && y == false ? false : nil
    }
  }

  /// The primitives, with their columns, that read only fields outside `seen`, in writing order.
  public func primitivesWithoutFields(_ seen: FieldSet) -> [(primitive: FilterPrimitive, column: Int)] {
    switch self {
    case .primitive(let primitive, let column):
      return primitive.fields.contains(where: seen.contains) ? [] : [(primitive, column)]
    case .not(let x): return x.primitivesWithoutFields(seen)
    case .and(let a, let b), .or(let a, let b): return a.primitivesWithoutFields(seen) + b.primitivesWithoutFields(seen)
    }
  }
}

extension FilterPrimitive: CustomStringConvertible {
  /// The primitive written in the grammar's words: `src net 10.0.0.0/8`, `bytes >= 1000`.
  public var description: String {
    switch self {
    case .host(let side, let address): "\(side.prefix)host \(address)"
    case .net(let side, let cidr): "\(side.prefix)net \(cidr)"
    case .namedNet(let side, let name): "\(side.prefix)net @\(name)"
    case .port(let side, let range):
      "\(side.prefix)port \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)")"
    case .proto(let number): "proto \(number)"
    case .action(let action): "action \(action.name.lowercased())"
    case .status(let status): "status \(status.name.lowercased())"
    case .interface(let id): "interface \(id)"
    case .text(let field, let value):
      switch field {
      case .accountID: "account \(value)"
      case .vpcID: "vpc \(value)"
      case .subnetID: "subnet \(value)"
      case .instanceID: "instance \(value)"
      case .flowDirection: "direction \(value)"
      default: "\(field.name) \(value)"
      }
    case .service(let side, let name): "\(side.prefix)service \(name)"
    case .count(let field, let comparison, let value): "\(field.name) \(comparison.rawValue) \(value)"
    case .endsAtOrAfter(let time): "--since \(UTCTime.isoText(time))"
    case .startsBefore(let time): "--until \(UTCTime.isoText(time))"
    }
  }
}

extension FilterSide {
  fileprivate var prefix: String {
    switch self {
    case .source: "src "
    case .destination: "dst "
    case .either: ""
    }
  }
}

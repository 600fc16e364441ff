// swift-tools-version: 6.0
// libFuzzer targets, in a package of their own: they have no `main` (libFuzzer provides it), so
// they cannot live beside the root package's normal build. Run them with scripts/fuzz.sh.
import PackageDescription

let fuzzSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .unsafeFlags(["-parse-as-library"]),
]

let package = Package(
  name: "flowlens-fuzz",
  dependencies: [.package(name: "flowlens", path: "..")],
  targets: [
    // The record decoder over arbitrary bytes, with a differential oracle.
    .executableTarget(
      name: "FuzzRecord",
      dependencies: [.product(name: "FlowLogParser", package: "flowlens")],
      swiftSettings: fuzzSettings),
    // The whole reader over arbitrary (compressed or plain) input, with accounting invariants.
    .executableTarget(
      name: "FuzzReader",
      dependencies: [
        .product(name: "FlowLogParser", package: "flowlens"), .product(name: "FlowStats", package: "flowlens"),
      ],
      swiftSettings: fuzzSettings),
    // The Parquet reader over arbitrary bytes framed as Parquet, with accounting invariants.
    .executableTarget(
      name: "FuzzParquet",
      dependencies: [
        .product(name: "FlowLogParser", package: "flowlens"), .product(name: "FlowStats", package: "flowlens"),
      ],
      swiftSettings: fuzzSettings),
    // The --where parser and filter over arbitrary text, with a negation oracle.
    .executableTarget(
      name: "FuzzFilter",
      dependencies: [
        .product(name: "FlowLogParser", package: "flowlens"), .product(name: "FlowStats", package: "flowlens"),
      ],
      swiftSettings: fuzzSettings),
    // A partial state's payload over arbitrary bytes: decoded, merged and reported, never a crash.
    .executableTarget(
      name: "FuzzState",
      dependencies: [
        .product(name: "FlowLogParser", package: "flowlens"), .product(name: "FlowStats", package: "flowlens"),
      ],
      swiftSettings: fuzzSettings),
    // The policy parser over arbitrary text.
    .executableTarget(
      name: "FuzzPolicy",
      dependencies: [.product(name: "FlowStats", package: "flowlens")],
      swiftSettings: fuzzSettings),
  ]
)

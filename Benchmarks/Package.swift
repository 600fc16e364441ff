// swift-tools-version: 6.1
// A separate package, as swift-nio does it: the benchmark dependencies (ordo-one/benchmark and its
// ~2 minute first build) and tools-version 6.1 stay out of the root package and its tests. CI builds
// it for scripts/check-benchmark-thresholds.sh (malloc counts against Thresholds/).
import PackageDescription

let strictSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6)
]

let package = Package(
  name: "flowlens-benchmarks",
  products: [
    .library(name: "FlowLogGenerator", targets: ["FlowLogGenerator"]),
    .executable(name: "flowlog-gen", targets: ["flowlog-gen"]),
    .executable(name: "parse-file", targets: ["parse-file"]),
  ],
  dependencies: [
    .package(name: "flowlens", path: ".."),
    // Only the MallocInterposer trait: the default RuntimeInterposer trait pulls in
    // ordo-one/swift-runtime-interposer on Linux with Swift 6.3, which the local mirror lacks.
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // Deterministic synthetic flow log text with its own expected totals (never uses the parser).
    .target(
      name: "FlowLogGenerator",
      swiftSettings: strictSettings),
    // `flowlog-gen`: writes generated logs to a file or standard output.
    .executableTarget(
      name: "flowlog-gen",
      dependencies: [
        "FlowLogGenerator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSettings),
    // `parse-file`: parses whole files on one core into a counting sink; throughput and peak RSS.
    .executableTarget(
      name: "parse-file",
      dependencies: [.product(name: "FlowLogParser", package: "flowlens")],
      swiftSettings: strictSettings),
    // `swift package benchmark`: parser throughput, allocations and memory.
    .executableTarget(
      name: "ParserBenchmarks",
      dependencies: [
        "FlowLogGenerator",
        .product(name: "FlowLogParser", package: "flowlens"),
        .product(name: "FlowStats", package: "flowlens"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/ParserBenchmarks",
      swiftSettings: strictSettings,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)

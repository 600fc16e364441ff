// swift-tools-version: 6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6)
]

let package = Package(
  name: "flowlens",
  products: [
    .library(name: "FlowLogParser", targets: ["FlowLogParser"]),
    .library(name: "FlowStats", targets: ["FlowStats"]),
    .library(name: "FlowLensOutput", targets: ["FlowLensOutput"]),
    .executable(name: "flowlens", targets: ["flowlens"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
  ],
  targets: [
    // System libraries: thin module maps over the C decompressors.
    .systemLibrary(
      name: "CZstd", pkgConfig: "libzstd",
      providers: [.apt(["libzstd-dev"]), .brew(["zstd"]), .yum(["libzstd-devel"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"]), .yum(["zlib-devel"])]),
    // Intel ISA-L's inflate: about three times zlib's speed on gzip flow logs (measured with igzip).
    .systemLibrary(
      name: "CIsal", pkgConfig: "libisal",
      providers: [.apt(["libisal-dev"]), .brew(["isa-l"]), .yum(["isa-l-devel"])]),

    // Snappy, for Parquet pages (Debian's libsnappy-dev).
    .systemLibrary(
      name: "CSnappy", pkgConfig: "snappy",
      providers: [.apt(["libsnappy-dev"]), .brew(["snappy"]), .yum(["snappy-devel"])]),

    // What Swift cannot say itself (a prefetch hint), as static inline C that compiles into the caller.
    .target(name: "CIntrinsics"),

    // Bytes in, records out.
    .target(
      name: "FlowLogParser",
      dependencies: ["CZstd", "CZlib", "CIsal", "CSnappy"],
      swiftSettings: strictSettings),
    // Everything computed from records: summaries, policy, findings.
    .target(
      name: "FlowStats",
      dependencies: [
        "FlowLogParser", "CIntrinsics", .product(name: "Yams", package: "Yams"),
        .product(name: "HeapModule", package: "swift-collections"),
      ],
      // The registry the detectors' wiring is generated from (scripts/generate-detector-wiring.py).
      exclude: ["Audit/detectors.list"],
      swiftSettings: strictSettings),
    // Reports and records as bytes: text, JSON, CSV, Markdown, HTML, and the checked writes that
    // put them on standard output or in a file.
    .target(
      name: "FlowLensOutput",
      dependencies: ["FlowLogParser", "FlowStats"],
      swiftSettings: strictSettings),
    // The command-line tool: argument parsing, and running the libraries.
    .executableTarget(
      name: "flowlens",
      dependencies: [
        "FlowLogParser", "FlowStats", "FlowLensOutput",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSettings),

    .testTarget(
      name: "FlowLogParserTests",
      dependencies: ["FlowLogParser", "CZlib", "CZstd"],
      swiftSettings: strictSettings),
    .testTarget(
      name: "FlowStatsTests",
      dependencies: ["FlowStats", "FlowLogParser"],
      swiftSettings: strictSettings),
    .testTarget(
      name: "FlowLensTests",
      dependencies: ["flowlens", "FlowLensOutput", "FlowStats", "FlowLogParser"],
      resources: [],
      swiftSettings: strictSettings),
  ]
)

// swift-tools-version:6.1
import PackageDescription

// Upcoming features on for every target: `any` spelled out keeps executor existentials
// visible at call sites, and member import visibility stops Core from silently using
// symbols another module re-exports.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "cruddur",
  // Linux only, said plainly (README): process groups, /proc, runuser and Debian's
  // PostgreSQL paths are Linux's; no macOS platform is claimed.
  products: [
    .executable(name: "cruddur", targets: ["cruddur"]),
    .library(name: "CruddurCore", targets: ["CruddurCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    // A test oracle only (CruddurCoreTests): the core reads YAML with libyaml directly.
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // libpq's header (libpq-dev) at build time; the library itself is dlopen'ed on first use
    // (see LibPQLoader.c) so commands that never connect do not pay for loading it.
    .target(
      name: "CLibPQ",
      cSettings: [.unsafeFlags(["-I/usr/include/postgresql"])],
      linkerSettings: [.linkedLibrary("dl")]
    ),
    // libyaml's event parser, read directly: the core builds its own located node tree.
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    .target(
      name: "CruddurCore",
      dependencies: ["CYAML"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CruddurShell",
      dependencies: ["CruddurCore"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CruddurPostgres",
      dependencies: ["CruddurCore", "CruddurShell", "CLibPQ"],
      swiftSettings: swiftSettings + [.unsafeFlags(["-Xcc", "-I/usr/include/postgresql"])]
    ),
    .target(
      name: "CruddurOutput",
      dependencies: ["CruddurCore"],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "cruddur",
      dependencies: [
        "CruddurCore", "CruddurShell", "CruddurPostgres", "CruddurOutput",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CruddurTestSupport",
      dependencies: ["CruddurCore", "CruddurPostgres", "CruddurShell"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurCoreTests",
      dependencies: [
        "CruddurCore", .product(name: "PropertyBased", package: "swift-property-based"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurPostgresTests",
      // `cruddur`: the loader tests run the built binary.
      dependencies: ["CruddurPostgres", "CruddurCore", "CruddurTestSupport", "cruddur"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurShellTests",
      dependencies: ["CruddurShell", "CruddurCore", "CruddurTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurOutputTests",
      dependencies: ["CruddurOutput", "CruddurCore", "CruddurTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurCLITests",
      dependencies: [
        "cruddur", "CruddurTestSupport", "CruddurCore", "CruddurPostgres", "CruddurShell",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
  ]
)

// swift-tools-version:6.1
import PackageDescription

// Upcoming features on for every target: `any` spelled out keeps executor existentials
// visible at call sites, and member import visibility stops Core from silently using
// symbols another module re-exports.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  // Concrete generic metadata (`[String: TaskDefinition]`, `Set<String>`...) through its
  // accessor, which passes the witness tables it needs, instead of by mangled name, which
  // the runtime demangles and checks with protocol-conformance scans over the whole
  // static binary: about 1 M instructions of every start-up (issue 18, item 8).
  .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
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
    // PostgreSQL 15's grammar (libpg-query-dev): its header at build time, the library
    // dlopen'ed on first use (see PgQueryLoader.c), so only a protected run parses.
    .target(name: "CPgQuery", linkerSettings: [.linkedLibrary("dl")]),
    // SHA-256 through libcrypto, dlopen'ed on first use (see Digest.c).
    .target(name: "CDigest", linkerSettings: [.linkedLibrary("dl")]),
    .target(
      name: "CruddurDigest",
      dependencies: ["CDigest"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CruddurCore",
      dependencies: ["CYAML", "CruddurDigest"],
      swiftSettings: swiftSettings
    ),
    // The glibc functions Swift's Glibc module hides (they need _GNU_SOURCE), in C rather
    // than redeclared in Swift with the Swift calling convention.
    .target(name: "CProcessSpawn"),
    // The one place that starts processes: shell steps, plugins, psql and the embedded
    // server's programs all go through it, so each gets its own process group and no
    // executor module needs another executor module to spawn.
    .target(
      name: "CruddurProcess",
      dependencies: ["CruddurCore", "CProcessSpawn"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CruddurShell",
      dependencies: ["CruddurCore", "CruddurProcess"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CruddurPostgres",
      dependencies: ["CruddurCore", "CruddurProcess", "CLibPQ", "CPgQuery", "CruddurDigest", "CruddurSession"],
      swiftSettings: swiftSettings + [.unsafeFlags(["-Xcc", "-I/usr/include/postgresql"])]
    ),
    // Passwords from where teams keep them (RDS IAM tokens, Secrets Manager, SSM, a
    // command), fetched at connect time; only the composition knows it.
    .target(
      name: "CruddurCredentials",
      dependencies: ["CruddurCore", "CruddurProcess", "CruddurDigest"],
      swiftSettings: swiftSettings
    ),
    // A run as a value: consent, the guards executors contribute (the Postgres run lock),
    // the runner, after-success hooks and one exit status; signals enter here. No Postgres
    // and no argument parser, so its tests run in-process.
    .target(
      name: "CruddurSession",
      dependencies: ["CruddurCore", "CruddurProcess"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "CruddurOutput",
      dependencies: ["CruddurCore"],
      swiftSettings: swiftSettings
    ),
    // The command line as data (commands, the option table) and the one parser, help,
    // usage errors and shell completion read from it; no Postgres, no processes.
    .target(
      name: "CruddurCommandLine",
      dependencies: ["CruddurCore"],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "cruddur",
      dependencies: [
        "CruddurCore", "CruddurProcess", "CruddurShell", "CruddurPostgres", "CruddurOutput",
        "CruddurCredentials", "CruddurSession", "CruddurCommandLine",
      ],
      swiftSettings: swiftSettings,
      // Start-up of the release binary (bench/startup.sh; issue 18): lld writes the ~80,000
      // relative relocations of the static runtime packed (RELR: 16 KB instead of 1.9 MB of
      // RELA), and libstdc++ and libgcc are linked in (link/static-libstdc++ holds a linker
      // script named libstdc++.so that picks the .a) instead of loaded, whose own symbol
      // relocations cost ld.so 2.3 M instructions of `list`'s 14.3 M. Still a PIE (ASLR).
      linkerSettings: [
        .unsafeFlags(
          [
            "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-L", Context.packageDirectory + "/link/static-libstdc++", "-Xclang-linker",
            "-static-libgcc",
          ], .when(configuration: .release))
      ]
    ),
    .target(
      name: "CruddurTestSupport",
      dependencies: ["CruddurCore", "CruddurPostgres", "CruddurProcess"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurCoreTests",
      dependencies: [
        "CruddurCore", "CruddurDigest", .product(name: "PropertyBased", package: "swift-property-based"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurPostgresTests",
      // `cruddur`: the loader tests run the built binary.
      dependencies: ["CruddurPostgres", "CruddurCore", "CruddurDigest", "CruddurTestSupport", "cruddur"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurProcessTests",
      dependencies: ["CruddurProcess", "CruddurCore", "CruddurTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurCredentialsTests",
      // `cruddur`: the end-to-end tests run the built binary against moto_server.
      dependencies: [
        "CruddurCredentials", "CruddurCore", "CruddurDigest", "CruddurProcess", "CruddurTestSupport", "cruddur",
      ],
      swiftSettings: swiftSettings
    ),
    // In-process: consent, guards, the runner, hooks and the exit status, with tiny
    // executors and fake guards; no Postgres and no binary.
    .testTarget(
      name: "CruddurSessionTests",
      dependencies: ["CruddurSession", "CruddurCore"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "CruddurShellTests",
      dependencies: ["CruddurShell", "CruddurCore"],
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
        "cruddur", "CruddurTestSupport", "CruddurCore", "CruddurPostgres", "CruddurProcess", "CruddurCommandLine",
        "CruddurOutput",
      ],
      swiftSettings: swiftSettings
    ),
  ]
)

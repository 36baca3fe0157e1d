import Foundation
import Testing

/// Only `main` ends the process: no library target (every target in Package.swift but the
/// executable and the tests, C shims included) calls exit, abort, fatalError or a trap, so
/// a library's failure reaches the caller as a value and the CLI picks the message and the
/// exit status. The target list is read from Package.swift, so a target added later is
/// checked too.
@Suite struct ProcessEndingCallTests {
  /// The calls that end the process, in Swift or C, outside comments and string literals;
  /// `status.exit(` (a member of some other type) is not one, `Glibc.exit(` is.
  static let pattern = try! NSRegularExpression(
    pattern:
      #"(?:(?<![\w.])|(?<=\bGlibc\.)|(?<=\bFoundation\.))(exit|_exit|_Exit|quick_exit|abort|fatalError|preconditionFailure|__builtin_trap)\s*\("#
  )

  /// Each exception with why it cannot be a value, keyed by "path: call". Adding one needs
  /// a reason a reviewer accepts.
  static let allowed: [String: String] = [
    "Sources/CLibPQ/LibPQLoader.c: __builtin_trap":
      "a forwarder reached before LibPQ.load() is a programming error (every Swift entry to libpq, Connection, ConnInfoParser and LocalCluster's ping, loads first); libpq's own signatures leave no value to report it in",
    "Sources/CPgQuery/PgQueryLoader.c: __builtin_trap":
      "as LibPQLoader's: a forwarder reached before SQLParser.load() is a programming error (SQLParser loads first and reports a missing libpg_query as a value); pg_query's signatures leave no value to report it in",
    "Sources/CruddurTestSupport/TestCluster.swift: fatalError":
      "test support, in no product: `TestCluster.required` outside a `.postgresCluster` suite is a mistake in the test itself",
  ]

  @Test("no library target calls exit, abort, fatalError or a trap (allow-list with reasons)")
  func librariesNeverEndTheProcess() throws {
    let manifest = try PackageManifest(contentsOf: DeclaredDependencyTests.root + "/Package.swift")
    let libraries = manifest.targets.filter { $0.kind == "target" }
    // The ones this test must cover to mean anything.
    #expect(
      Set(["CruddurCore", "CruddurDigest", "CDigest", "CLibPQ", "CProcessSpawn", "CruddurPostgres"])
        .isSubset(of: libraries.map(\.name)))
    var found: [String] = []
    var used: Set<String> = []
    for target in libraries {
      let directory = target.path ?? "Sources/" + target.name
      for (path, source) in try Self.sources(in: directory) {
        for call in Self.processEndingCalls(in: source) {
          let key = "\(path): \(call.name)"
          if Self.allowed[key] != nil {
            used.insert(key)
          } else {
            found.append("\(path):\(call.line): \(call.name)(")
          }
        }
      }
    }
    #expect(found == [], "only main may end the process; report the error as a value instead")
    // An exception no longer needed is removed, so the list stays the exact truth.
    #expect(used == Set(Self.allowed.keys))
  }

  @Test("the scanner finds a call in code and none in comments, strings or other types' members")
  func scannerCanFail() {
    let source = """
      // exit(1) in a comment
      let text = "abort() in a string"
      status.exit(2)
      /* fatalError("x") */
      if bad { Glibc.exit(1) }
        fatalError("really")
      """
    #expect(
      Self.processEndingCalls(in: source).map { "\($0.line) \($0.name)" } == [
        "5 exit", "6 fatalError",
      ])
  }

  /// Repository-relative path and text of every Swift and C file under `directory`.
  static func sources(in directory: String) throws -> [(String, String)] {
    let root = DeclaredDependencyTests.root + "/"
    guard let walker = FileManager.default.enumerator(atPath: root + directory) else { return [] }
    return try walker.compactMap { $0 as? String }
      .filter { [".swift", ".c", ".h"].contains(where: $0.hasSuffix) }.sorted()
      .map {
        (
          directory + "/" + $0,
          try String(contentsOfFile: root + directory + "/" + $0, encoding: .utf8)
        )
      }
  }

  /// The process-ending calls in code (C's comments and strings are blanked like Swift's).
  static func processEndingCalls(in source: String) -> [(line: Int, name: String)] {
    let code = SwiftCode.blanking(source, strings: true)
    let text = code as NSString
    return pattern.matches(in: code, range: NSRange(location: 0, length: text.length)).map {
      match in
      let line = text.substring(to: match.range.location).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
      return (line, text.substring(with: match.range(at: 1)))
    }
  }
}

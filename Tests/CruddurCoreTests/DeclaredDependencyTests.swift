import Foundation
import Testing

/// Every target in Package.swift imports exactly the package modules it declares: nothing
/// used through another target's dependencies, nothing declared and unused. The target list
/// and each dependency list are read from Package.swift itself, so a target added later is
/// checked too.
@Suite struct DeclaredDependencyTests {
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  @Test("Package.swift is read: every target with its dependencies")
  func manifestIsRead() throws {
    let targets = try PackageManifest(contentsOf: Self.root + "/Package.swift").targets
    let names = targets.map(\.name)
    // The ones this test relies on to mean anything; the others are whatever the file says.
    #expect(names.contains("CruddurCore") && names.contains("CruddurCoreTests") && names.contains("cruddur"))
    #expect(Set(names).count == names.count, "a target named twice: \(names)")
    let cli = try #require(targets.first { $0.name == "CruddurCLITests" })
    #expect(cli.kind == "testTarget")
    #expect(cli.dependencies.contains("cruddur"))
  }

  @Test("the import lines of each target name exactly its declared package dependencies")
  func importsMatchDeclarations() throws {
    let manifest = try PackageManifest(contentsOf: Self.root + "/Package.swift")
    let problems = try manifest.targets.flatMap { try Self.problems(of: $0, in: manifest) }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// What is wrong with one target's declaration; empty when it matches its sources.
  static func problems(of target: PackageManifest.Target, in manifest: PackageManifest) throws -> [String] {
    let directory = root + "/" + (target.path ?? (target.kind == "testTarget" ? "Tests/" : "Sources/") + target.name)
    // Code only: an `import` line or a type name in a comment or a sample string is none.
    let sources = try swiftSources(in: directory).map { SwiftCode.blanking($0, strings: true) }
    // A C target (or a system library) has no Swift imports to compare.
    guard !sources.isEmpty else { return [] }
    let imported = Set(sources.flatMap { importedModules($0) })
      .intersection(manifest.modules).subtracting([target.name])
    let declared = Set(target.dependencies)
    var problems: [String] = []
    for module in imported.subtracting(declared).sorted() {
      problems.append("\(target.name) imports \(module) but does not declare it")
    }
    // An executable is a dependency of the tests that run it (`CruddurBinary`), not a
    // module they must import; a test target that runs it must declare it, for SwiftPM to
    // build it first.
    let executables = Set(manifest.targets.filter { $0.kind == "executableTarget" }.map(\.name))
    let runsBinary = target.kind == "testTarget" && sources.contains { $0.contains("CruddurBinary") || $0.contains("TemporaryProject") }
    for module in declared.subtracting(imported).sorted() where !(executables.contains(module) && runsBinary) {
      problems.append("\(target.name) declares \(module) but never imports it")
    }
    if runsBinary {
      for executable in executables.subtracting(declared).sorted() {
        problems.append("\(target.name) runs the `\(executable)` binary but does not depend on it")
      }
    }
    return problems
  }

  static func swiftSources(in directory: String) throws -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    return try walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
      .map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
  }

  /// The modules a Swift file imports, in any form (`@testable`, `internal import`,
  /// `import struct M.T`), also inside `#if canImport(...)`.
  static func importedModules(_ source: String) -> [String] {
    let pattern =
      #"(?m)^[ \t]*(?:@testable[ \t]+|@_exported[ \t]+|@_implementationOnly[ \t]+|(?:public|package|internal|fileprivate|private)[ \t]+)*import[ \t]+(?:(?:struct|class|enum|protocol|typealias|func|let|var)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)"#
    let regex = try! NSRegularExpression(pattern: pattern)
    let text = source as NSString
    return regex.matches(in: source, range: NSRange(location: 0, length: text.length)).map {
      text.substring(with: $0.range(at: 1))
    }
  }

  @Test("the import reader sees every spelling and the manifest reader every dependency form")
  func readers() throws {
    let source = """
      import Foundation
      @testable import cruddur
      internal import CYAML
        import struct CruddurCore.SourceLocation
      #if canImport(Glibc)
        import Glibc
      #endif
      // import NotThis
      /*
      import NorThis
      */
      let x = "import NorThat"
      """
    #expect(
      Self.importedModules(SwiftCode.blanking(source, strings: true))
        == ["Foundation", "cruddur", "CYAML", "CruddurCore", "Glibc"])
    let manifest = try PackageManifest(
      text: """
        // .target(name: "Commented", dependencies: ["Nope"]),
        let package = Package(
          name: "p",
          dependencies: [.package(url: "https://example.com/a", from: "1.0.0")],
          targets: [
            .target(name: "A", dependencies: [/* "Nope" */]),
            .target(
              name: "B",
              dependencies: [
                "A", .target(name: "C"), .byName(name: "D"),
                .product(name: "P", package: "a", condition: .when(platforms: [.linux])),
              ],
              path: "Sources/Bee"
            ),
            .testTarget(name: "BTests", dependencies: ["B"]),
          ]
        )
        """)
    #expect(manifest.targets.map(\.name) == ["A", "B", "BTests"])
    #expect(manifest.targets[1].dependencies == ["A", "C", "D", "P"])
    #expect(manifest.targets[1].path == "Sources/Bee")
    #expect(manifest.targets[0].dependencies == [])
    #expect(manifest.modules == ["A", "B", "BTests", "C", "D", "P"])
  }
}

import CruddurTestSupport
import Foundation
import Testing

/// One folder per bad configuration under Tests/Fixtures/bad, each with the exact stderr and
/// exit status the real binary must produce (`expected.txt`, rewritten by `regen.sh`).
@Suite struct BadConfigGoldenTests {
  static let root = RepositoryFiles.root + "/Tests/Fixtures/bad"

  static var cases: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
      .filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/expected.txt") }
      .sorted()
  }

  @Test("there are at least 60 bad configurations") func count() {
    #expect(Self.cases.count >= 60)
  }

  @Test("the binary prints exactly the expected error", arguments: cases)
  func golden(_ name: String) async throws {
    let directory = Self.root + "/" + name
    let expected = try String(contentsOfFile: directory + "/expected.txt", encoding: .utf8)
    var arguments = ["validate"]
    if let text = try? String(contentsOfFile: directory + "/args", encoding: .utf8) {
      arguments = text.split(separator: "\n").map(String.init)
    }
    var environment: [String: String] = [:]
    if let text = try? String(contentsOfFile: directory + "/env", encoding: .utf8) {
      for line in text.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2 { environment[parts[0]] = parts[1] }
      }
    }
    let result = try await CruddurBinary.run(arguments, in: directory, environment: environment)
    let actual = "exit \(result.status)\n\(result.stderr)"
    // regen.sh captures with $(...), which drops the final newline; compare the same way.
    #expect(actual.trimmingTrailingNewlines == expected.trimmingTrailingNewlines, "\(name)")
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty, "\(name): \(result)")
  }
}

extension String {
  fileprivate var trimmingTrailingNewlines: String {
    var s = Substring(self)
    while s.last == "\n" { s = s.dropLast() }
    return String(s)
  }
}

import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

@testable import cruddur

/// schema/cruddur.schema.json against the decoder: the same keys as its own tables, and
/// the same verdict as `cruddur validate` on every fixture, checked with a real JSON
/// Schema validator (Python's jsonschema).
@Suite struct SchemaTests {
  static let schemaPath = RepositoryFiles.root + "/schema/cruddur.schema.json"

  static func schema() throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: schemaPath))) as? [String: Any])
  }

  static func keys(_ object: [String: Any]?) -> Set<String> {
    Set((object?["properties"] as? [String: Any] ?? [:]).keys)
  }

  @Test("the schema has exactly the keys the decoder knows: top level, task files, environments, tasks")
  func keyTables() throws {
    let schema = try Self.schema()
    let definitions = try #require(schema["$defs"] as? [String: Any])
    #expect(Self.keys(schema) == Set(KnownKeys.topLevel))
    #expect(Self.keys(definitions["taskFile"] as? [String: Any]) == Set(KnownKeys.includedFile))
    #expect(Self.keys(definitions["environment"] as? [String: Any]) == Set(KnownKeys.environment))
    // The core's task keys and every built-in executor's action and own keys.
    #expect(Self.keys(definitions["task"] as? [String: Any]) == BuiltinExecutors.registry.taskKeys)
    // Each action key has its branch of "exactly one action".
    let branches = (definitions["task"] as? [String: Any])?["oneOf"] as? [[String: Any]] ?? []
    let required = Set(branches.compactMap { ($0["required"] as? [String])?.first })
    #expect(required == BuiltinExecutors.registry.actionKeys)
  }

  /// A project's YAML files: cruddur.yml as the main file, every other .yml a task file;
  /// a folder with a cruddur.yml of its own is another project (the fixtures under this
  /// repository's root), and build folders are nobody's.
  static func files(of directory: String) -> [String] {
    var files: [String] = []
    var pending = [""]
    while let folder = pending.popLast() {
      let absolute = folder.isEmpty ? directory : directory + "/" + folder
      for name in (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? [] {
        let path = folder.isEmpty ? name : folder + "/" + name
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: absolute + "/" + name, isDirectory: &isDirectory)
        if isDirectory.boolValue {
          let isProject = FileManager.default.fileExists(atPath: absolute + "/" + name + "/cruddur.yml")
          if !isProject, !name.hasPrefix(".") { pending.append(path) }
        } else if name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
          files.append((path == "cruddur.yml" ? "main=" : "task=") + directory + "/" + path)
        }
      }
    }
    return files.sorted()
  }

  static var projects: [String] {
    let fixtures = RepositoryFiles.root + "/Tests/Fixtures"
    var projects = [RepositoryFiles.root]
    for group in ["good", "bad"] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures + "/" + group)) ?? []
      for name in names.sorted() where FileManager.default.fileExists(atPath: "\(fixtures)/\(group)/\(name)/cruddur.yml") {
        projects.append("\(fixtures)/\(group)/\(name)")
      }
    }
    return projects
  }

  /// Problems no JSON Schema can see: other files, other tasks, names typed twice, the text
  /// inside a value. Where validate reports one of these, the schema may accept the file.
  static let beyondASchema = [
    "dependency cycle", "duplicate key", "does not exist", "matches no file", "malformed", "unterminated",
    "unknown task", "unknown environment", "is defined twice", "more than one environment", "is not set",
    "set PROD_CONNECTION_URL",
  ]

  @Test("every fixture, the examples and this repository's own project: the schema agrees with validate")
  func fixtures() async throws {
    let projects = Self.projects
    #expect(projects.count > 60)
    let arguments = [Self.schemaPath] + projects.flatMap(Self.files(of:))
    let checked = try await CruddurBinary.runProgram(
      "/usr/bin/env", ["python3", RepositoryFiles.root + "/scripts/check-schema"] + arguments, in: RepositoryFiles.root)
    try #require(checked.status == 0, "\(checked)")
    var verdicts: [String: (ok: Bool, why: String)] = [:]
    for line in checked.stdout.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      verdicts[fields[0]] = (fields[1] == "ok", fields.count > 2 ? fields[2] : "")
    }
    for project in projects {
      let files = Self.files(of: project).map { String($0.split(separator: "=", maxSplits: 1)[1]) }
      let rejected = files.filter { verdicts[$0]?.ok != true }
      let argsFile = project + "/args"
      let args =
        (try? String(contentsOfFile: argsFile, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? ["validate"]
      let validate = try await CruddurBinary.run(args, in: project, environment: ["PROD_CONNECTION_URL": ""])
      let name = project.replacingOccurrences(of: RepositoryFiles.root, with: ".")
      if validate.status == 0 {
        #expect(rejected.isEmpty, "\(name): validate accepts it, the schema does not: \(rejected.map { verdicts[$0]!.why })")
      } else if rejected.isEmpty {
        let first = validate.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
          Self.beyondASchema.contains { first.contains($0) },
          "\(name): validate rejects it (\(first)), the schema accepts it")
      }
    }
  }

  @Test("the reference fixture uses every key and validates")
  func referenceFixture() async throws {
    let project = RepositoryFiles.root + "/Tests/Fixtures/good/reference"
    let result = try await CruddurBinary.run(["validate"], in: project)
    #expect(result.status == 0, "\(result)")
    let text = try Self.files(of: project).map { try String(contentsOfFile: String($0.split(separator: "=")[1]), encoding: .utf8) }
      .joined(separator: "\n")
    for key in KnownKeys.topLevel + KnownKeys.environment + BuiltinExecutors.registry.taskKeys.sorted() {
      #expect(text.contains("\n\(key):") || text.contains(" \(key):") || text.contains("{ \(key):"), "`\(key)` is not used")
    }
  }

  @Test("every YAML example in docs/reference.md is quoted from the reference fixture")
  func referenceExamples() throws {
    let project = RepositoryFiles.root + "/Tests/Fixtures/good/reference"
    let sources = try Self.files(of: project).map {
      try String(contentsOfFile: String($0.split(separator: "=")[1]), encoding: .utf8)
    }
    let reference = try RepositoryFiles.read("docs/reference.md")
    let blocks = reference.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
    #expect(blocks.count >= 10)
    for block in blocks {
      // Quoted lines may be a slice of a task; each must appear, in order, in one file.
      #expect(sources.contains { $0.contains(block) }, "not in the fixture:\n\(block)")
    }
  }
}

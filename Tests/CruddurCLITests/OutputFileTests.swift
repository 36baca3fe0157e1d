import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

/// What cruddur writes (a saved plan, a new migration, a structure dump) is only ever a
/// regular file, replaced whole. Whatever else is at the path is refused with exit 2 and
/// left exactly as it was; so is a file the project itself reads.
@Suite struct OutputFileTests {
  static let files = [
    "cruddur.yml": """
    version: 1
    environments:
      local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
    include: [tasks/*.yml]

    """,
    "tasks/db.yml": "tasks:\n  load: { sql: load.sql }\n",
    "tasks/load.sql": "select 1;\n",
  ]

  static func refusal(_ path: String, _ reason: String) -> String {
    "error: refusing to write `\(path)`: \(reason); it is left as it was\n"
      + " = help: give the path of a regular file, or of one that does not exist yet\n"
  }

  /// What is at `path`, seen without following a link: the kind, and a link's target.
  static func entry(_ path: String) -> String {
    var info = stat()
    guard lstat(path, &info) == 0 else { return "missing" }
    if info.st_mode & S_IFMT == S_IFLNK {
      return "link to " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
    }
    return FileKind(path: path).name
  }

  @Test(
    "plan --out at a FIFO, socket, directory, device or symbolic link is refused, nothing printed, the path untouched",
    arguments: ["fifo", "socket", "directory", "device", "link to a file", "link to nothing", "link to a device"])
  func specialPaths(_ kind: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    let out = project.path + "/out.json"
    var reason = ""
    switch kind {
    case "fifo":
      try project.directory.makeFIFO("out.json")
      reason = "it is a FIFO"
    case "socket":
      try project.directory.makeSocket("out.json")
      reason = "it is a socket"
    case "directory":
      try project.directory.makeDirectory("out.json")
      reason = "it is a directory"
    case "device":
      // A node of /dev/null's numbers made here, so a bug cannot replace the system's own.
      guard mknod(out, mode_t(S_IFCHR) | 0o666, dev_t((1 << 8) | 3)) == 0 else { return }  // needs root
      reason = "it is a character device"
    case "link to a file":
      try project.write("kept.json", "keep\n")
      try project.directory.makeSymlink("out.json", to: project.path + "/kept.json")
      reason = "it is a symbolic link, which cruddur does not follow"
    case "link to nothing":
      try project.directory.makeSymlink("out.json", to: project.path + "/nowhere.json")
      reason = "it is a symbolic link, which cruddur does not follow"
    default:
      try project.directory.makeSymlink("out.json", to: "/dev/null")
      reason = "it is a symbolic link, which cruddur does not follow"
    }
    let before = Self.entry(out)
    try await project.expect(["plan", "load", "--out", "out.json"], stderr: Self.refusal("out.json", reason), status: 2)
    #expect(Self.entry(out) == before)
    if kind == "link to a file" {
      #expect(try String(contentsOfFile: project.path + "/kept.json", encoding: .utf8) == "keep\n")
    }
    #expect(!FileManager.default.fileExists(atPath: project.path + "/nowhere.json"))
    let names = try FileManager.default.contentsOfDirectory(atPath: project.path)
    #expect(names.allSatisfy { !$0.contains(".cruddur-") }, "\(names)")
  }

  @Test(
    "plan --out at the project's config, an include, a SQL file of the plan or a hard link to one is refused",
    arguments: ["cruddur.yml", "tasks/db.yml", "tasks/load.sql", "./tasks/../cruddur.yml", "alias.json"])
  func projectFiles(_ out: String) async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    #expect(link(project.path + "/cruddur.yml", project.path + "/alias.json") == 0)
    let before = try FileManager.default.contentsOfDirectory(atPath: project.path + "/tasks").sorted()
    try await project.expect(
      ["plan", "load", "--out", out], stderr: Self.refusal(out, "the project reads it"), status: 2)
    #expect(try String(contentsOfFile: project.path + "/cruddur.yml", encoding: .utf8) == Self.files["cruddur.yml"])
    #expect(try String(contentsOfFile: project.path + "/tasks/load.sql", encoding: .utf8) == "select 1;\n")
    #expect(try String(contentsOfFile: project.path + "/tasks/db.yml", encoding: .utf8) == Self.files["tasks/db.yml"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: project.path + "/tasks").sorted() == before)
  }

  @Test("plan --out writes a new file and replaces a regular one whole, leaving no temporary file")
  func regularFile() async throws {
    let project = try TemporaryProject(files: Self.files)
    defer { project.remove() }
    for _ in 0..<2 {
      let result = try await project.run(["plan", "load", "--out", "saved.json"])
      #expect(result.status == 0, "\(result)")
      #expect(Self.entry(project.path + "/saved.json") == "a file")
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: project.path).sorted()
    #expect(names == ["cruddur.yml", "saved.json", "tasks"])
  }

  @Test(
    "a migrations path that is not a folder says what it is, for new migration and for a plan; nothing is created",
    arguments: ["fifo", "file"])
  func migrationsNotAFolder(_ kind: String) async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://postgres:pw@127.0.0.1:1/app" }
      tasks:
        db:migrate: { migrate: db/migrations }

      """
    ])
    defer { project.remove() }
    if kind == "fifo" { try project.directory.makeFIFO("db/migrations") } else { try project.write("db/migrations", "x") }
    let name = kind == "fifo" ? "a FIFO" : "a file"
    let expected =
      "error: migrations folder `db/migrations` is \(name), not a folder\n"
      + " = help: move it away, then `cruddur new migration NAME` creates the folder\n"
    try await project.expect(["new", "migration", "add_email"], stderr: expected, status: 2)
    let plan = try await project.run(["plan", "db:migrate"])
    #expect(plan.status == 2, "\(plan)")
    #expect(plan.stderr.contains("migrations folder `db/migrations` is \(name), not a folder"), "\(plan)")
    #expect(Self.entry(project.path + "/db/migrations") == (kind == "fifo" ? "a FIFO" : "a file"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: project.path + "/db") == ["migrations"])
  }
}

import CruddurTestSupport
import Testing

/// Every file cruddur reads must be a regular file (or a link to one). A FIFO, device,
/// directory or socket is refused where its path is written, exit 2, without opening it:
/// a FIFO with no writer would block these tests forever if it were opened.
@Suite struct NonRegularFileTests {
  static let head = """
    version: 1
    environments:
      local:
        default: true
        url: postgresql://postgres:password@127.0.0.1:1/app

    """

  static func project(_ files: [String: String]) throws -> TemporaryProject {
    try TemporaryProject(files: files)
  }

  @Test("a sql: file that is a FIFO is refused at its path, before anything opens it")
  func sqlFIFO() async throws {
    let project = try Self.project(["cruddur.yml": Self.head + "tasks:\n  load: { sql: load.sql }\n"])
    defer { project.remove() }
    try project.directory.makeFIFO("load.sql")
    // `list` reads no SQL file; `validate`, a plan and a run of the task each refuse it.
    #expect(try await project.run(["list"]).status == 0)
    for arguments in [["validate"], ["plan", "load"], ["load"]] {
      let result = try await project.run(arguments)
      #expect(result.status == 2, "\(arguments) \(result)")
      #expect(
        result.stderr == """
          error: `load.sql` is a FIFO, not a file
           --> cruddur.yml:7:16
            |
          7 |   load: { sql: load.sql }
            |                ^^^^^^^^

          """, "\(arguments) \(result)")
    }
  }

  @Test("sql: /dev/zero is a character device, a directory is a directory, a socket is a socket")
  func sqlOtherKinds() async throws {
    let project = try Self.project([
      "cruddur.yml": Self.head + "tasks:\n  zero: { sql: /dev/zero }\n  dir: { sql: adir }\n  sock: { sql: db.sock }\n"
    ])
    defer { project.remove() }
    try project.directory.makeDirectory("adir")
    try project.directory.makeSocket("db.sock")
    try await project.expect(["validate"], stderr: """
      error: `/dev/zero` is a character device, not a file
       --> cruddur.yml:7:16
        |
      7 |   zero: { sql: /dev/zero }
        |                ^^^^^^^^^
      error: `adir` is a directory, not a file
       --> cruddur.yml:8:15
        |
      8 |   dir: { sql: adir }
        |               ^^^^
      error: `db.sock` is a socket, not a file
       --> cruddur.yml:9:16
        |
      9 |   sock: { sql: db.sock }
        |                ^^^^^^^

      """, status: 2)
  }

  @Test("a FIFO matched by an include glob is an error at the include, not skipped and not read")
  func includeGlobFIFO() async throws {
    let project = try Self.project([
      "cruddur.yml": Self.head + "include: [tasks/*.yml]\n",
      "tasks/a.yml": "tasks:\n  a: { shell: 'true' }\n",
    ])
    defer { project.remove() }
    try project.directory.makeFIFO("tasks/b.yml")
    try await project.expect(["list"], stderr: """
      error: `tasks/b.yml` is a FIFO, not a file
       --> cruddur.yml:6:11
        |
      6 | include: [tasks/*.yml]
        |           ^^^^^^^^^^^

      """, status: 2)
  }

  @Test("include: of a directory says it is a directory, not that it does not exist")
  func includeDirectory() async throws {
    let project = try Self.project(["cruddur.yml": Self.head + "include: [adir]\n"])
    defer { project.remove() }
    try project.directory.makeDirectory("adir")
    try await project.expect(["validate"], stderr: """
      error: `adir` is a directory, not a file
       --> cruddur.yml:6:11
        |
      6 | include: [adir]
        |           ^^^^

      """, status: 2)
  }

  @Test("a dotenv: file that is a FIFO is refused; a missing one is still fine")
  func dotenvFIFO() async throws {
    let project = try Self.project([
      "cruddur.yml": "version: 1\ndotenv: [.env, .env.missing]\n" + Self.head.dropFirst("version: 1\n".count)
        + "tasks:\n  a: { shell: 'true' }\n"
    ])
    defer { project.remove() }
    try project.directory.makeFIFO(".env")
    try await project.expect(["validate"], stderr: """
      error: `.env` is a FIFO, not a file
       --> cruddur.yml:2:10
        |
      2 | dotenv: [.env, .env.missing]
        |          ^^^^

      """, status: 2)
  }

  @Test("-f naming a directory or a FIFO, and a cruddur.yml that is a FIFO, say what they are")
  func configFile() async throws {
    let project = try Self.project(["README": "x"])
    defer { project.remove() }
    try project.directory.makeDirectory("adir")
    try project.directory.makeFIFO("pipe.yml")
    try await project.expect(["-f", "adir", "validate"], stderr: """
      error: `adir` is a directory, not a file

      """, status: 2)
    try await project.expect(["validate", "-f", "pipe.yml"], stderr: """
      error: `pipe.yml` is a FIFO, not a file

      """, status: 2)

    try project.directory.makeFIFO("cruddur.yml")
    try await project.expect(["list"], stderr: """
      error: `cruddur.yml` is a FIFO, not a file

      """, status: 2)
  }

  @Test("\\i of a FIFO is refused at the \\i line, at validate time")
  func sqlIncludeFIFO() async throws {
    let project = try Self.project([
      "cruddur.yml": Self.head + "tasks:\n  load: { sql: db/load.sql }\n",
      "db/load.sql": "create table t (id int);\n\\ir part.sql\n",
    ])
    defer { project.remove() }
    try project.directory.makeFIFO("db/part.sql")
    let result = try await project.run(["validate"])
    #expect(result.status == 2, "\(result)")
    #expect(
      result.stderr == """
        error: `part.sql` is a FIFO, not a file
         --> db/load.sql:2:1
          |
        2 | \\ir part.sql
          | ^

        """, "\(result)")
  }

  @Test("a symlink to a regular file is read as that file")
  func symlink() async throws {
    let project = try Self.project([
      "cruddur.yml": Self.head + "include: [tasks/*.yml]\n",
      "shared/a.yml": "tasks:\n  a: { shell: 'true', description: linked }\n",
    ])
    defer { project.remove() }
    try project.directory.makeSymlink("tasks/a.yml", to: project.path + "/shared/a.yml")
    try await project.expect(["list", "--no-color"], stdout: """
      tasks:
        a  linked

      """)
  }
}

import CruddurTestSupport
import Testing

extension PostgresLoaderTests {
  /// `validate` and a plan scan a file whatever its size (streamed, as the loader reads it),
  /// so a violation is a config error (exit 2) found before anything runs.
  @Suite struct LargeFileTests {
    /// About 9.5 MB of INSERTs followed by `tail`.
    static func script(then tail: String) -> String {
      var text = "create table big (id int primary key, pad text);\n"
      text.reserveCapacity(10_000_000)
      let pad = String(repeating: "x", count: 60)
      for i in 1...110_000 { text += "insert into big values (\(i), '\(pad)');\n" }
      return text + tail
    }

    @Test("in one transaction, an unsupported meta-command at the end fails the load and leaves nothing")
    func checkedWhileLoading() async throws {
      let database = try await PostgresLoaderTests.createDatabase("large")
      let project = try PostgresLoaderTests.project(database: database, sql: Self.script(then: "\\gexec\n"))
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      // Found while planning: a config error, whatever the file's size.
      #expect(result.status == 2, "\(result)")
      #expect(result.stderr.contains("--> db/load.sql:110002:1\n"), "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }

    @Test("with transaction: false, the file is checked before anything is sent")
    func checkedBeforeSending() async throws {
      let database = try await PostgresLoaderTests.createDatabase("largenotx")
      let project = try PostgresLoaderTests.project(
        database: database, sql: Self.script(then: "\\gexec\n"), transaction: false)
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      // Found while planning: a config error, whatever the file's size.
      #expect(result.status == 2, "\(result)")
      #expect(result.stderr.contains("--> db/load.sql:110002:1\n"), "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }

    @Test("a large file loads completely")
    func loads() async throws {
      let database = try await PostgresLoaderTests.createDatabase("largeok")
      let project = try PostgresLoaderTests.project(database: database, sql: Self.script(then: ""))
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 0, "\(result)")
      #expect(try await PostgresLoaderTests.cluster.value("select count(*) from big", database: database) == "110000")
    }
  }
}

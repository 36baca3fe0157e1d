import CruddurTestSupport
import Testing

@testable import CruddurPostgres

/// psql strips trailing unquoted semicolons from the arguments of `\c`, `\i`, `\ir`,
/// `\restrict` and `\unrestrict`, so `\c mydb;` is common in hand-written files.
@Suite struct MetaCommandSemicolonTests {
  static func arguments(_ line: String) throws -> [String] {
    try #require(try metas(line + "\n").first).arguments
  }

  @Test("a trailing semicolon goes, however many, from each argument")
  func stripped() throws {
    #expect(try Self.arguments("\\c mydb;") == ["mydb"])
    #expect(try Self.arguments("\\connect mydb;;") == ["mydb"])
    #expect(try Self.arguments("\\c mydb; someone;") == ["mydb", "someone"])
    #expect(try Self.arguments("\\i other.sql;") == ["other.sql"])
    #expect(try Self.arguments("\\ir parts/a.sql;") == ["parts/a.sql"])
    #expect(try Self.arguments("\\include_relative a.sql;") == ["a.sql"])
    #expect(try Self.arguments("\\restrict key;") == ["key"])
    #expect(try Self.arguments("\\unrestrict key;") == ["key"])
  }

  @Test("a quoted semicolon stays, an argument of only semicolons is no argument, \\set keeps its value")
  func kept() throws {
    #expect(try Self.arguments("\\i 'odd;'") == ["odd;"])
    #expect(try Self.arguments("\\i odd';'") == ["odd;"])
    #expect(try Self.arguments("\\c \"my;db\"") == ["my;db"])
    #expect(try Self.arguments("\\c \"my\";") == ["my"])
    #expect(try Self.arguments("\\c ;") == [])
    #expect(try Self.arguments("\\c '';") == [""])
    #expect(try Self.arguments("\\set ON_ERROR_STOP on;") == ["ON_ERROR_STOP", "on;"])
  }
}

extension PostgresLoaderTests {
  @Suite struct MetaCommandSemicolonLoadTests {
    @Test("\\c otherdb; switches database and \\i file.sql; includes the file, as psql does")
    func load() async throws {
      let first = try await PostgresLoaderTests.createDatabase("semi1")
      let second = try await PostgresLoaderTests.createDatabase("semi2")
      let project = try PostgresLoaderTests.project(
        database: first, sql: "create table one (id int);\n\\i db/part.sql;\n\\c \(second);\ncreate table two (id int);\n",
        files: ["db/part.sql": "insert into one values (7);\n"])
      defer { project.remove() }
      let result = try await PostgresLoaderTests.load(project, database: first)
      #expect(result.status == 0, "\(result)")
      #expect(try await PostgresLoaderTests.cluster.value("select string_agg(id::text, ',') from one", database: first) == "7")
      #expect(try await PostgresLoaderTests.snapshot(first).map { String($0.prefix(12)) } == ["public.one 1"])
      #expect(try await PostgresLoaderTests.snapshot(second) == ["public.two 0 "])
    }
  }
}

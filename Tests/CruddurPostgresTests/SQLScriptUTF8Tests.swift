import CruddurTestSupport
import Testing

@testable import CruddurPostgres

/// The SQL reader checks every byte is UTF-8 as it reads, whatever the read size, and
/// stops at the first bad one with its line and column.
@Suite struct SQLScriptUTF8Tests {
  static func error(_ bytes: [UInt8]) -> [String] {
    [1, 2, 3, 64, SQLScriptReader.defaultReadSize].map { size in
      let reader = SQLScriptReader(bytes: bytes, readSize: size)
      do {
        while try reader.next() != nil {}
        return "no error"
      } catch {
        return "\(error)"
      }
    }
  }

  @Test("a bad byte in a statement, a comment, a string or COPY data is an error at its line and column")
  func located() {
    let start = Array("create table t (id int);\nselect 'é', 'x".utf8)
    #expect(Set(Self.error(start + [0xFF] + Array("';\n".utf8))) == ["2:15: invalid UTF-8 (byte 0xFF)"])
    #expect(Set(Self.error(Array("-- caf".utf8) + [0xE9] + Array("\nselect 1;\n".utf8))) == ["1:7: invalid UTF-8 (byte 0xE9)"])
    #expect(
      Set(Self.error(Array("copy t from stdin;\n1\n".utf8) + [0xC3, 0x28] + Array("\n\\.\n".utf8)))
        == ["3:1: invalid UTF-8 (byte 0xC3)"])
    #expect(Set(Self.error(Array("select 1;\nselect '".utf8) + [0xE2, 0x82])) == ["2:9: invalid UTF-8 (byte 0xE2)"])
  }

  @Test("UTF-8 text and a byte order mark read as before")
  func valid() throws {
    let reader = SQLScriptReader(bytes: [0xEF, 0xBB, 0xBF] + Array("select '€𝄞';\n".utf8), readSize: 1)
    var texts: [String] = []
    while let item = try reader.next() {
      if case .statement(let statement) = item { texts.append(statement.text) }
    }
    #expect(texts == ["select '€𝄞'"])
  }
}

extension PostgresLoaderTests {
  /// A SQL file that is not UTF-8 is refused before anything it holds is committed.
  @Suite struct InvalidUTF8LoadTests {
    static let good = "create table t (id int);\ninsert into t values (1);\n"

    @Test("a bad byte is found before anything is sent, in one transaction and with transaction: false", arguments: [nil, false])
    func small(transaction: Bool?) async throws {
      let database = try await PostgresLoaderTests.createDatabase("utf8")
      let project = try PostgresLoaderTests.project(database: database, sql: "", transaction: transaction)
      defer { project.remove() }
      try project.directory.write(
        "db/load.sql", bytes: Array((Self.good + "insert into t values (length('caf").utf8) + [0xE9] + Array("'));\n".utf8))
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status == 2, "\(result)")
      #expect(
        result.stderr.contains(
          """
          error: invalid UTF-8 (byte 0xE9)
           --> db/load.sql:3:34
            |
          3 | insert into t values (length('caf\\xE9'));
            |                                  ^

          """), "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
      let validate = try await project.run(["validate"], environment: PostgresLoaderTests.environment(database: database))
      #expect(validate.status == 2, "\(validate)")
      #expect(validate.stderr.contains("--> db/load.sql:3:34\n"), "\(validate)")
    }

    /// Larger than the loader's batches (8 MiB, the size `validate` once stopped scanning at):
    /// statements already ran when the bad byte is read.
    static func large(_ tail: [UInt8]) -> [UInt8] {
      // The SET is sent alone and waited for, so the table exists on the server by then.
      var bytes = Array((Self.good + "set standard_conforming_strings = on;\n-- ").utf8)
      bytes += [UInt8](repeating: UInt8(ascii: "x"), count: (8 << 20) + 1024)
      return bytes + Array("\n".utf8) + tail
    }

    @Test("in a large file, one transaction is rolled back; with transaction: false the whole file is checked first", arguments: [nil, false])
    func large(transaction: Bool?) async throws {
      let database = try await PostgresLoaderTests.createDatabase("utf8big")
      let project = try PostgresLoaderTests.project(database: database, sql: "", transaction: transaction)
      defer { project.remove() }
      try project.directory.write("db/load.sql", bytes: Self.large(Array("select '".utf8) + [0xFF] + Array("';\n".utf8)))
      let result = try await PostgresLoaderTests.load(project, database: database)
      #expect(result.status != 0, "\(result)")
      #expect(result.stderr.contains("error: invalid UTF-8 (byte 0xFF)\n --> db/load.sql:5:9\n"), "\(result)")
      #expect(try await PostgresLoaderTests.snapshot(database) == [])
    }
  }
}

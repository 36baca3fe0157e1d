import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// `cruddur connect` hands a real terminal to psql on the environment's database, with the
  /// password in a password file only psql reads, rather than on its command line or in
  /// its environment.
  @Suite struct ConnectTests {
    @Test("connect opens psql on a pseudo-terminal; the password is not on its command line")
    func interactive() async throws {
      let database = TestCluster.uniqueDatabaseName("connect")
      let project = try DatabaseTests.dbProject(database: database)
      defer { project.remove() }
      let url = DatabaseTests.cluster.url(database: database)
      #expect(try await project.run(["db:setup"], environment: ["TEST_URL": url]).status == 0)
      let answer = RepositoryFiles.root + "/Tests/Fixtures/pty/answer.py"
      let result = try await CruddurBinary.runProgram(
        "/usr/bin/env",
        [
          "TEST_URL=\(url)", "PATH=/usr/lib/postgresql/15/bin:/usr/bin:/bin", "python3", answer, "=#",
          "select 'rows: ' || count(*) from public.users; \\q", CruddurBinary.path, "connect", "-v", "--", "-X", "-P", "pager=off",
        ],
        in: project.path)
      // -v shows the psql command line: database and host, never the password. psql's
      // banner names its version, which is the machine's.
      result.expect(
        stdout: """
        + psql -d user='postgres' dbname='<db>' host='127.0.0.1' port='<port>' passfile='/proc/self/fd/<n>' -X -P pager=off\r
        psql (<version>)\r
        Type "help" for help.\r
        \r
        <db>=# select 'rows: ' || count(*) from public.users; \\q\r
         ?column? \r
        ----------\r
         rows: 2\r
        (1 row)\r
        \r

        """,
        normalizing: DatabaseTests.variable(database) + [
          .literal("port='\(DatabaseTests.cluster.port)'", as: "port='<port>'"),
          .pattern(#"psql \(\d+\.\d+.*\)"#, as: "psql (<version>)"),
          .pattern(#"/proc/self/fd/\d+"#, as: "/proc/self/fd/<n>"),
        ])
    }
  }
}

/// A connection failure is a failed step (1), not psql's 2, which cruddur keeps for usage errors.
@Suite struct ConnectFailureTests {
  @Test("connect to a server that is not there exits 1 with the run's message")
  func refused() async throws {
    let port = try TestCluster.freePort()
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { url: "postgresql://postgres:pw@127.0.0.1:\(port)/app" }
      """
    ])
    defer { project.remove() }
    try await project.expect(["connect"], stderr: """
      error: cannot connect to postgres@127.0.0.1:<port>/app: connection to server at "127.0.0.1", port <port> failed: Connection refused. Is the server running on that host and accepting TCP/IP connections?
       = help: is the server running? For a local environment, `embedded: true` lets cruddur start one

      """, status: 1, normalizing: [.number(port, as: "<port>")])
  }
}

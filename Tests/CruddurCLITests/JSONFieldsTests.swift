import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// What docs/json.md promises a machine reading `--format json`.
  @Suite struct JSONFieldsTests {
    @Test("a failing SQL statement's step_failed event has its SQLSTATE, place, detail and hint as fields")
    func stepFailedFields() async throws {
      let database = TestCluster.uniqueDatabaseName("jsonf")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "tasks/bad.yml": "tasks:\n  bad: { sql: ../db/bad.sql, deps: [db:create] }\n",
          "db/bad.sql": "create table t (id int primary key);\ninsert into t values (1);\n  insert into t values (1);\n",
        ])
      defer { project.remove() }
      let result = try await project.expect(
        ["bad", "--format", "json"], environment: DatabaseTests.environment(database: database), stdout: """
        {"environment":"local","event":"run_started","steps":2,"target":"postgresql://postgres:****@127.0.0.1:<port>/<db>","tasks":["bad"],"time":"<time>","version":1}
        {"event":"step_started","executor":"database","step":1,"summary":"create database \\"<db>\\" if it does not exist","task":"db:create","time":"<time>"}
        {"duration_ms":0,"event":"step_finished","step":1,"task":"db:create","time":"<time>"}
        {"event":"step_started","executor":"sql","step":2,"summary":"run db/bad.sql in one transaction","task":"bad","time":"<time>"}
        {"column":3,"constraint_name":"t_pkey","detail":"Key (id)=(1) already exists.","duration_ms":0,"errors":["duplicate key value violates unique constraint \\"t_pkey\\"  [SQLSTATE 23505]"],"event":"step_failed","file":"db/bad.sql","line":3,"schema_name":"public","sqlstate":"23505","step":2,"table_name":"t","task":"bad","time":"<time>"}
        {"duration_ms":0,"event":"run_finished","outcome":"failed","steps":[{"duration_ms":0,"outcome":"succeeded","step":1,"task":"db:create"},{"duration_ms":0,"outcome":"failed","step":2,"task":"bad"}],"time":"<time>"}

        """, stderr: "",
        status: 1, normalizing: [.jsonTimes] + DatabaseTests.variable(database))
      let events = result.stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
      #expect(events.first?["event"] as? String == "run_started")
      #expect(events.first?["version"] as? Int == 1)
      let failed = try #require(events.first { $0["event"] as? String == "step_failed" })
      #expect(failed["task"] as? String == "bad")
      #expect(failed["sqlstate"] as? String == "23505")
      #expect(failed["file"] as? String == "db/bad.sql")
      #expect(failed["line"] as? Int == 3)
      #expect(failed["column"] as? Int == 3)
      #expect(failed["detail"] as? String == "Key (id)=(1) already exists.", "\(failed)")
      #expect(failed["schema_name"] as? String == "public", "\(failed)")
      #expect(failed["table_name"] as? String == "t")
      #expect(failed["constraint_name"] as? String == "t_pkey")
      #expect(failed["column_name"] == nil && failed["datatype_name"] == nil, "\(failed)")
      #expect(try await DatabaseTests.cluster.value("select to_regclass('t') is null", database: database) == "t")
    }

    @Test("a not-null violation's step_failed names the column; a failure without SQLSTATE omits the key")
    func columnAndNoSQLState() async throws {
      let database = TestCluster.uniqueDatabaseName("jsonc")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "tasks/bad.yml": """
            tasks:
              bad: { sql: ../db/bad.sql, deps: [db:create] }
              fails: { shell: 'exit 3' }
            """,
          "db/bad.sql": "create table people (name text not null);\ninsert into people values (null);\n",
        ])
      defer { project.remove() }
      let environment = DatabaseTests.environment(database: database)
      let events = { (output: String) in
        output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
      }
      let sql = try await project.run(["bad", "--format", "json"], environment: environment)
      #expect(sql.status == 1, "\(sql)")
      let failed = try #require(events(sql.stdout).first { $0["event"] as? String == "step_failed" })
      #expect(failed["sqlstate"] as? String == "23502", "\(failed)")
      #expect(failed["table_name"] as? String == "people")
      #expect(failed["column_name"] as? String == "name")
      #expect(failed["constraint_name"] == nil, "\(failed)")
      let shell = try await project.run(["fails", "--format", "json"], environment: environment)
      #expect(shell.status == 1, "\(shell)")
      let shellFailed = try #require(events(shell.stdout).first { $0["event"] as? String == "step_failed" })
      #expect(shellFailed["exit_code"] as? Int == 3, "\(shellFailed)")
      let keys = Set(shellFailed.keys)
      #expect(keys.isDisjoint(with: ["sqlstate", "schema_name", "table_name", "column_name", "constraint_name"]), "\(keys)")
    }

    @Test("rows are typed by their column's type: booleans and integers as JSON, NULL as null")
    func typedRows() async throws {
      let database = TestCluster.uniqueDatabaseName("jsont")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "tasks/q.yml": "tasks:\n  q: { query: \"select true as yes, false as no, null::bool as unknown, 7 as n, 'x' as s\", on: maintenance }\n"
        ])
      defer { project.remove() }
      try await project.expect(
        ["q", "--format", "json"], environment: DatabaseTests.environment(database: database), stdout: """
        {"environment":"local","event":"run_started","steps":1,"target":"postgresql://postgres:****@127.0.0.1:<port>/<db>","tasks":["q"],"time":"<time>","version":1}
        {"event":"step_started","executor":"query","step":1,"summary":"query: select true as yes, false as no, null::bool as unknown, 7 as n, 'x' as s","task":"q","time":"<time>"}
        {"columns":["yes","no","unknown","n","s"],"event":"step_rows_started","step":1,"task":"q","time":"<time>"}
        {"event":"step_row","row":{"yes":true,"no":false,"unknown":null,"n":7,"s":"x"},"step":1,"task":"q","time":"<time>"}
        {"command_tag":"SELECT 1","count":1,"event":"step_rows_finished","step":1,"task":"q","time":"<time>"}
        {"duration_ms":0,"event":"step_finished","step":1,"task":"q","time":"<time>"}
        {"duration_ms":0,"event":"run_finished","outcome":"succeeded","steps":[{"duration_ms":0,"outcome":"succeeded","step":1,"task":"q"}],"time":"<time>"}

        """,
        normalizing: [.jsonTimes] + DatabaseTests.variable(database))
    }
  }
}

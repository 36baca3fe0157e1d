import CruddurTestSupport
import Testing

/// `lock_timeout`, `statement_timeout` and `retries`: each wrong value, and each misspelt
/// key, is one precise error at its place; the plan says what a run will set.
@Suite struct LockSettingsConfigTests {
  @Test("a misspelt key gets a did-you-mean; a bad duration or count names what is allowed")
  func badValues() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://u:pw@127.0.0.1:1/app", lock_timout: 1s }
        prod: { url: "postgresql://u:pw@127.0.0.1:1/app", protected: true, lock_timeout: soon, retries: -1 }
      tasks:
        a: { sql: a.sql, lock_timeout: 500ms, statement_timout: 1s }
        b: { sql: a.sql, statement_timeout: 0.0001 }
        m: { migrate: migrations, retries: 51 }
      """,
      "a.sql": "select 1;\n",
      "migrations/.keep": "",
    ])
    defer { project.remove() }
    try await project.expect(
      ["validate"],
      stderr: """
        error: unknown key `lock_timout` in environment `local`
         --> cruddur.yml:3:69
          |
        3 |   local: { default: true, url: "postgresql://u:****@127.0.0.1:1/app", lock_timout: 1s }
          |                                                                       ^^^^^^^^^^^ did you mean `lock_timeout`?
        error: `lock_timeout` must be a duration such as `500ms` or `2s` (at least 1ms, at most 1 day), or `0` for off, found `soon`
         --> cruddur.yml:4:84
          |
        4 |   prod: { url: "postgresql://u:****@127.0.0.1:1/app", protected: true, lock_timeout: soon, retries: -1 }
          |                                                                                      ^^^^
        error: `retries` must be a whole number from 0 to 50, found `-1`
         --> cruddur.yml:4:99
          |
        4 |   prod: { url: "postgresql://u:****@127.0.0.1:1/app", protected: true, lock_timeout: soon, retries: -1 }
          |                                                                                                     ^^
        error: unknown key `statement_timout` in task `a`
         --> cruddur.yml:6:41
          |
        6 |   a: { sql: a.sql, lock_timeout: 500ms, statement_timout: 1s }
          |                                         ^^^^^^^^^^^^^^^^ did you mean `statement_timeout`?
        error: `statement_timeout` must be a duration such as `500ms` or `2s` (at least 1ms, at most 1 day), or `0` for off, found `0.0001`
         --> cruddur.yml:7:39
          |
        7 |   b: { sql: a.sql, statement_timeout: 0.0001 }
          |                                       ^^^^^^
        error: `retries` must be a whole number from 0 to 50, found `51`
         --> cruddur.yml:8:38
          |
        8 |   m: { migrate: migrations, retries: 51 }
          |                                      ^^

        """, status: 2)
  }

  @Test(
    "the plan shows the timeouts: 2s by default on a protected environment, none on another, task over environment"
  )
  func planShowsTimeouts() async throws {
    let project = try TemporaryProject(files: [
      "cruddur.yml": """
      version: 1
      environments:
        local: { default: true, url: "postgresql://u:pw@127.0.0.1:1/app" }
        prod: { url: "postgresql://u:pw@127.0.0.1:1/app", protected: true, statement_timeout: 5m }
      tasks:
        a: { sql: a.sql }
        b: { sql: a.sql, lock_timeout: 0, retries: 0 }
        c: { sql: a.sql, transaction: false, lock_timeout: 250ms }
      """,
      "a.sql": "select 1;\n",
    ])
    defer { project.remove() }
    let plan = try await project.run(["plan", "a", "b", "c", "-e", "prod"])
    #expect(plan.status == 0, "\(plan)")
    let lines = plan.stdout.split(separator: "\n").filter { $0.contains("timeout") }.map {
      String($0.drop { $0 == " " })
    }
    #expect(
      lines == [
        "lock_timeout 2s, statement_timeout 5m; retried up to 3 times on a lock timeout or a deadlock",
        "lock_timeout off, statement_timeout 5m; not retried",
        "lock_timeout 250ms, statement_timeout 5m; not retried (not one transaction)",
      ])
    let local = try await project.run(["plan", "a", "b", "c"])
    #expect(
      local.stdout.split(separator: "\n").filter { $0.contains("timeout") }.map {
        String($0.drop { $0 == " " })
      } == [
        "lock_timeout off; not retried",
        "lock_timeout 250ms; not retried (not one transaction)",
      ], "\(local)")
  }
}

import CruddurCore
import Foundation
import Testing

/// Fleet environments as declared: each kind read, every contradiction one precise error
/// at its key, names checked with a did-you-mean.
@Suite struct FleetSpecTests {
  func load(_ yaml: String) throws -> (Project, [Diagnostic]) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cruddur-fleet-\(UUID())"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try yaml.write(toFile: directory + "/cruddur.yml", atomically: false, encoding: .utf8)
    return ProjectDecoder(registry: ExecutorRegistry([])).load(
      configPath: directory + "/cruddur.yml")
  }

  @Test("the three kinds are read, with per_server")
  func kinds() throws {
    let (project, diagnostics) = try load(
      """
      version: 1
      environments:
        control: { url: "postgresql://u@h/control" }
        listed: { urls: ["postgresql://u@h/a", "postgresql://u@h/b"] }
        pattern: { server: "postgresql://u@h/postgres", databases: "tenant_*", per_server: 8 }
        twoServers: { server: ["postgresql://u@h1/postgres", "postgresql://u@h2/postgres"], databases: "t?" }
        queried: { from: control, query: "select url from tenants" }
      """)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(project.environment(named: "control")?.fleet == nil)
    #expect(project.environment(named: "listed")?.fleet?.kindName == "fleet: 2 URLs")
    let pattern = try #require(project.environment(named: "pattern")?.fleet)
    #expect(pattern.perServer == 8)
    #expect(pattern.kindName == "fleet: databases `tenant_*` on 1 server")
    #expect(
      project.environment(named: "twoServers")?.fleet?.kindName
        == "fleet: databases `t?` on 2 servers")
    #expect(project.environment(named: "queried")?.fleet?.kindName == "fleet: query on `control`")
  }

  @Test("contradictions and misspellings: one error each, at the key, with did-you-mean")
  func hostile() throws {
    let (_, diagnostics) = try load(
      """
      version: 1
      environments:
        control: { url: "postgresql://u@h/control" }
        both: { url: "postgresql://u@h/x", urls: ["postgresql://u@h/a"] }
        two: { urls: ["postgresql://u@h/a"], server: "postgresql://u@h/postgres" }
        lonely: { databases: "t_*", url: "postgresql://u@h/x" }
        typo: { server: "postgresql://u@h/postgres", databses: "t_*" }
        zero: { urls: ["postgresql://u@h/a"], per_server: 0 }
        badfrom: { from: contrl, query: "select 1" }
        selfish: { from: selfish, query: "select 1" }
        noquery: { from: control }
        empty: { urls: [] }
      """)
    let messages = diagnostics.map {
      "\($0.location?.line ?? 0): \($0.message)\($0.label.map { " (\($0))" } ?? "")"
    }
    #expect(
      messages == [
        "4: environment `both` must have either `url` (one database) or `urls` (a fleet), not both",
        "5: environment `two` must take its targets from one of `urls`, `server` + `databases`, `from` + `query`, found `urls` and `server`",
        "6: `databases` must go with `server` in environment `lonely`",
        "7: unknown key `databses` in environment `typo` (did you mean `databases`?)",
        "7: `server` must go with `databases: \"PATTERN\"` (which of its databases)",
        "8: `per_server` must be a whole number of connections, at least 1, found `0`",
        "11: `from` must go with `query:` (the SQL that returns the targets)",
        "12: `urls` must list at least one URL",
        "9: `from` must name another environment (`control`, `both`, `two`, `lonely`, `typo`, `zero`, `selfish`, `noquery`, `empty`), found `contrl` (did you mean `control`?)",
        "10: `from` must name an environment with one `url` (the control database), found `selfish`, this environment",
      ], "\(messages.joined(separator: "\n"))")
  }

  @Test(
    "a pattern becomes a LIKE pattern with LIKE's own wildcards escaped, and matches as the shell would"
  )
  func pattern() {
    #expect(DatabasePattern("tenant_*").likePattern == "tenant\\_%")
    #expect(DatabasePattern("t?_100%").likePattern == "t_\\_100\\%")
    #expect(DatabasePattern("tenant_*").matches("tenant_42"))
    #expect(!DatabasePattern("tenant_*").matches("tenantX42"))
    #expect(DatabasePattern("t?").matches("t1") && !DatabasePattern("t?").matches("t12"))
    #expect(DatabasePattern("*").matches(""))
  }
}

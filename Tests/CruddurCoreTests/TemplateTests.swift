import CruddurCore
import Testing

@Suite struct TemplateTests {
  let here = SourceLocation(path: "cruddur.yml", line: 3, column: 10)

  func render(_ text: String, _ layers: [Scope.Layer]) throws -> String {
    try Interpolator.render(try Template(parsing: text, at: here), in: Scope(layers))
  }

  @Test("a default applies when the variable is unset or empty")
  func defaults() throws {
    #expect(try render("${A:-x}", []) == "x")
    #expect(try render("${A:-x}", [.init(.environment, ["A": ""])]) == "x")
    #expect(try render("${A:-x}", [.init(.environment, ["A": "y"])]) == "y")
  }

  @Test("`$$` is a literal dollar and a bare `$1` is left alone")
  func dollars() throws {
    #expect(try render("a$$b $1 ${B}", [.init(.environment, ["B": "c"])]) == "a$b $1 c")
  }

  @Test("`:?` fails with its message at the variable's column")
  func required() throws {
    #expect {
      try render("url ${PROD:?set PROD}", [])
    } throws: { error in
      let diagnostic = (error as? ConfigError)?.diagnostics.first
      return diagnostic?.message == "set PROD" && diagnostic?.location?.column == 14
    }
  }

  @Test("a higher layer wins")
  func precedence() throws {
    #expect(try render("${A}", [.init(.set, ["A": "1"]), .init(.environment, ["A": "2"])]) == "1")
  }

  @Test("an unterminated reference is a syntax error")
  func malformed() {
    #expect(throws: TemplateSyntaxError.self) { try Template(parsing: "${A", at: here) }
    #expect(throws: TemplateSyntaxError.self) { try Template(parsing: "${}", at: here) }
    #expect(throws: TemplateSyntaxError.self) { try Template(parsing: "${A:x}", at: here) }
  }
}

@Suite struct RedactionTests {
  @Test("a URL's password is masked, even when it contains @")
  func urlPassword() {
    #expect(Redaction.redact("postgresql://u:p@ss@host:5432/db") == "postgresql://u:****@host:5432/db")
    #expect(Redaction.redact("see postgres://u@host/db") == "see postgres://u@host/db")
  }

  @Test("password= in a keyword string is masked")
  func keywordPassword() {
    #expect(Redaction.redact("host=x password=secret dbname=y") == "host=x password=**** dbname=y")
  }
}

@Suite struct TaskGraphTests {
  func tasks(_ spec: [String: (deps: [String], steps: [String])]) -> [String: TaskDefinition] {
    let loc = SourceLocation(path: "t.yml", line: 1, column: 1)
    var out: [String: TaskDefinition] = [:]
    for (name, value) in spec {
      var task = TaskDefinition(name: name, location: loc)
      task.deps = value.deps.map { TaskReference(name: $0, location: loc) }
      task.steps = value.steps.map { TaskReference(name: $0, location: loc) }
      out[name] = task
    }
    return out
  }

  @Test("steps run in order, deps first, and a task reached twice appears once")
  func order() throws {
    let graph = try TaskGraph(
      roots: [TaskReference(name: "setup", location: .init(path: "", line: 1, column: 1))],
      tasks: tasks([
        "setup": ([], ["drop", "create", "schema"]), "drop": ([], []), "create": ([], []),
        "schema": (["create"], []),
      ]))
    #expect(graph.order == ["drop", "create", "schema", "setup"])
  }

  @Test("a 10,000-deep chain does not exhaust the stack")
  func deepChain() throws {
    var spec: [String: (deps: [String], steps: [String])] = ["t0": ([], [])]
    for i in 1..<10_000 { spec["t\(i)"] = (["t\(i - 1)"], []) }
    let graph = try TaskGraph(
      roots: [TaskReference(name: "t9999", location: .init(path: "", line: 1, column: 1))], tasks: tasks(spec))
    #expect(graph.order.count == 10_000)
    #expect(graph.order.first == "t0")
  }
}

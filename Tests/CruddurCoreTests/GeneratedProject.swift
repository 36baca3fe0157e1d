/// A random valid cruddur.yml: the values it declares, and one of the many texts that
/// write them (block or flow mappings and lists, plain or quoted scalars, comments).
struct GeneratedProject {
  struct Environment {
    var name: String
    var url: String
    var isDefault: Bool
    var isProtected: Bool?
  }

  struct Task {
    var name: String
    var description: String?
    var action: String
    var actionValue: String
    var deps: [String]
    var params: [String]
    var timeout: (text: String, seconds: Double)?
    var isProtected: Bool?
  }

  var vars: [(String, String)] = []
  var environments: [Environment] = []
  var tasks: [Task] = []
  var text = ""

  static let timeouts: [(String, Double)] = [
    ("5", 5), ("90s", 90), ("2m", 120), ("500ms", 0.5), ("1h30m", 5400), ("0.25", 0.25),
  ]
  static let booleans: [(String, Bool)] = [("true", true), ("false", false), ("yes", true), ("no", false)]

  init(_ values: [Int]) {
    var c = Choices(values)
    var used: Set<String> = []
    func unique(_ make: () -> String) -> String {
      var name = make()
      while used.contains(name) { name += "x" }
      used.insert(name)
      return name
    }
    for _ in 0..<c.pick(3) {
      vars.append((unique { c.identifier().uppercased() }, c.scalar().value))
    }
    let defaultIndex = c.pick(4)
    for i in 0...c.pick(3) {
      let name = unique { c.identifier() }
      environments.append(
        Environment(
          name: name, url: "postgresql://u\(c.pick(9)):p@h\(c.pick(9)).example.com:\(5432 + c.pick(10))/\(name)",
          isDefault: i == defaultIndex, isProtected: c.chance(50) ? c.chance(50) : nil))
    }
    for _ in 0...c.pick(5) {
      let name = unique { c.chance(50) ? c.identifier() + ":" + c.identifier() : c.identifier() }
      let earlier = tasks.map(\.name)
      var deps: [String] = []
      for dep in earlier where c.chance(30) { deps.append(dep) }
      tasks.append(
        Task(
          name: name, description: c.chance(70) ? c.scalar(maxLength: 20).value : nil,
          action: c.element(["database", "query"]), actionValue: c.scalar().value, deps: deps,
          params: (0..<c.pick(3)).map { _ in c.identifier() }, timeout: c.chance(40) ? c.element(Self.timeouts) : nil,
          isProtected: c.chance(30) ? c.chance(50) : nil))
    }
    text = render(&c)
  }

  private func scalar(_ value: String, _ c: inout Choices) -> String {
    let styles: [YAMLScalarStyle] = YAMLScalarStyle.isPlainSafe(value) ? YAMLScalarStyle.allCases : [.singleQuoted, .doubleQuoted]
    return c.element(styles).render(value)
  }

  private func list(_ items: [String], indent: String, _ c: inout Choices) -> String {
    if items.isEmpty || c.chance(60) { return " [" + items.map { scalar($0, &c) }.joined(separator: ", ") + "]" }
    return items.map { "\n\(indent)- \(scalar($0, &c))" }.joined()
  }

  /// `pairs` (already rendered values, or nested text starting with a line break) as a
  /// block mapping at `indent`, or as one flow mapping when every value is a flow value.
  private func mapping(_ pairs: [(String, String)], indent: String, flow: Bool = true, _ c: inout Choices) -> String {
    let flowable = flow && pairs.allSatisfy { !$0.1.hasPrefix("\n") }
    if flowable, !pairs.isEmpty, c.chance(40) {
      return " { " + pairs.map { "\($0.0):\($0.1)" }.joined(separator: ", ") + " }"
    }
    var out = ""
    for (key, value) in pairs {
      if c.chance(15) { out += "\n\(indent)# \(c.identifier())" }
      if c.chance(10) { out += "\n" }
      out += "\n\(indent)\(key):\(value)"
      if !value.hasPrefix("\n"), c.chance(15) { out += "  # note" }
    }
    return out
  }

  private func render(_ c: inout Choices) -> String {
    var top: [(String, String)] = [("version", " 1")]
    if !vars.isEmpty {
      top.append(("vars", mapping(vars.map { ($0.0, " " + scalar($0.1, &c)) }, indent: "  ", &c)))
    }
    var environmentPairs: [(String, String)] = []
    for environment in environments {
      var fields = [("url", " " + scalar(environment.url, &c))]
      if environment.isDefault { fields.append(("default", " true")) }
      if let isProtected = environment.isProtected {
        fields.append(("protected", " " + c.element(Self.booleans.filter { $0.1 == isProtected }).0))
      }
      environmentPairs.append((environment.name, mapping(fields, indent: "    ", &c)))
    }
    top.append(("environments", mapping(environmentPairs, indent: "  ", flow: false, &c)))
    var taskPairs: [(String, String)] = []
    for task in tasks {
      var fields: [(String, String)] = []
      if let description = task.description { fields.append(("description", " " + scalar(description, &c))) }
      fields.append((task.action, " " + scalar(task.actionValue, &c)))
      if !task.deps.isEmpty || c.chance(10) { fields.append(("deps", list(task.deps, indent: "      ", &c))) }
      if !task.params.isEmpty { fields.append(("params", list(task.params, indent: "      ", &c))) }
      if let timeout = task.timeout { fields.append(("timeout", " " + timeout.text)) }
      if let isProtected = task.isProtected {
        fields.append(("protected", " " + c.element(Self.booleans.filter { $0.1 == isProtected }).0))
      }
      for i in stride(from: fields.count - 1, to: 0, by: -1) { fields.swapAt(i, c.pick(i + 1)) }
      taskPairs.append((task.name, mapping(fields, indent: "    ", &c)))
    }
    top.append(("tasks", mapping(taskPairs, indent: "  ", flow: false, &c)))
    var text = ""
    for (key, value) in top { text += "\(key):\(value)\n" }
    return text
  }
}

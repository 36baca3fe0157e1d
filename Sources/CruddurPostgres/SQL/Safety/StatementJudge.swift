import Foundation

/// Classifies each statement of a script from PostgreSQL's own parse tree (libpg_query):
/// read-only, writing, destructive or unknown, with a reason. It reads statements in order
/// and remembers what the script itself defines, so a function created and then called,
/// or a statement prepared and then executed, is judged by what it does. Whatever the
/// grammar cannot see through is unknown, never safe.
struct StatementJudge {
  /// Functions and procedures the script created, by lowercased unqualified name.
  private(set) var functions: [String: SafetyVerdict] = [:]
  /// Statements the script prepared, by name.
  private var prepared: [String: SafetyVerdict] = [:]
  /// Functions `plan --check` found stable or immutable on the target (lowercased, both
  /// `name` and `schema.name`): calls of them only read.
  var readOnlyOnTarget: Set<String> = []
  /// Functions whose calls were judged unknown because nothing said what they do: what
  /// `plan --check` looks up on the target.
  private(set) var unresolvedFunctions: Set<String> = []
  /// How deep PL/pgSQL bodies and function calls are followed before giving up.
  private var depth = 0
  private static let maximumDepth = 12

  init() {}

  /// The class of one statement's text (it may hold several statements; the weightiest
  /// counts). `standardConformingStrings` is the setting in force where the text starts.
  /// `parsed`: the text already parsed (`JudgingQueue` parses ahead on other cores).
  mutating func judge(
    _ text: String, standardConformingStrings: Bool = true,
    parsed: Result<[ParsedStatement], SQLParseError>? = nil
  ) -> SafetyVerdict {
    // libpg_query reads strings as the server does with the setting on; with it off a
    // backslash ends or escapes differently, so the tree could be another statement's.
    if !standardConformingStrings && text.utf8.contains(UInt8(ascii: "\\")) {
      return SafetyVerdict(
        .unknown, "standard_conforming_strings is off and the statement has a backslash")
    }
    switch parsed ?? SQLParser.parse(text) {
    case .failure(let error):
      switch error.kind {
      case .unavailable: return SafetyVerdict(.unknown, error.message)
      case .syntax:
        return SafetyVerdict(.unknown, "PostgreSQL 15's grammar cannot read it (\(error.message))")
      }
    case .success(let statements):
      var verdict = SafetyVerdict.readOnly
      // One statement (the reader's usual case) is the whole text: no slicing.
      if statements.count == 1 { return judge(statement: statements[0].node, text: text) }
      let bytes = Array(text.utf8)
      for statement in statements {
        let end =
          statement.length > 0
          ? min(bytes.count, statement.location + statement.length) : bytes.count
        let start = min(statement.location, end)
        let own = String(decoding: bytes[start..<end], as: UTF8.self)
        verdict.join(judge(statement: statement.node, text: own))
      }
      return verdict
    }
  }

  // MARK: - Statements

  private mutating func judge(statement: ParseNode, text: String?) -> SafetyVerdict {
    guard let (type, body) = statement.typed else {
      return SafetyVerdict(.unknown, "an unreadable parse tree")
    }
    switch type {
    case "SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt":
      var verdict = SafetyVerdict.readOnly
      scan(statement, into: &verdict)
      return verdict
    case "ExplainStmt":
      // Without ANALYZE the statement is only planned, never run.
      let analyze = body["options"]?.elements.contains { option in
        guard let element = option["DefElem"], element["defname"]?.stringValue == "analyze" else {
          return false
        }
        return Self.isTrue(element["arg"])
      }
      guard analyze == true, let query = body["query"] else { return .readOnly }
      return judge(statement: query, text: nil)
    case "PrepareStmt":
      let verdict = body["query"].map { judge(statement: $0, text: nil) } ?? .readOnly
      if let name = body["name"]?.stringValue { prepared[name] = verdict }
      return .readOnly
    case "ExecuteStmt":
      let name = body["name"]?.stringValue ?? ""
      var verdict =
        prepared[name] ?? SafetyVerdict(.unknown, "EXECUTE \(name), prepared outside this file")
      if let parameters = body["params"] { scan(parameters, into: &verdict) }
      return verdict
    case "DeclareCursorStmt":
      return body["query"].map { judge(statement: $0, text: nil) } ?? .readOnly
    case "CreateTableAsStmt":
      // CREATE TABLE AS and CREATE MATERIALIZED VIEW run their query.
      return SafetyVerdict.writing.joined(
        body["query"].map { judge(statement: $0, text: nil) } ?? .readOnly)
    case "CallStmt":
      let name = body["funccall"]?["funcname"]?.nameParts ?? []
      var verdict =
        functions[name.last?.lowercased() ?? ""]
        ?? SafetyVerdict(
          .unknown, "CALL \(name.joined(separator: ".")): a procedure may do anything")
      if let arguments = body["funccall"]?["args"] { scan(arguments, into: &verdict) }
      return verdict
    case "DoStmt":
      return judgeDo(body, text: text)
    case "CreateFunctionStmt":
      registerFunction(body, text: text)
      return .writing
    case "CreateTrigStmt", "CreateEventTrigStmt":
      // The trigger runs its function on later statements: one this file created is
      // judged by what it does (a function created elsewhere is the target's business).
      let name = (body["funcname"]?.nameParts.last ?? "").lowercased()
      let trigger = body["trigname"]?.stringValue ?? ""
      if let function = functions[name], function.safetyClass.needsConsent {
        return SafetyVerdict(
          function.safetyClass,
          "trigger \(trigger) runs \(name)(), which \(function.reason ?? function.safetyClass.name)"
        )
      }
      return .writing
    case "RuleStmt":
      // A rule's actions run later, in place of or besides the event's statement.
      var verdict = SafetyVerdict.writing
      for action in body["actions"]?.elements ?? [] {
        let actionVerdict = judge(statement: action, text: nil)
        if actionVerdict.safetyClass.needsConsent {
          let rule = body["rulename"]?.stringValue ?? ""
          verdict.join(
            SafetyVerdict(actionVerdict.safetyClass, "rule \(rule): \(actionVerdict.reason ?? "")"))
        }
      }
      return verdict
    case "TruncateStmt":
      let names = body["relations"]?.elements.map(Self.relationName) ?? []
      return SafetyVerdict(.destructive, "TRUNCATE \(names.joined(separator: ", "))")
    case "DropStmt":
      let kind = Self.objectKind(body["removeType"])
      return SafetyVerdict(.destructive, "DROP \(kind) \(Self.objectNames(body["objects"]))")
    case "DropdbStmt":
      return SafetyVerdict(.destructive, "DROP DATABASE \(body["dbname"]?.stringValue ?? "")")
    case "DropRoleStmt":
      return SafetyVerdict(.destructive, "DROP ROLE")
    case "DropTableSpaceStmt":
      return SafetyVerdict(
        .destructive, "DROP TABLESPACE \(body["tablespacename"]?.stringValue ?? "")")
    case "DropOwnedStmt":
      return SafetyVerdict(.destructive, "DROP OWNED")
    case "ReassignOwnedStmt":
      return SafetyVerdict(.destructive, "REASSIGN OWNED")
    case "DropSubscriptionStmt", "DropUserMappingStmt", "DropTransformStmt":
      return SafetyVerdict(.destructive, "DROP \(type.dropFirst(4).dropLast(4).uppercased())")
    case "RenameStmt":
      let kind = Self.objectKind(body["renameType"])
      let relation = body["relation"].map(Self.relationName)
      if let relation, let column = body["subname"]?.stringValue {
        return SafetyVerdict(
          .destructive,
          "ALTER \(Self.objectKind(body["relationType"])) \(relation) RENAME \(kind) \(column)")
      }
      return SafetyVerdict(
        .destructive,
        "ALTER \(kind) \(relation ?? Self.objectNames(body["object"].map { .array([$0]) })) RENAME")
    case "AlterObjectSchemaStmt":
      return SafetyVerdict(.destructive, "ALTER \(Self.objectKind(body["objectType"])) SET SCHEMA")
    case "AlterSystemStmt":
      return SafetyVerdict(.destructive, "ALTER SYSTEM changes the server's configuration")
    case "GrantStmt":
      return body["is_grant"]?.boolValue == true ? .writing : SafetyVerdict(.destructive, "REVOKE")
    case "GrantRoleStmt":
      return body["is_grant"]?.boolValue == true
        ? .writing : SafetyVerdict(.destructive, "REVOKE role")
    case "AlterTableStmt":
      return judgeAlterTable(body)
    case "AlterTableMoveAllStmt":
      return SafetyVerdict(.destructive, "ALTER … ALL IN TABLESPACE rewrites every table moved")
    case "AlterDomainStmt":
      // subtype X: DROP CONSTRAINT.
      return body["subtype"]?.stringValue == "X"
        ? SafetyVerdict(.destructive, "ALTER DOMAIN DROP CONSTRAINT") : .writing
    case "AlterEnumStmt":
      return body["oldVal"] != nil
        ? SafetyVerdict(.destructive, "ALTER TYPE RENAME VALUE") : .writing
    case "AlterOpFamilyStmt":
      return body["isDrop"]?.boolValue == true
        ? SafetyVerdict(.destructive, "ALTER OPERATOR FAMILY DROP") : .writing
    case "AlterExtensionContentsStmt":
      return body["action"]?.intValue == -1
        ? SafetyVerdict(.destructive, "ALTER EXTENSION DROP") : .writing
    case "CopyStmt":
      return judgeCopy(body)
    case "VacuumStmt":
      let full =
        body["options"]?.elements.contains { $0["DefElem"]?["defname"]?.stringValue == "full" }
        ?? false
      return body["is_vacuumcmd"]?.boolValue == true && full
        ? SafetyVerdict(.destructive, "VACUUM FULL rewrites \(Self.vacuumTargets(body))") : .writing
    case "ClusterStmt":
      return SafetyVerdict(
        .destructive,
        "CLUSTER rewrites \(body["relation"].map(Self.relationName) ?? "every clustered table")")
    case "LoadStmt":
      return SafetyVerdict(.unknown, "LOAD runs a shared library's code")
    case "TransactionStmt", "VariableSetStmt", "VariableShowStmt", "DiscardStmt", "ListenStmt",
      "UnlistenStmt",
      "NotifyStmt", "LockStmt", "FetchStmt", "ClosePortalStmt", "ConstraintsSetStmt",
      "CheckPointStmt",
      "DeallocateStmt":
      return .readOnly
    default:
      // Statements that add or change objects without removing any: CREATE …, ALTER …
      // (the removing forms are above), COMMENT, GRANT, REINDEX, REFRESH….
      let adding = [
        "Create", "Define", "Alter", "Comment", "SecLabel", "Index", "View", "CompositeType",
        "ImportForeignSchema", "Reindex", "RefreshMatView",
      ]
      if adding.contains(where: { type.hasPrefix($0) }) { return .writing }
      return SafetyVerdict(.unknown, "\(type) is not a statement cruddur classifies")
    }
  }

  /// Walks a statement that runs now (a query or DML, at any depth: CTEs, subqueries,
  /// RETURNING), joining what each part does.
  private mutating func scan(_ node: ParseNode, into verdict: inout SafetyVerdict) {
    switch node {
    case .array(let items):
      for item in items { scan(item, into: &verdict) }
    case .object(let fields):
      if fields.count == 1, let (type, body) = node.typed, case .object = body {
        judgeNode(type, body, into: &verdict)
      }
      for value in fields.values { scan(value, into: &verdict) }
    default:
      return
    }
  }

  private mutating func judgeNode(
    _ type: String, _ body: ParseNode, into verdict: inout SafetyVerdict
  ) {
    switch type {
    case "DeleteStmt", "UpdateStmt":
      let verb = type == "DeleteStmt" ? "DELETE" : "UPDATE"
      let relation = body["relation"].map(Self.relationName) ?? ""
      if let condition = body["whereClause"], WhereFilter.filters(condition) {
        verdict.join(.writing)
      } else {
        let how = body["whereClause"] == nil ? "without WHERE" : "with a WHERE that reads no column"
        verdict.join(SafetyVerdict(.destructive, "\(verb) \(how) on \(relation)"))
      }
    case "MergeStmt":
      let relation = body["relation"].map(Self.relationName) ?? ""
      let joins = body["joinCondition"].map(WhereFilter.filters) ?? false
      for clause in body["mergeWhenClauses"]?.elements ?? [] {
        guard let when = clause["MergeWhenClause"] else { continue }
        switch when["commandType"]?.stringValue {
        case "CMD_DELETE":
          verdict.join(SafetyVerdict(.destructive, "MERGE … THEN DELETE on \(relation)"))
        case "CMD_UPDATE":
          let filtered = joins || (when["condition"].map(WhereFilter.filters) ?? false)
          verdict.join(
            filtered
              ? .writing
              : SafetyVerdict(
                .destructive, "MERGE … THEN UPDATE on \(relation) joined on no column"))
        default:
          verdict.join(.writing)
        }
      }
    case "InsertStmt":
      verdict.join(.writing)
    case "SelectStmt":
      if body["intoClause"] != nil { verdict.join(.writing) }
    case "FuncCall":
      verdict.join(judgeCall(body["funcname"]?.nameParts ?? []))
    default:
      return
    }
  }

  // MARK: - Functions

  private mutating func judgeCall(_ parts: [String]) -> SafetyVerdict {
    let name = (parts.last ?? "").lowercased()
    let schema = parts.count > 1 ? parts[parts.count - 2].lowercased() : nil
    if schema == nil || schema == "public", let own = functions[name] {
      return own.safetyClass.needsConsent
        ? SafetyVerdict(
          own.safetyClass, "calls \(name)(), which \(own.reason ?? own.safetyClass.name)") : own
    }
    if schema == nil || schema == "pg_catalog" {
      if let known = KnownFunctions.volatile[Substring(name)] { return known }
      if KnownFunctions.readOnly.contains(Substring(name)) { return .readOnly }
    }
    let qualified = parts.map { $0.lowercased() }.joined(separator: ".")
    if readOnlyOnTarget.contains(qualified) || (schema == nil && readOnlyOnTarget.contains(name)) {
      return .readOnly
    }
    unresolvedFunctions.insert(qualified)
    return SafetyVerdict(.unknown, "calls \(qualified)(), not known to be read-only")
  }

  private mutating func registerFunction(_ body: ParseNode, text: String?) {
    let name = (body["funcname"]?.nameParts.last ?? "").lowercased()
    var language = "sql"
    var source: String?
    var volatility = "volatile"
    for option in body["options"]?.elements ?? [] {
      guard let element = option["DefElem"] else { continue }
      switch element["defname"]?.stringValue {
      case "language":
        language = element["arg"]?["String"]?["sval"]?.stringValue?.lowercased() ?? language
      case "as":
        let parts =
          element["arg"]?["List"]?["items"]?.elements.compactMap {
            $0["String"]?["sval"]?.stringValue
          } ?? []
        source = parts.count == 1 ? parts[0] : nil
      case "volatility": volatility = element["arg"]?["String"]?["sval"]?.stringValue ?? volatility
      default: break
      }
    }
    let verdict: SafetyVerdict
    // The server runs a stable or immutable SQL or PL/pgSQL function read-only: a write
    // in it fails.
    if volatility != "volatile" && (language == "sql" || language == "plpgsql")
      && body["is_procedure"] == nil
    {
      verdict = .readOnly
    } else if let atomic = body["sql_body"] {
      var joined = SafetyVerdict.readOnly
      for statement in Self.statements(inAtomicBody: atomic) {
        joined.join(nested { $0.judge(statement: statement, text: nil) })
      }
      verdict = joined
    } else if language == "sql", let source {
      verdict = nested { $0.judge(source) }
    } else if language == "plpgsql", let text {
      verdict = nested { $0.judgePLpgSQL(text, what: "function \(name)") }
    } else {
      verdict = SafetyVerdict(.unknown, "function \(name) is written in \(language)")
    }
    // Until its body is judged a recursive call sees it as unknown, then as what it does.
    functions[name] = verdict
  }

  private static func statements(inAtomicBody body: ParseNode) -> [ParseNode] {
    var found: [ParseNode] = []
    body.walk { node in
      if let type = node.nodeType, type.hasSuffix("Stmt") {
        found.append(node)
        return false
      }
      return true
    }
    return found
  }

  // MARK: - DO and PL/pgSQL

  private mutating func judgeDo(_ body: ParseNode, text: String?) -> SafetyVerdict {
    var language = "plpgsql"
    for argument in body["args"]?.elements ?? [] {
      if let element = argument["DefElem"], element["defname"]?.stringValue == "language" {
        language = element["arg"]?["String"]?["sval"]?.stringValue?.lowercased() ?? language
      }
    }
    guard language == "plpgsql", let text else {
      return SafetyVerdict(.unknown, "a DO block in \(language)")
    }
    return nested { $0.judgePLpgSQL(text, what: "a DO block") }
  }

  /// Judges every statement and expression of the PL/pgSQL functions in `text` (a DO or a
  /// CREATE FUNCTION statement). Dynamic SQL is unknown unless it is a constant string.
  private mutating func judgePLpgSQL(_ text: String, what: String) -> SafetyVerdict {
    guard depth <= Self.maximumDepth else {
      return SafetyVerdict(.unknown, "\(what) nests too deep to follow")
    }
    let functions: [ParseNode]
    switch SQLParser.parsePLpgSQL(text) {
    case .failure(let error):
      return SafetyVerdict(.unknown, "\(what) cannot be read (\(error.message))")
    case .success(let parsed):
      functions = parsed
    }
    var verdict = SafetyVerdict.readOnly
    for function in functions { judgePLpgSQLNode(function, what: what, into: &verdict) }
    return verdict
  }

  private mutating func judgePLpgSQLNode(
    _ node: ParseNode, what: String, into verdict: inout SafetyVerdict
  ) {
    switch node {
    case .array(let items):
      for item in items { judgePLpgSQLNode(item, what: what, into: &verdict) }
    case .object(let fields):
      if let (type, body) = node.typed {
        switch type {
        case "PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_dynfors":
          let query = body["query"]?["PLpgSQL_expr"]?["query"]?.stringValue ?? ""
          if let constant = Self.constantString(query) {
            let inner = nested { $0.judge(constant) }
            verdict.join(inner)
            verdict.join(.writing)
          } else {
            verdict.join(SafetyVerdict(.unknown, "dynamic EXECUTE in \(what)"))
          }
          return
        case "PLpgSQL_stmt_return_query" where body["dynquery"] != nil:
          verdict.join(SafetyVerdict(.unknown, "RETURN QUERY EXECUTE in \(what)"))
          return
        case "PLpgSQL_stmt_open" where body["dynquery"] != nil:
          verdict.join(SafetyVerdict(.unknown, "a cursor over dynamic SQL in \(what)"))
          return
        case "PLpgSQL_expr":
          verdict.join(judgeExpression(body["query"]?.stringValue ?? "", what: what))
          return
        default:
          break
        }
      }
      for value in fields.values { judgePLpgSQLNode(value, what: what, into: &verdict) }
    default:
      return
    }
  }

  /// A PL/pgSQL expression or statement: `a := b + 1`, `x > 1`, `SELECT f()`, `DELETE …`.
  private mutating func judgeExpression(_ query: String, what: String) -> SafetyVerdict {
    var text = query
    if let assignment = Self.assignmentValue(query) { text = assignment }
    if case .success = SQLParser.parse(text) { return nested { $0.judge(text) } }
    let selected = "SELECT " + text
    if case .success = SQLParser.parse(selected) { return nested { $0.judge(selected) } }
    return SafetyVerdict(.unknown, "\(what) has an expression cruddur cannot read")
  }

  /// `target := value` gives `value` (the target cannot hold `:=`).
  private static func assignmentValue(_ query: String) -> String? {
    guard let range = query.range(of: ":=") else { return nil }
    let target = query[..<range.lowerBound]
    guard !target.contains("'"), !target.contains("$") else { return nil }
    return String(query[range.upperBound...])
  }

  /// The string an EXECUTE's expression always has when it is one literal (`'drop table t'`).
  private static func constantString(_ expression: String) -> String? {
    guard case .success(let statements) = SQLParser.parse("SELECT " + expression),
      statements.count == 1,
      let targets = statements[0].node["SelectStmt"]?["targetList"]?.elements, targets.count == 1,
      statements[0].node["SelectStmt"]?["fromClause"] == nil,
      let value = targets[0]["ResTarget"]?["val"]?["A_Const"]?["sval"]?["sval"]?.stringValue
    else { return nil }
    return value
  }

  private mutating func nested(_ body: (inout StatementJudge) -> SafetyVerdict) -> SafetyVerdict {
    guard depth < Self.maximumDepth else {
      return SafetyVerdict(.unknown, "functions and DO blocks nest too deep to follow")
    }
    depth += 1
    defer { depth -= 1 }
    return body(&self)
  }

  // MARK: - ALTER TABLE and COPY

  private mutating func judgeAlterTable(_ body: ParseNode) -> SafetyVerdict {
    let relation = body["relation"].map(Self.relationName) ?? ""
    let kind = Self.objectKind(body["objtype"])
    var verdict = SafetyVerdict.writing
    for command in body["cmds"]?.elements ?? [] {
      guard let cmd = command["AlterTableCmd"] else { continue }
      let subtype = cmd["subtype"]?.stringValue ?? ""
      let column = cmd["name"]?.stringValue.map { " \($0)" } ?? ""
      let what: String?
      switch subtype {
      case "AT_DropColumn", "AT_DropColumnRecurse": what = "DROP COLUMN\(column)"
      case "AT_AlterColumnType": what = "ALTER COLUMN\(column) TYPE rewrites its values"
      case "AT_DropConstraint", "AT_DropConstraintRecurse": what = "DROP CONSTRAINT\(column)"
      case "AT_DropIdentity": what = "ALTER COLUMN\(column) DROP IDENTITY"
      case "AT_DropInherit": what = "NO INHERIT"
      case "AT_DropOf": what = "NOT OF"
      case "AT_DetachPartition", "AT_DetachPartitionFinalize": what = "DETACH PARTITION"
      case "AT_SetLogged", "AT_SetUnLogged": what = "SET LOGGED/UNLOGGED rewrites it"
      case "AT_SetAccessMethod": what = "SET ACCESS METHOD rewrites it"
      case "AT_SetTableSpace": what = "SET TABLESPACE rewrites it"
      case "AT_AddColumn", "AT_AddColumnRecurse":
        what =
          rewritingDefault(cmd["def"])
          ? "ADD COLUMN with a volatile or stored default rewrites it" : nil
      default: what = nil
      }
      if let what { verdict.join(SafetyVerdict(.destructive, "ALTER \(kind) \(relation) \(what)")) }
    }
    return verdict
  }

  /// A column added with a volatile default, or a stored generated one, rewrites every row.
  private mutating func rewritingDefault(_ definition: ParseNode?) -> Bool {
    for constraint in definition?["ColumnDef"]?["constraints"]?.elements ?? [] {
      guard let body = constraint["Constraint"] else { continue }
      if body["contype"]?.stringValue == "CONSTR_GENERATED" { return true }
      if body["contype"]?.stringValue == "CONSTR_DEFAULT", let expression = body["raw_expr"] {
        var found = false
        expression.walk { node in
          if let call = node["FuncCall"] {
            let name = Substring((call["funcname"]?.nameParts.last ?? "").lowercased())
            if !KnownFunctions.readOnly.contains(name) { found = true }
          }
          return !found
        }
        if found { return true }
      }
    }
    return false
  }

  private mutating func judgeCopy(_ body: ParseNode) -> SafetyVerdict {
    if body["is_program"]?.boolValue == true {
      return SafetyVerdict(.destructive, "COPY … PROGRAM runs a shell command on the server")
    }
    var verdict = body["query"].map { judge(statement: $0, text: nil) } ?? .readOnly
    let isFrom = body["is_from"]?.boolValue == true
    if isFrom { verdict.join(.writing) }
    if !isFrom, let file = body["filename"]?.stringValue {
      verdict.join(SafetyVerdict(.destructive, "COPY … TO '\(file)' writes a file on the server"))
    }
    return verdict
  }

  // MARK: - Names

  static func relationName(_ node: ParseNode) -> String {
    let range = node["RangeVar"] ?? node
    return [range["schemaname"]?.stringValue, range["relname"]?.stringValue].compactMap { $0 }
      .joined(separator: ".")
  }

  /// "TABLE" for "OBJECT_TABLE".
  private static func objectKind(_ node: ParseNode?) -> String {
    let raw = node?.stringValue ?? "OBJECT"
    return (raw.hasPrefix("OBJECT_") ? String(raw.dropFirst(7)) : raw).replacingOccurrences(
      of: "_", with: " ")
  }

  private static func objectNames(_ node: ParseNode?) -> String {
    let names = (node?.elements ?? []).map { object -> String in
      if let parts = object["List"]?["items"]?.nameParts, !parts.isEmpty {
        return parts.joined(separator: ".")
      }
      if let name = object["String"]?["sval"]?.stringValue { return name }
      if let type = object["TypeName"]?["names"]?.nameParts, !type.isEmpty {
        return type.joined(separator: ".")
      }
      return "…"
    }
    return names.joined(separator: ", ")
  }

  private static func vacuumTargets(_ body: ParseNode) -> String {
    let names =
      body["rels"]?.elements.compactMap { $0["VacuumRelation"]?["relation"].map(relationName) }
      ?? []
    return names.isEmpty ? "every table" : names.joined(separator: ", ")
  }

  /// An option's argument as a boolean: absent means true (`EXPLAIN (ANALYZE)`).
  private static func isTrue(_ argument: ParseNode?) -> Bool {
    guard let argument else { return true }
    if let text = argument["String"]?["sval"]?.stringValue {
      return StatementClassifier.booleanValue(text) ?? true
    }
    if let number = argument["Integer"]?["ival"]?.intValue { return number != 0 }
    if argument["Integer"] != nil { return false }
    if let flag = argument["Boolean"] { return flag["boolval"]?.boolValue ?? false }
    return true
  }
}

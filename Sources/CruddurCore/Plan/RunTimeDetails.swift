import Foundation

/// The plan lines for what only a run can know, for every step kind: `sh:` variables,
/// `unless` checks, the timeout. Plans never run them.
public enum RunTimeDetails {
  public static func lines(for task: TaskDefinition, scope: Scope) -> [String] {
    var details: [String] = []
    for (name, value) in task.vars.sorted(by: { $0.key < $1.key }) {
      guard case .command(let command, _) = value else { continue }
      if let given = scope.lookup(name), given.origin.isFromOutside {
        details.append("\(name): from \(given.origin)")
      } else {
        details.append("\(name): computed at run time (sh: \(command))")
      }
    }
    switch task.unless {
    case .sh(let command, _): details.append("unless `\(command)` exits 0: checked at run time")
    case .sql(let sql, _): details.append("unless the query returns a row: checked at run time (\(sql))")
    case nil: break
    }
    if let timeout = task.timeout {
      // Plain digits: `formatted()` groups thousands by locale ("5,400").
      let shown = SecondsText.shown(timeout)
      details.append("timeout: \(shown) s")
    }
    return details
  }
}

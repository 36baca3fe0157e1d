import CruddurCore
import Foundation

/// An error as one JSON object on one line, for `--format json`: whatever ends a command
/// (a configuration error, a usage error, a refusal) reaches a machine in the same shape,
/// never as text it would have to parse (docs/json.md, "Errors").
public enum JSONErrorRenderer {
  /// `kind` names the reason (`unknownKey`, `usage`, `protectedWithoutConsent`...); the
  /// message, hint and place are the first diagnostic's; `errors` holds every message when
  /// there are several.
  public static func line(kind: String, diagnostics: [Diagnostic], exitCode: Int32) -> String {
    var object: [String: Any] = ["event": "error", "error_kind": kind, "exit_code": Int(exitCode)]
    let errors = diagnostics.filter { $0.severity == .error }
    let first = errors.first ?? diagnostics.first
    object["message"] = first.map { Redaction.redact($0.message) } ?? ""
    object["hint"] = first?.help.map(Redaction.redact) ?? NSNull()
    if let location = first?.location, location.line > 0 {
      object["file"] = location.path
      object["line"] = location.line
      object["column"] = location.column
    }
    if let code = first?.code { object["sqlstate"] = code }
    if errors.count > 1 { object["errors"] = errors.map { Redaction.redact($0.message) } }
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The name of an enum case (`unknownKey` of `.unknownKey(key: ...)`), or of a type.
  public static func name(of value: Any) -> String {
    let text = String(describing: value)
    return String(text.prefix { $0 != "(" && $0 != "." })
  }
}

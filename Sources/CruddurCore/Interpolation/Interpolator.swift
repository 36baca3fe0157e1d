/// Renders templates against a scope; a missing variable is an error at its place.
public enum Interpolator {
  public static func render(_ template: Template, in scope: Scope) throws(ConfigError) -> String {
    var out = ""
    for part in template.parts {
      switch part {
      case .literal(let text): out += text
      case .variable(let name, let fallback, let column):
        let here = SourceLocation(
          path: template.location.path, line: template.location.line, column: column,
          length: 2 + name.unicodeScalars.count)
        if let value = scope.value(name), !value.isEmpty {
          out += value
          continue
        }
        switch fallback {
        case .defaultValue(let inner): out += try render(inner, in: scope)
        case .failure(let message):
          throw ConfigError(.requiredVariableMissing(name: name, message: message), at: here)
        case .none:
          if let value = scope.value(name) {
            out += value
          } else {
            throw ConfigError(.variableNotSet(name: name), at: here)
          }
        }
      }
    }
    return out
  }
}

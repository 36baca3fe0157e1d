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
          throw ConfigError(
            .error(message.isEmpty ? "variable `\(name)` is not set" : message, at: here,
              label: "`\(name)` is not set"))
        case .none:
          if let value = scope.value(name) {
            out += value
          } else {
            throw ConfigError(
              .error(
                "variable `\(name)` is not set", at: here,
                help: "set it in the environment, in `vars:`, or with `--set \(name)=...`"))
          }
        }
      }
    }
    return out
  }
}

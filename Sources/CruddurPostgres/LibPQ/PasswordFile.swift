import CruddurCore
import Foundation

/// libpq's password file (`PGPASSFILE`, else `~/.pgpass`): libpq may take a password from
/// it that cruddur never sees in a URL, so every password in it is masked in all output.
enum PasswordFile {
  /// Read once per process, the first time a connection string is parsed.
  static let remembered: Void = {
    // Two variables by getenv: Foundation's whole environment dictionary cost every run
    // that connects 0.45 M instructions.
    func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
    let path = variable("PGPASSFILE") ?? (variable("HOME").map { $0 + "/.pgpass" } ?? "")
    var isDirectory: ObjCBool = false
    guard !path.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      !isDirectory.boolValue,
      let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      attributes[.type] as? FileAttributeType == .typeRegular,
      let text = try? String(contentsOfFile: path, encoding: .utf8)
    else { return }
    for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
      if let password = fields(of: line).dropFirst(4).first { Redaction.remember(secret: password) }
    }
  }()

  /// `host:port:database:user:password`, where `\:` and `\\` are literal.
  static func fields(of line: Substring) -> [String] {
    var fields: [String] = []
    var current = ""
    var escaped = false
    for c in line {
      if escaped {
        current.append(c)
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == ":" && fields.count < 4 {
        fields.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    fields.append(current)
    return fields
  }
}

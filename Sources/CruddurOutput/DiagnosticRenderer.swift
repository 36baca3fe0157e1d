import CruddurCore

/// Renders diagnostics the way rustc and just do: message, `--> file:line:col`, the source
/// line, a caret run under the column, then notes and help.
public struct DiagnosticRenderer: Sendable {
  public let sources: SourceMap
  public let terminal: Terminal

  public init(sources: SourceMap, terminal: Terminal) {
    self.sources = sources
    self.terminal = terminal
  }

  public func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map(render).joined()
  }

  public func render(_ diagnostic: Diagnostic) -> String {
    let head: String
    switch diagnostic.severity {
    case .error: head = terminal.paint("error", .red)
    case .warning: head = terminal.paint("warning", .yellow)
    case .note: head = terminal.paint("note", .blue)
    }
    var out = "\(head): \(terminal.paint(Redaction.redact(diagnostic.message), .bold))\n"
    var gutterWidth = 1
    if let location = diagnostic.location {
      out += snippet(
        for: location, label: diagnostic.label, fallbackLine: diagnostic.sourceLine, gutterWidth: &gutterWidth)
    }
    let pad = String(repeating: " ", count: gutterWidth)
    for note in diagnostic.notes {
      if let location = note.location, location.line > 0 {
        out += "\(pad)= note: \(Redaction.redact(note.message)) at \(location)\n"
      } else {
        out += "\(pad)= \(Redaction.redact(note.message))\n"
      }
    }
    if let help = diagnostic.help { out += "\(pad)= help: \(Redaction.redact(help))\n" }
    return out
  }

  private func snippet(
    for location: SourceLocation, label: String?, fallbackLine: String?, gutterWidth: inout Int
  ) -> String {
    guard location.line > 0 else {
      return " --> \(location.path)\n" + (label.map { "  = \($0)\n" } ?? "")
    }
    let number = String(location.line)
    gutterWidth = number.count + 1
    let pad = String(repeating: " ", count: gutterWidth)
    var out = "\(String(repeating: " ", count: gutterWidth - 1))--> \(location)\n"
    guard let line = sources.line(location.line, of: location.path) ?? fallbackLine else {
      if let label { out += "\(pad)= \(label)\n" }
      return out
    }
    let blue = { (s: String) in self.terminal.paint(s, .blue) }
    out += "\(pad)\(blue("|"))\n"
    out += "\(number) \(blue("|")) \(Redaction.redact(line))\n"
    // Padding copies tabs from the source line so the caret lands under the column.
    let prefix = line.unicodeScalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
    let carets = String(repeating: "^", count: max(1, location.length))
    out += "\(pad)\(blue("|")) \(prefix)\(terminal.paint(carets, .red))\(label.map { " " + $0 } ?? "")\n"
    return out
  }
}

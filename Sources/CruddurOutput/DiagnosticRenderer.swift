import CruddurCore

/// Renders diagnostics the way rustc and just do: message, `--> file:line:col`, the source
/// line, a caret run under the column, then notes and help. Every piece is escaped for the
/// terminal (`String.terminalSafe`): names, paths and lines come from files and servers.
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
    if let location = diagnostic.location, diagnostic.hidesSourceLine {
      out += " --> \(location.description.terminalSafe)\n"
    } else if let location = diagnostic.location {
      out += snippet(
        for: location, label: diagnostic.label, fallbackLine: diagnostic.sourceLine, gutterWidth: &gutterWidth)
    }
    let pad = String(repeating: " ", count: gutterWidth)
    for note in diagnostic.notes {
      if let location = note.location, location.line > 0 {
        out += "\(pad)= note: \(Redaction.redact(note.message).terminalSafe) at \(location.description.terminalSafe)\n"
      } else {
        out += "\(pad)= \(Redaction.redact(note.message).terminalSafe)\n"
      }
    }
    if let help = diagnostic.help { out += "\(pad)= help: \(Redaction.redact(help).terminalSafe)\n" }
    return out
  }

  private func snippet(
    for location: SourceLocation, label: String?, fallbackLine: String?, gutterWidth: inout Int
  ) -> String {
    guard location.line > 0 else {
      return " --> \(location.path.terminalSafe)\n" + (label.map { "  = \($0.terminalSafe)\n" } ?? "")
    }
    let number = String(location.line)
    gutterWidth = number.count + 1
    let pad = String(repeating: " ", count: gutterWidth)
    var out = "\(String(repeating: " ", count: gutterWidth - 1))--> \(location.description.terminalSafe)\n"
    guard let line = sources.line(location.line, of: location.path) ?? fallbackLine else {
      if let label { out += "\(pad)= \(label.terminalSafe)\n" }
      return out
    }
    let blue = { (s: String) in self.terminal.paint(s, .blue) }
    out += "\(pad)\(blue("|"))\n"
    out += "\(number) \(blue("|")) \(Redaction.redact(line).terminalSafe)\n"
    // Padding copies tabs from the source line so the caret lands under the column, and
    // counts an escaped control character at the width it is shown.
    let before = String(String.UnicodeScalarView(line.unicodeScalars.prefix(max(0, location.column - 1))))
    let prefix = before.terminalSafe.unicodeScalars.map { $0 == "\t" ? "\t" : " " }.joined()
    let carets = String(repeating: "^", count: max(1, location.length))
    out += "\(pad)\(blue("|")) \(prefix)\(terminal.paint(carets, .red))\(label.map { " " + $0.terminalSafe } ?? "")\n"
    return out
  }
}

import CruddurCore

/// Renders diagnostics the way rustc and just do: message, `--> file:line:col`, the source
/// line, a caret run under the column, then notes and help. Every piece is escaped for the
/// terminal (`String.terminalSafe`): names, paths and lines come from files and servers.
public struct DiagnosticRenderer: Sendable {
  public let sources: SourceProvider
  public let terminal: Terminal

  public init(sources: SourceProvider, terminal: Terminal) {
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
      out += snippet(for: location, label: diagnostic.label, gutterWidth: &gutterWidth)
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

  private func snippet(for location: SourceLocation, label: String?, gutterWidth: inout Int) -> String {
    guard location.line > 0 else {
      return " --> \(location.path.terminalSafe)\n" + (label.map { "  = \($0.terminalSafe)\n" } ?? "")
    }
    let number = String(location.line)
    gutterWidth = number.count + 1
    let pad = String(repeating: " ", count: gutterWidth)
    var out = "\(String(repeating: " ", count: gutterWidth - 1))--> \(location.description.terminalSafe)\n"
    guard let line = sources.line(location.line, of: location.path) else {
      if let label { out += "\(pad)= \(label.terminalSafe)\n" }
      return out
    }
    let blue = { (s: String) in self.terminal.paint(s, .blue) }
    out += "\(pad)\(blue("|"))\n"
    out += "\(number) \(blue("|")) \(Redaction.redact(line).terminalSafe)\n"
    // The caret is placed on the line as printed, not as read: a masked password before the
    // column is `****`, an escaped control character is several columns, a CJK character
    // or an emoji is two. Columns count Unicode scalars of the line as read.
    let scalars = Array(line.unicodeScalars)
    let start = min(scalars.count, max(0, location.column - 1))
    let before = String(String.UnicodeScalarView(scalars[..<start]))
    let marked = String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + max(1, location.length))]))
    let prefix = DisplayWidth.blanks(under: Redaction.redact(before).terminalSafe)
    let carets = String(repeating: "^", count: max(1, DisplayWidth.of(Redaction.redact(marked).terminalSafe)))
    out += "\(pad)\(blue("|")) \(prefix)\(terminal.paint(carets, .red))\(label.map { " " + $0.terminalSafe } ?? "")\n"
    return out
  }
}

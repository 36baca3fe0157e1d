import CruddurCore

/// The status a command returns to `main`, which exits with it (the one `exit` in the
/// binary): one of cruddur's statuses (`ExitStatus`, DESIGN.md §2), or one a command
/// documents of its own (`local status`: 3 stopped, 4 never created, as `pg_ctl status`
/// answers). A command returns it once it has said what it had to say; what went wrong
/// with something to show is thrown instead, and main's funnel (`CommandEnding`) renders it.
struct CommandStatus: Equatable, Sendable {
  var rawValue: Int32

  init(_ status: ExitStatus) { rawValue = status.rawValue }

  /// A status of the command's own (`local status`'s 3 and 4).
  init(rawValue: Int32) { self.rawValue = rawValue }

  static let ok = CommandStatus(.ok)
}

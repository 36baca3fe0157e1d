import Foundation

/// Reads of the process environment the Postgres layer needs (libpq's own PG* fallbacks,
/// shown in plans), kept in one place.
enum ProcessEnvironment {
  static func value(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
  }
}

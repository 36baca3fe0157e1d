import CruddurCore
import CruddurProcess
import Foundation

/// `db/structure.sql` after a migrate, as Rails writes it: `pg_dump --schema-only`, so a
/// schema change shows up in code review. cruddur's own bookkeeping schema is left out.
enum StructureDump {
  /// `groups` knows pg_dump while it runs, so a stop of the run ends it too.
  static func write(_ info: ConnInfo, to path: String, shownAs shown: String, groups: ProcessGroups? = nil) throws {
    let binary = try LocalCluster.binDirectory() + "/pg_dump"
    // The password travels in a password file of the child's own, never on its command
    // line (which any user can read in `ps`) nor in its environment (`/proc/PID/environ`).
    var environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PGCONNECT_TIMEOUT": "10"]
    environment["PGHOST"] = info.host
    environment["PGPORT"] = info.port
    environment["PGUSER"] = info.user
    environment["PGDATABASE"] = info.database
    let passwordFile = try info.password.map { try TemporaryPasswordFile(password: $0) }
    defer { passwordFile?.remove() }
    if let passwordFile { environment["PGPASSFILE"] = passwordFile.path }
    if let mode = info["sslmode"] { environment["PGSSLMODE"] = mode }
    // Refused before pg_dump runs; and pg_dump writes into a file made here, new (O_EXCL,
    // never through a link someone left at a name it could guess).
    if let refusal = OutputFile.refusal(at: path) { throw RunError(.refusedOutput(path: shown, reason: refusal.reason)) }
    let temporary = path + ".cruddur-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    do {
      try AtomicFile.create("", at: temporary, mode: 0o600)
    } catch {
      throw RunError(.cannotWrite(path: shown, reason: error.localizedDescription))
    }
    defer { unlink(temporary) }
    let output = try ChildProcess(
      executable: binary,
      arguments: ["--schema-only", "--no-owner", "--no-privileges", "--exclude-schema=cruddur", "--file=" + temporary],
      environment: environment
    ).runCollectingOutput(deadline: .seconds(300), groups: groups)
    guard output.status == 0, let data = FileManager.default.contents(atPath: temporary) else {
      throw RunError(
        .dumpFailed(file: shown, output: output.text.trimmingTrailingNewlines()))
    }
    try OutputFile.write(stable(String(decoding: data, as: UTF8.self)), to: path, shownAs: shown)
  }

  /// pg_dump 15.14 and later frame the dump in `\restrict KEY` / `\unrestrict KEY` with a
  /// random key each run; without them the file is the same for the same schema.
  static func stable(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeAll { $0.hasPrefix("\\restrict ") || $0.hasPrefix("\\unrestrict ") }
    return lines.joined(separator: "\n")
  }
}

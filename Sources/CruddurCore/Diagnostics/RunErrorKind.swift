/// Why a run (or a command that changes something) stopped: one case per reason, with the
/// values its message needs. The words and the exit status of every kind are decided
/// here, in `diagnostic` and `exitStatus`, and nowhere else, so tests match the kind and
/// a message changes in one place (just's `CompileErrorKind`). These are Core's: the
/// run's, consent's, saved plans' and files'; each executor module owns its own kinds.
public enum RunErrorKind: ErrorKind, Equatable {
  // The run: values and checks computed while it runs.
  case shVariablesUnavailable(task: String)
  case unlessShellUnavailable(task: String)
  case unlessSQLUnavailable(task: String)
  /// A task's `sh:` variable's command failed; `reasons` are that failure's messages.
  case computedVariableFailed(name: String, command: String, reasons: [String])
  case missingParameter(task: String, name: String, position: Int)

  // Consent and saved plans.
  /// `steps` describe the destructive steps, one line each (`Protection.describe`).
  case consentRequired(notice: String, steps: [String], environment: String)
  case consentNotConfirmed(environment: String)
  case savedPlanEdited(path: String)
  /// A field cruddur did not write (`field` is its JSON path), or bytes re-arranged.
  case savedPlanNotAsWritten(path: String, field: String?)
  case savedPlanOutdated(path: String, changes: [String])
  case planAlreadyApplied(path: String, digest: String, environment: String)
  /// A step's prepared value does not read as its executor's (`PreparedPayload.decoded`).
  case savedPlanStepUnreadable(path: String, step: Int, task: String, reason: String)
  /// A plan saved by a cruddur whose plans held no typed step values (version `version`).
  case savedPlanFromOlderCruddur(path: String, version: Int)

  // Files.
  case cannotWrite(path: String, reason: String)
  /// A path cruddur would write is not a regular file it may replace (`OutputFile.Refusal`).
  case refusedOutput(path: String, reason: String)
  /// `at` is where the path was written, when it came from a project file.
  case notAFile(shownAs: String, kind: FileKind, at: SourceLocation? = nil)

  /// How the process ends for this kind (`ExitStatus`).
  public var exitStatus: ExitStatus {
    switch self {
    case .shVariablesUnavailable, .unlessShellUnavailable, .unlessSQLUnavailable, .computedVariableFailed:
      .stepFailed
    case .refusedOutput: .configError
    case .missingParameter, .cannotWrite, .notAFile:
      .configError
    case .consentRequired, .consentNotConfirmed, .savedPlanEdited, .savedPlanNotAsWritten,
      .savedPlanOutdated,
      .planAlreadyApplied, .savedPlanStepUnreadable, .savedPlanFromOlderCruddur:
      .refused
    }
  }

  /// The kind in words: message, notes and help, at the place the kind carries, else at
  /// `location`.
  public func diagnostic(at location: SourceLocation?) -> Diagnostic {
    var diagnostic = words
    if diagnostic.location == nil { diagnostic.location = location }
    // The diagnostic keeps its kind wherever it goes (a check's ConfigError included), so
    // `--format json` names the reason, not the error type that carried it.
    diagnostic.errorKind = self
    return diagnostic
  }

  private var words: Diagnostic {
    switch self {
    case .shVariablesUnavailable(let task):
      .error("task `\(task)` has `sh:` variables, but this run cannot evaluate them")
    case .unlessShellUnavailable(let task):
      .error("task `\(task)` has `unless: { sh: }`, but this run cannot evaluate it")
    case .unlessSQLUnavailable(let task):
      .error("task `\(task)` has `unless: { sql: }`, but this run cannot query")
    case .computedVariableFailed(let name, let command, let reasons):
      .error("cannot compute `\(name)`: `\(command)` failed", notes: reasons.map { .init($0) })
    case .missingParameter(let task, let name, let position):
      .error(
        "task `\(task)` needs parameter `\(name)` ($\(position))",
        help: "pass it after the task name or with `--set \(name)=...`")

    case .consentRequired(let notice, let steps, let environment):
      .error(
        "refused: \(notice); nothing was run", notes: steps.map { .init($0) },
        help: "pass --yes, or run it on a terminal and type '\(environment)'")
    case .consentNotConfirmed(let environment):
      .error("not confirmed: expected `\(environment)`, nothing was run")
    case .savedPlanEdited(let path):
      .error("`\(path)` was edited after it was saved (its digest does not match)")
    case .savedPlanOutdated(let path, let changes):
      .error(
        "refused: `\(path)` no longer matches the project (\(Self.count(changes.count, "change"))); nothing was run",
        notes: changes.map { .init($0) }, help: "plan again, review it, and apply the new plan")
    case .savedPlanNotAsWritten(let path, let field?):
      .error(
        "`\(path)` has a field cruddur did not write: `\(field)`; nothing was run",
        help: "a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it")
    case .savedPlanNotAsWritten(let path, nil):
      .error(
        "`\(path)` is not byte for byte as `cruddur plan --out` wrote it; nothing was run",
        help:
          "its SHA-256 is the plan's identity on the target; plan again instead of editing or reformatting it"
      )
    case .savedPlanStepUnreadable(let path, let step, let task, let reason):
      .error(
        "`\(path)` step \(step) (\(task)): \(reason); nothing was run",
        help:
          "a saved plan is applied exactly as `cruddur plan --out` wrote it; plan again instead of editing it"
      )
    case .savedPlanFromOlderCruddur(let path, let version):
      .error(
        "`\(path)` was saved by an older cruddur (plan version \(version)); nothing was run",
        help: "plan again with this cruddur: `cruddur plan TASK --out \(path)`")
    case .planAlreadyApplied(let path, let digest, let environment):
      .error(
        "refused: `\(path)` (sha256 \(digest.prefix(12))…) was already applied to \(environment); nothing was run",
        help: "pass --again to apply this destructive plan once more")

    case .cannotWrite(let path, let reason):
      .error("cannot write `\(path)`: \(reason)")
    case .refusedOutput(let path, let reason):
      .error(
        "refusing to write `\(path)`: \(reason); it is left as it was",
        help: "give the path of a regular file, or of one that does not exist yet")
    case .notAFile(let shown, let kind, let location):
      .error(kind.problem(shownAs: shown) ?? "`\(shown)` is \(kind.name)", at: location)

    }
  }

  private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

import CruddurCore
import CruddurProcess
import Foundation

/// `shell: COMMAND`: `/bin/sh -c COMMAND` with the task's variables as environment
/// variables (never spliced into the text), output streamed line by line, the exit code
/// kept, `timeout:` honoured, and the child's whole process group stopped on cancel.
public struct ShellExecutor: Executor {
  public struct Spec: StepSpec {
    var command: String
  }

  public let gracePeriod: Duration

  public init(gracePeriod: Duration = .seconds(3)) { self.gracePeriod = gracePeriod }

  public var actionKey: String { "shell" }
  public var mayWriteFiles: Bool { true }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    guard let command = input.value.string, !input.value.isNull, !command.allSatisfy(\.isWhitespace) else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(what: "`shell`", requirement: "be a command", found: input.value.kindName, suggestion: nil)
          .diagnostic(at: input.value.spanLocation))
      return nil
    }
    return Spec(command: command)
  }

  public func describe(_ spec: Spec, in context: PlanContext) throws -> StepDescription {
    let lines = spec.command.split(whereSeparator: \.isNewline).map(String.init)
    let details = lines.count > 1 || (lines.first?.count ?? 0) > 60 ? lines.map { "  " + $0 } : []
    let first = lines.first ?? ""
    let summary =
      lines.count > 1 ? "sh: \(lines.count)-line script" : "sh: \(first.count > 60 ? String(first.prefix(57)) + "..." : first)"
    var description = StepDescription(target: nil, summary: summary, details: details)
    // cruddur cannot see what a command does: on a protected environment it asks, unless
    // the task says `destructive: false` (and `destructive: true` makes it destructive).
    if context.environment.isProtected && context.task.declaresDestructive == nil {
      description.effectUnknown = "a shell command (`destructive: false` on the task says it removes nothing)"
      description.details.append("unknown: \(description.effectUnknown!)")
    }
    return description
  }

  public func run(_ spec: Spec, step: PlannedStep, in context: StepContext) async throws {
    if context.isVerbose { context.events.emit(.stepCommand(step: step, text: spec.command)) }
    let process = ChildProcess(
      executable: "/bin/sh", arguments: ["-c", spec.command], environment: try context.processEnvironment(),
      workingDirectory: context.projectRoot)
    let events = context.events
    let termination = try await process.run(
      timeout: context.task.timeout.map { .milliseconds(Int64($0 * 1000)) }, gracePeriod: gracePeriod,
      groups: ProcessGroups.shared(in: context.resources)
    ) { line, stream in
      events.emit(.stepOutput(step: step, line: line, stream: stream == .stderr ? .stderr : .stdout))
    }
    if termination.isTimedOut {
      throw ShellTimeoutError(seconds: context.task.timeout ?? 0, exitCode: termination.status)
    }
    if termination.status != 0 { throw ShellCommandError(exitCode: termination.status) }
  }
}

/// A shell step's command exited non-zero.
public struct ShellCommandError: CruddurError, ExitCodeReporting {
  public var exitCode: Int32
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] {
    if exitCode > 128 {
      return [.error("the command was ended by signal \(exitCode - 128) (exit status \(exitCode))")]
    }
    return [.error("the command exited with status \(exitCode)")]
  }
}

/// A shell step ran past its `timeout:`; its process group was stopped. The process's
/// deadline and the step's (`StepDeadline`) are the same `timeout:` and either may be seen
/// first, so the words are the step's: one timeout, one message.
public struct ShellTimeoutError: CruddurError, ExitCodeReporting {
  public var seconds: Double
  public var exitCode: Int32
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] { StepTimeoutError(seconds: seconds).diagnostics }
}

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

  /// The names the command mentions as `$NAME` or `${NAME...}`: the shell reads them from
  /// the environment it is given. A name it does not mention may still be read by a program
  /// it runs, but that program reads the process environment, which `--set` is not for.
  public func variablesRead(_ spec: Spec) -> Set<String>? {
    var names: Set<String> = []
    // Walked by UTF-8 bytes: `$`, `{` and a name's characters are ASCII and no byte of a
    // longer scalar is, so this finds what a walk over the scalars found, without copying
    // them (0.9 M instructions of `list` on the starter project).
    let all = Array(spec.command.utf8)
    var index = 0
    func isNameStart(_ c: UInt8) -> Bool {
      c == UInt8(ascii: "_") || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }
    func isName(_ c: UInt8) -> Bool { isNameStart(c) || (0x30...0x39).contains(c) }
    while index < all.count {
      defer { index += 1 }
      guard all[index] == UInt8(ascii: "$"), index + 1 < all.count else { continue }
      var start = index + 1
      if all[start] == UInt8(ascii: "{") { start += 1 }
      guard start < all.count, isNameStart(all[start]) else { continue }
      var end = start
      while end < all.count, isName(all[end]) { end += 1 }
      names.insert(String(decoding: all[start..<end], as: UTF8.self))
      index = end - 1
    }
    // The script's own variables (assigned in it, or a `for` loop's) and the shell's are not
    // the step's inputs; offering them after `--set` would only mislead.
    // Searched by bytes in an ASCII command (each byte a Character there): Foundation's
    // `contains` bridged every search through NSString, 4.4 M instructions of `list` on
    // the starter project.
    let command = spec.command
    let bytes = all.allSatisfy({ $0 < 0x80 }) ? all : nil
    func mentions(_ text: String) -> Bool {
      guard let bytes else { return command.contains(text) }
      let needle = Array(text.utf8)
      guard !needle.isEmpty, bytes.count >= needle.count else { return needle.isEmpty }
      return (0...(bytes.count - needle.count)).contains { start in
        bytes[start] == needle[0] && bytes[start..<start + needle.count].elementsEqual(needle)
      }
    }
    let own = names.filter { name in mentions(name + "=") || mentions("for \(name) in") }
    return names.subtracting(own).subtracting(["IFS", "PWD", "OLDPWD", "RANDOM", "LINENO", "OPTARG", "OPTIND"])
  }

  /// The command as written (variables by name), and whether the plan asks about it.
  public struct Prepared: Codable, Sendable, Hashable {
    var command: String
    /// On a protected environment, a task that does not say whether it is destructive.
    var effectUnknown: Bool
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    Prepared(
      command: spec.command,
      effectUnknown: context.environment.isProtected && context.task.declaresDestructive == nil)
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    let lines = Self.lines(of: prepared.command)
    let details = lines.count > 1 || (lines.first?.count ?? 0) > 60 ? lines.map { "  " + $0 } : []
    let first = lines.first ?? ""
    let summary =
      lines.count > 1 ? "sh: \(lines.count)-line script" : "sh: \(first.count > 60 ? String(first.prefix(57)) + "..." : first)"
    var description = StepDescription(target: nil, summary: summary, details: details)
    // cruddur cannot see what a command does: on a protected environment it asks, unless
    // the task says `destructive: false` (and `destructive: true` makes it destructive).
    if prepared.effectUnknown {
      description.effectUnknown =
        "a shell command (`destructive: false` on the task says it removes nothing)"
      description.details.append("unknown: \(description.effectUnknown!)")
    }
    return description
  }

  /// The command's non-empty lines. A printable-ASCII command without a line break, the
  /// usual one, is its one line, known from its bytes: splitting by Characters cost a
  /// 100-task plan 0.57 M instructions.
  static func lines(of command: String) -> [String] {
    if command.utf8.allSatisfy({ $0 < 0x80 && !(0x0A...0x0D).contains($0) }) {
      return command.isEmpty ? [] : [command]
    }
    return command.split(whereSeparator: \.isNewline).map(String.init)
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    if context.isVerbose { context.events.emit(.stepCommand(step: step, text: prepared.command)) }
    let process = ChildProcess(
      executable: "/bin/sh", arguments: ["-c", prepared.command],
      environment: try context.processEnvironment(),
      workingDirectory: context.projectRoot)
    let events = context.events
    let termination = try await process.run(
      // No timer here: `timeout:` is the step's one deadline (StepDeadline), which cancels
      // this task, and cancelling is what stops the group.
      gracePeriod: gracePeriod,
      groups: ProcessGroups.shared(in: context.resources)
    ) { line, stream in
      events.emit(.stepOutput(step: step, line: line, stream: stream == .stderr ? .stderr : .stdout))
    }
    if termination.endedLeftovers > 0 {
      events.emit(.stepOutput(step: step, line: Self.leftoversNotice(termination.endedLeftovers), stream: .stderr))
    }
    if termination.status != 0 { throw ShellCommandError(exitCode: termination.status) }
  }

  /// A step is done when its command exits; what it left running in its process group
  /// (`sleep 60 &`, a daemon keeping the output open) is ended with it, and said so.
  public static func leftoversNotice(_ count: Int) -> String {
    "note: the command exited leaving \(count) background process\(count == 1 ? "" : "es") running; "
      + "ended with the step (run a daemon with `setsid` and its own output to keep it)"
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

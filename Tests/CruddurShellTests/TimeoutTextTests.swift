import CruddurCore
import Testing

@testable import CruddurShell

@Suite struct TimeoutTextTests {
  @Test("the plan and the timeout error print a timeout the same way", arguments: [1, 0.5, 1.25, 90, 5400, 604_800])
  func sameNumber(seconds: Double) throws {
    var task = TaskDefinition(name: "slow", location: SourceLocation(path: "cruddur.yml", line: 1, column: 1))
    task.timeout = seconds
    let planned = try #require(RunTimeDetails.lines(for: task, scope: Scope()).first)
    let shown = try #require(planned.wholeMatch(of: /timeout: (.+) s/)?.output.1)
    let message = try #require(StepTimeoutError(seconds: seconds).diagnostics.first?.message)
    #expect(message == "timed out after \(shown) s; the step was stopped and its transaction, if any, rolled back")
  }

  @Test("whole numbers print without a decimal point or a thousands separator")
  func plainDigits() throws {
    let message = try #require(StepTimeoutError(seconds: 5400).diagnostics.first?.message)
    #expect(message == "timed out after 5400 s; the step was stopped and its transaction, if any, rolled back")
  }
}

import CruddurCore
import Testing

@testable import CruddurShell

/// A shell step's timeout is seen by two deadlines, the process's and the step's
/// (`StepDeadline`); whichever fires first, the run must print the same thing, so the
/// exact-output timeout tests (ShellStepTests, TimeoutTests) cannot depend on the race.
@Suite struct ShellTimeoutErrorTests {
  @Test("a shell timeout reads exactly as a step timeout: same diagnostics, no exit status", arguments: [143, 137])
  func sameAsStepTimeout(exitCode: Int32) {
    let shell: any Error = ShellTimeoutError(seconds: 0.5, exitCode: exitCode)
    let step: any Error = StepTimeoutError(seconds: 0.5)
    #expect((shell as? any CruddurError)?.diagnostics == (step as? any CruddurError)?.diagnostics)
    #expect(shell as? any ExitCodeReporting == nil)
    #expect(step as? any ExitCodeReporting == nil)
    #expect((shell as? any CruddurError)?.exitStatus == .stepFailed)
  }
}

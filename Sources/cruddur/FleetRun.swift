import CruddurCore
import CruddurPostgres
import CruddurProcess
import CruddurSession
import Foundation

/// A fleet's run as a session's body: after consent, `prepare` reads what the servers allow
/// and shows the run's header, then `FleetRunner` runs every target (each with its own run
/// lock: those are per target, not the session's guards; `prepare` gives the runner
/// `processes`). Exit 1 when any target failed or was left unstarted by a failure; 130 when
/// interrupted.
struct FleetRun: SessionBody {
  /// The process groups of the run's `sh:` values, killed by a forced stop.
  var groups: ProcessGroups
  /// The running targets' process groups (`FleetRunner.processes`), killed by a forced stop.
  var processes: FleetTargetProcesses
  /// The runner, limits set; throws what refuses the run before any target starts.
  var prepare: @Sendable () async throws -> FleetRunner

  func run(consentWait: Duration) async -> SessionOutcome<FleetSummary> {
    if Task.isCancelled { return .interrupted }
    let runner: FleetRunner
    do {
      runner = try await prepare()
    } catch {
      return .refused(by: error)
    }
    if Task.isCancelled { return .interrupted }
    let summary = await runner.run()
    let status: ExitStatus =
      summary.isInterrupted ? .interrupted : summary.succeeded ? .ok : .stepFailed
    return SessionOutcome(status: status, report: summary)
  }

  func forceStop() {
    groups.signalAll(SIGKILL)
    processes.signalAll(SIGKILL)
  }
}

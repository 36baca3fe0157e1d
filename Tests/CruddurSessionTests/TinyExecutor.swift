import CruddurCore
import Synchronization

/// An executor whose YAML says what its step does: `ok`, `fail` (a step failure whose
/// status is 2, so the outcome shows whose status it took), `wait` (until cancelled) or
/// `stubborn` (ignores cancellation until `SessionFixture.release()`). Logs `step NAME`
/// when it starts and `step NAME done` when it ends well.
struct TinyExecutor: Executor {
  struct Spec: StepSpec { var behaviour: String }
  let log: SessionLog
  let stubborn: StubbornLatch
  var actionKey: String { "tiny" }

  func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    Spec(behaviour: input.value.string ?? "ok")
  }

  /// What the step will do is all its plan needs: the behaviour.
  func prepare(_ spec: Spec, in context: PlanContext) throws -> String { spec.behaviour }

  func describe(_ prepared: String) -> StepDescription {
    StepDescription(target: nil, summary: "tiny \(prepared)")
  }

  func run(_ prepared: String, spec: Spec, step: PlannedStep, in context: StepContext) async throws {
    log.append("step \(step.task)")
    switch prepared {
    case "fail": throw TestError(status: .configError, message: "step \(step.task) failed")
    case "wait": try await Task.sleep(for: .seconds(86_400))
    case "stubborn": await stubborn.wait()
    default: break
    }
    log.append("step \(step.task) done")
  }
}

/// Holds a stubborn step until the test lets it go, whatever cancellation says (a checked
/// continuation, not a stream: a stream's iterator ends when its task is cancelled).
final class StubbornLatch: Sendable {
  private struct State {
    var isReleased = false
    var waiting: [CheckedContinuation<Void, Never>] = []
  }
  private let state = Mutex(State())

  func wait() async {
    await withCheckedContinuation { continuation in
      let isReleased = state.withLock { state in
        if !state.isReleased { state.waiting.append(continuation) }
        return state.isReleased
      }
      if isReleased { continuation.resume() }
    }
  }

  func release() {
    let waiting = state.withLock { state in
      state.isReleased = true
      defer { state.waiting = [] }
      return state.waiting
    }
    for continuation in waiting { continuation.resume() }
  }
}

/// An error with the status it asks for: a guard's refusal, a step's or a hook's failure.
struct TestError: CruddurError {
  var status: ExitStatus
  var message: String
  var exitStatus: ExitStatus { status }
  var diagnostics: [Diagnostic] { [.error(message)] }
}

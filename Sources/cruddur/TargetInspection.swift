import CruddurCore
import Foundation

/// `plan --check`, `plan --out` and `apply`: each step that can (a migrate) has its
/// `Prepared` value read again from what its target says now, over connections that cannot
/// write, and carries it from then on (a saved plan stores it, a run runs it); consent is
/// then decided from the new descriptions (only pending migrations' statements count).
enum TargetInspection {
  static func inspect(_ executable: ExecutablePlan, projectRoot: String) async throws -> ExecutablePlan {
    var executable = executable
    let resources = RunResources()
    do {
      for (index, binding) in executable.bindings.enumerated() {
        let context = StepContext(
          environment: executable.environment, task: binding.task, scope: binding.scope, projectRoot: projectRoot,
          events: Silence(), resources: resources)
        guard let inspected = try await binding.action.inspect(step: binding.step, in: context)
        else { continue }
        var description = inspected.description
        if binding.task.isDestructive { description.isDestructive = true }
        description.details += RunTimeDetails.lines(for: binding.task, scope: binding.scope)
        executable.bindings[index].action = inspected
        executable.bindings[index].step.description = description
        executable.plan.steps[index].description = description
      }
    } catch {
      await resources.closeAll()
      throw error
    }
    await resources.closeAll()
    let consent = Protection.stepsNeedingConsent(executable.bindings, environment: executable.environment)
    executable.plan.consentSteps = consent.map(\.number)
    executable.plan.consentNotice = Protection.notice(
      consent, bindings: executable.bindings, environment: executable.environment)
    return executable
  }

  /// Inspection reports nothing as it goes: its result is the plan.
  private struct Silence: EventSink {
    func emit(_ event: Event) {}
  }
}

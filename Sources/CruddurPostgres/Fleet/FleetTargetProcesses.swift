import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

/// The run resources of every target running now (each target has its own), so a forced
/// stop (the second signal) kills every target's process groups at once, as a run of one
/// database kills its own; without it the `sh:` steps of running targets outlived cruddur.
public final class FleetTargetProcesses: Sendable {
  private let running = Mutex<[ObjectIdentifier: RunResources]>([:])

  public init() {}

  func insert(_ resources: RunResources) {
    running.withLock { $0[ObjectIdentifier(resources)] = resources }
  }

  func remove(_ resources: RunResources) {
    _ = running.withLock { $0.removeValue(forKey: ObjectIdentifier(resources)) }
  }

  /// Sends `signal` to the process groups of every running target.
  public func signalAll(_ signal: Int32) {
    for resources in running.withLock({ Array($0.values) }) {
      ProcessGroups.shared(in: resources).signalAll(signal)
    }
  }
}

import CruddurCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process groups a run has started and not yet seen end, so a second Ctrl-C can kill
/// them at once and the end of a run can make sure none is left behind.
public final class ProcessGroups: RunResource, Sendable {
  private let groups = Mutex<Set<pid_t>>([])

  public init() {}

  /// The run's registry, made on first use.
  public static func shared(in resources: RunResources) -> ProcessGroups {
    resources.resource("shell.process-groups") { ProcessGroups() }
  }

  func insert(_ group: pid_t) { _ = groups.withLock { $0.insert(group) } }
  func remove(_ group: pid_t) { _ = groups.withLock { $0.remove(group) } }

  public var live: [pid_t] { groups.withLock { Array($0) } }

  /// Signals every group still known.
  public func signalAll(_ signal: Int32) {
    for group in live { _ = kill(-group, signal) }
  }

  public func close() async { signalAll(SIGKILL) }
}

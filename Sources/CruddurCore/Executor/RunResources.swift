import Synchronization

/// A per-run store that executors use to share things across steps (a connection pool),
/// closed when the run ends. Core does not know what is stored.
public final class RunResources: Sendable {
  private struct State {
    var items: [String: any RunResource] = [:]
    var order: [String] = []
  }
  private let state = Mutex(State())

  public init() {}

  /// The resource under `key`, made by `make` on first use (under the lock, so two steps
  /// asking at once get the same one).
  public func resource<R: RunResource, E: Error>(_ key: String, make: () throws(E) -> R) throws(E) -> R {
    try state.withLock { (state) throws(E) -> R in
      if let existing = state.items[key] as? R { return existing }
      let made = try make()
      state.items[key] = made
      state.order.append(key)
      return made
    }
  }

  /// Closes everything, last made first.
  public func closeAll() async {
    let toClose: [any RunResource] = state.withLock { state in
      let list = state.order.reversed().compactMap { state.items[$0] }
      state = State()
      return list
    }
    for item in toClose { await item.close() }
  }
}

/// Something a run owns and must release at its end.
public protocol RunResource: Sendable {
  func close() async
}

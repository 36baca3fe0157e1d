import Foundation

/// A per-run store that executors use to share things across steps (a connection pool),
/// closed when the run ends. Core does not know what is stored.
public final class RunResources: @unchecked Sendable {
  // Invariant: `items` is only touched while holding `lock`.
  private let lock = NSLock()
  private var items: [String: any RunResource] = [:]
  private var order: [String] = []

  public init() {}

  /// The resource under `key`, made by `make` on first use.
  public func resource<R: RunResource>(_ key: String, make: () throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    if let existing = items[key] as? R { return existing }
    let made = try make()
    items[key] = made
    order.append(key)
    return made
  }

  /// Closes everything, last made first.
  public func closeAll() async {
    let toClose: [any RunResource] = lock.withLock {
      let list = order.reversed().compactMap { items[$0] }
      items = [:]
      order = []
      return list
    }
    for item in toClose { await item.close() }
  }
}

/// Something a run owns and must release at its end.
public protocol RunResource: Sendable {
  func close() async
}

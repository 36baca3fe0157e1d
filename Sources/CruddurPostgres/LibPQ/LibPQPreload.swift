import Foundation

/// Starts loading libpq on a thread of its own, for a command that is going to connect:
/// the dynamic loader's work (libpq and the 28 libraries it pulls in) then overlaps reading
/// the project and planning, instead of coming after them in the first connection. Loading
/// is idempotent and safe from two threads (both resolve the same symbols); a failure here
/// is ignored, since the connection's own `LibPQ.load()` reports it.
public enum LibPQPreload {
  public static func start() {
    Thread.detachNewThread { try? LibPQ.load() }
  }
}

import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A loopback TCP proxy for fault injection: it forwards connections to `target` (or, with
/// no target, accepts them and never answers: a handshake that never ends), and on
/// `freeze()` stops forwarding both ways and answers no new connection, as a server that
/// hangs (the cancel request included). It counts connections accepted and closed by the
/// client, so a test can wait for "connecting" and check that the client let go.
public final class TCPProxy: Sendable {
  public let port: Int
  private let listener: Int32
  private let target: Int?
  private let wake: (read: Int32, write: Int32)
  private struct State {
    var accepted = 0
    var closedByClient = 0
    var isFrozen = false
    var isHolding = false
    var isStopped = false
  }
  private let state = Mutex(State())

  /// `holding`: connections are accepted but reach the target only after `release()`, a
  /// handshake as slow as the test wants.
  public init(forwardingTo target: Int? = nil, holding: Bool = false) throws {
    self.target = target
    state.withLock { $0.isHolding = holding }
    listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let fd = listener
    let ok = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
        bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
      }
    }
    guard ok else { throw POSIXError(.EADDRINUSE) }
    port = Int(UInt16(bigEndian: address.sin_port))
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
    wake = (fds[0], fds[1])
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  public var accepted: Int { state.withLock { $0.accepted } }
  public var closedByClient: Int { state.withLock { $0.closedByClient } }

  /// From now on nothing is forwarded and new connections get no answer.
  public func freeze() {
    state.withLock { $0.isFrozen = true }
    poke()
  }

  /// Held connections go through to the target from now on.
  public func release() {
    state.withLock { $0.isHolding = false }
    poke()
  }

  public func stop() {
    state.withLock { $0.isStopped = true }
    poke()
  }

  private func poke() {
    var byte: UInt8 = 1
    _ = write(wake.write, &byte, 1)
  }

  private var isFrozen: Bool { state.withLock { $0.isFrozen } }
  private var isHolding: Bool { state.withLock { $0.isHolding } }
  private var isStopped: Bool { state.withLock { $0.isStopped } }

  private func acceptLoop() {
    while !isStopped {
      var entries = [
        pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
      ]
      guard poll(&entries, 2, 200) >= 0 else { continue }
      guard entries[0].revents != 0 else { continue }
      let client = accept(listener, nil, nil)
      guard client >= 0 else { continue }
      state.withLock { $0.accepted += 1 }
      let upstream = isFrozen || isHolding ? -1 : target.map(Self.connect) ?? -1
      Thread.detachNewThread { [self] in relay(client, upstream) }
    }
    close(listener)
  }

  /// Forwards both ways until either side closes, or only listens once frozen; counts a
  /// close by the client.
  private func relay(_ client: Int32, _ upstream: Int32) {
    var upstream = upstream
    // Held: nothing is read (the startup message waits in the socket), only a close by
    // the client is watched for (POLLRDHUP), until release.
    while upstream < 0, isHolding, !isStopped, target != nil {
      var entry = pollfd(fd: client, events: Int16(0x2000), revents: 0)
      if poll(&entry, 1, 200) > 0 {
        state.withLock { $0.closedByClient += 1 }
        close(client)
        return
      }
    }
    if upstream < 0, !isFrozen, let target { upstream = Self.connect(target) }
    defer {
      close(client)
      if upstream >= 0 { close(upstream) }
    }
    var buffer = [UInt8](repeating: 0, count: 65536)
    while !isStopped {
      let forwarding = upstream >= 0 && !isFrozen
      var entries = [pollfd(fd: client, events: Int16(POLLIN), revents: 0)]
      if forwarding { entries.append(pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)) }
      // Wakes for freeze and stop; a bounded wait re-reads the state.
      guard poll(&entries, nfds_t(entries.count), 200) > 0 else { continue }
      if entries[0].revents != 0 {
        if !forwarding {
          // Frozen or silent: what the client sends is left unread, but its close is seen.
          var byte: UInt8 = 0
          if recv(client, &byte, 1, Int32(MSG_PEEK)) == 0 {
            state.withLock { $0.closedByClient += 1 }
            return
          }
          if isFrozen || upstream < 0 {
            // Data waiting: drop it so the peek can see the close later.
            _ = read(client, &buffer, buffer.count)
          }
          continue
        }
        let n = read(client, &buffer, buffer.count)
        if n <= 0 {
          state.withLock { $0.closedByClient += 1 }
          return
        }
        _ = write(upstream, buffer, n)
      }
      if forwarding, entries.count > 1, entries[1].revents != 0 {
        let n = read(upstream, &buffer, buffer.count)
        if n <= 0 { return }
        _ = write(client, buffer, n)
      }
    }
  }

  private static func connect(_ port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let ok = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    if !ok {
      close(fd)
      return -1
    }
    return fd
  }
}

import CruddurCore
import Synchronization

/// Who blocks a step's session, read on a second connection while the step waits
/// (`pg_blocking_pids`): sent as a `stepBlocked` event when the set of blockers changes,
/// and kept, so the final error can name the last ones seen.
///
/// The second connection is opened only once an attempt has run for `firstLook`, so a
/// quick step never pays for it, and is kept for the step's later attempts.
final class BlockerReport: Sendable {
  private let info: ConnInfo
  private let step: PlannedStep
  private let events: any EventSink
  private let firstLook: Duration
  private let interval: Duration
  private let state = Mutex<State>(State())

  private struct State {
    var connection: Connection?
    var lastSeen: [LockBlocker] = []
  }

  /// Longer statements than this are cut: a blocker is found by its pid; the text only
  /// says what it is doing.
  static let queryLimit = 200

  init(info: ConnInfo, step: PlannedStep, events: any EventSink, lockTimeout: Double?) {
    self.info = info
    self.step = step
    self.events = events
    // Well before the timeout ends the wait, so a blocker is seen even on the first attempt.
    let half = lockTimeout.map { max(0.02, min($0 / 2, 0.5)) } ?? 0.5
    firstLook = .milliseconds(Int(half * 1000))
    interval = .milliseconds(Int(min(half, 1) * 1000))
  }

  /// Opens the second connection now: after a first lock timeout the next attempt is likely
  /// to wait too, and under load connecting may take longer than a short lock timeout.
  func prepare() async {
    guard state.withLock({ $0.connection == nil }) else { return }
    guard
      let connection = try? await Connection.connect(info, applicationName: "cruddur lock watch")
    else { return }
    let spare = state.withLock { state -> Connection? in
      guard state.connection == nil else { return connection }
      state.connection = connection
      return nil
    }
    await spare?.close()
  }

  /// The blockers last seen, on any attempt.
  var lastSeen: [LockBlocker] { state.withLock { $0.lastSeen } }

  /// Runs `body` (one attempt on the session `pid`) while watching who blocks it.
  func watching<T: Sendable>(pid: Int32, _ body: () async throws -> T) async throws -> T {
    let started = ContinuousClock.now
    let watch = Task { [self] in await self.watch(pid: pid, since: started) }
    defer { watch.cancel() }
    let result: T
    do {
      result = try await body()
    } catch {
      watch.cancel()
      await watch.value
      throw error
    }
    watch.cancel()
    await watch.value
    return result
  }

  private func watch(pid: Int32, since started: ContinuousClock.Instant) async {
    var shown: [Int32] = []
    do {
      try await Task.sleep(for: firstLook)
      while !Task.isCancelled {
        let blockers = try await read(pid: pid)
        if !blockers.isEmpty {
          state.withLock { $0.lastSeen = blockers }
          if blockers.map(\.processID) != shown {
            shown = blockers.map(\.processID)
            events.emit(
              .stepBlocked(step: step, waited: ContinuousClock.now - started, blockers: blockers))
          }
        }
        try await Task.sleep(for: interval)
      }
    } catch {
      // Cancelled (the attempt ended) or the second connection failed: watching is a
      // courtesy, and must never be why a step fails.
    }
  }

  private func read(pid: Int32) async throws -> [LockBlocker] {
    let connection: Connection
    if let open = state.withLock({ $0.connection }) {
      connection = open
    } else {
      connection = try await Connection.connect(info, applicationName: "cruddur lock watch")
      state.withLock { $0.connection = connection }
    }
    let rows = try await connection.execute(
      """
      select a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''),
             extract(epoch from clock_timestamp() - a.xact_start)::float8, coalesce(a.query, '')
      from pg_stat_activity a where a.pid = any(pg_blocking_pids($1::int)) order by a.pid
      """, parameters: [String(pid)]
    ).rows
    return rows.compactMap { row in
      guard let pid = row[0].flatMap({ Int32($0) }) else { return nil }
      return LockBlocker(
        processID: pid, applicationName: row[1] ?? "", state: row[2] ?? "",
        transactionSeconds: row[3].flatMap { Double($0) }, query: Self.masked(row[4] ?? ""))
    }
  }

  func close() async {
    let connection = state.withLock { state -> Connection? in
      defer { state.connection = nil }
      return state.connection
    }
    await connection?.close()
  }

  /// The statement with its string and number literals replaced by `?` and cut to
  /// `queryLimit` characters: another session's query may carry a customer's data or a
  /// password, and only its shape helps find it.
  static func masked(_ query: String) -> String {
    var out = ""
    var chars = Array(query)
    var i = 0
    func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" }
    while i < chars.count {
      let c = chars[i]
      if c == "'" {
        // A literal, '' inside it being an escaped quote.
        i += 1
        while i < chars.count {
          if chars[i] == "'" {
            if i + 1 < chars.count, chars[i + 1] == "'" {
              i += 2
              continue
            }
            break
          }
          i += 1
        }
        i += 1
        out += "?"
      } else if c == "$", let close = dollarTagEnd(chars, from: i) {
        let tag = chars[i...close]
        var j = close + 1
        var end = chars.count
        while j + tag.count <= chars.count {
          if chars[j..<(j + tag.count)].elementsEqual(tag) {
            end = j + tag.count
            break
          }
          j += 1
        }
        i = end
        out += "?"
      } else if c.isNumber, i == 0 || !isWord(chars[i - 1]) {
        while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
        out += "?"
      } else {
        out.append(c.isNewline || c == "\t" ? " " : c)
        i += 1
      }
    }
    chars = Array(out.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
    return chars.count > queryLimit ? String(chars.prefix(queryLimit)) + "…" : String(chars)
  }

  /// The index of the closing `$` of a dollar-quote tag starting at `start` (`$$`, `$body$`).
  private static func dollarTagEnd(_ chars: [Character], from start: Int) -> Int? {
    if start > 0, chars[start - 1].isLetter || chars[start - 1].isNumber || chars[start - 1] == "_"
    {
      return nil
    }
    var i = start + 1
    while i < chars.count,
      chars[i].isLetter || chars[i] == "_" || (i > start + 1 && chars[i].isNumber)
    { i += 1 }
    return i < chars.count && chars[i] == "$" ? i : nil
  }
}

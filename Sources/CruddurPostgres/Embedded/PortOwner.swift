import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The process listening on a TCP port of this machine, found the way `ss -p` finds it:
/// the listening socket's inode in `/proc/net/tcp{,6}`, then the process holding that
/// socket among `/proc/*/fd`. How `local start` names what holds its port, and how
/// `local stop` finds a server whose `.cruddur/` was removed under it.
public struct PortOwner: Sendable, Equatable, CustomStringConvertible {
  public var pid: Int
  /// The process's name (`/proc/PID/comm`): `postgres`, `python3`...
  public var command: String
  /// Its working directory; a PostgreSQL server's is its data directory. Ends in
  /// " (deleted)" when the folder was removed while it ran.
  public var workingDirectory: String?

  public var description: String { "\(command) (pid \(pid))" }

  /// Whether a socket listens on `port`, even when its process cannot be told (another
  /// user's process when we are not root).
  public static func isListening(port: Int) -> Bool { !listeningInodes(port: port).isEmpty }

  /// The process listening on `port`, if it can be seen.
  ///
  /// A server's children hold its listening socket too, for a moment after each fork
  /// (PostgreSQL closes it in the child once started), and once pids wrap a child can
  /// sort before its parent in `/proc`. So every holder is collected and the one whose
  /// parent does not hold the socket is the owner: taking the first one found once
  /// stopped a backend instead of the server.
  public static func find(port: Int) -> PortOwner? {
    // Read up to three times: see `readTable` on why one reading can miss a listener.
    var inodes = listeningInodes(port: port)
    for _ in 0..<2 where inodes.isEmpty { inodes = listeningInodes(port: port) }
    guard !inodes.isEmpty else { return nil }
    let targets = Set(inodes.map { "socket:[\($0)]" })
    let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var holders: [Int] = []
    for entry in processes {
      guard let pid = Int(entry) else { continue }
      let fdDirectory = "/proc/\(pid)/fd"
      for fd in (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? [] {
        guard let link = readLink(fdDirectory + "/" + fd), targets.contains(link) else { continue }
        holders.append(pid)
        break
      }
    }
    guard let pid = root(of: holders, parent: parent(of:)) else { return nil }
    let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    return PortOwner(pid: pid, command: command, workingDirectory: readLink("/proc/\(pid)/cwd"))
  }

  /// The holder whose parent holds nothing: the process that opened the socket, not a
  /// child that inherited it, whatever order the pids come in.
  static func root(of holders: [Int], parent: (Int) -> Int?) -> Int? {
    let held = Set(holders)
    return holders.first { pid in parent(pid).map { !held.contains($0) } ?? true } ?? holders.min()
  }

  /// The parent's pid from `/proc/PID/stat`, read after the command name's closing
  /// parenthesis (the name itself may hold spaces and parentheses).
  private static func parent(of pid: Int) -> Int? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? Int(fields[1]) : nil
  }

  /// Whether this is a PostgreSQL server running in `dataDirectory` (or in that folder
  /// after it was removed).
  public func isServer(of dataDirectory: String) -> Bool {
    guard command == "postgres" || command == "postmaster", let cwd = workingDirectory else { return false }
    let resolved = (dataDirectory as NSString).resolvingSymlinksInPath
    return [dataDirectory, resolved].contains { cwd == $0 || cwd == $0 + " (deleted)" }
  }

  private static func listeningInodes(port: Int) -> [String] {
    var inodes: [String] = []
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
      guard let text = readTable(table) else { continue }
      for line in text.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; 0A is LISTEN.
        guard fields.count > 9, fields[3] == "0A",
          let portText = fields[1].split(separator: ":").last, Int(portText, radix: 16) == port
        else { continue }
        inodes.append(String(fields[9]))
      }
    }
    return inodes
  }

  /// The whole of a `/proc/net` table, read with reads of 1 MiB. The kernel writes such a
  /// table a socket at a time and resumes each read where the last one stopped, so while
  /// sockets come and go between two reads (hundreds of connections in a busy test run) a
  /// line can be skipped; one large read fills it in one pass as far as it goes.
  private static func readTable(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil }
      bytes += chunk[0..<count]
    }
  }

  private static func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

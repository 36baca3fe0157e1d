import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The living processes, read from /proc: what a stop left behind is found here, by what
/// ties a process to a test's project (its command line, working folder or environment
/// names the project's folder), not by a name another test's process could share.
struct ProcessTable {
  struct Entry {
    var pid: pid_t
    var parent: pid_t
    var command: String
    /// The arguments joined by spaces.
    var arguments: String
    var workingDirectory: String
    var environment: String
  }

  let entries: [Entry]

  init() {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    entries = names.compactMap { name -> Entry? in
      guard let pid = pid_t(name), pid != getpid() else { return nil }
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
      else { return nil }
      // After "pid (comm) ": state, ppid. A zombie has ended; only its parent's wait is left.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 1, fields[0] != "Z", let parent = pid_t(fields[1]) else { return nil }
      func text(_ file: String) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(file)") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
      }
      let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
      return Entry(
        pid: pid, parent: parent, command: String(stat[stat.index(after: open)..<close]),
        arguments: text("cmdline"), workingDirectory: cwd, environment: text("environ"))
    }
  }

  /// Processes tied to `folder`, except `spared` and their children (a whole embedded
  /// cluster's postmaster and its backends, left running by design).
  func tied(to folder: String, sparing spared: Set<pid_t> = []) -> [Entry] {
    entries.filter { entry in
      guard !spared.contains(entry.pid), !spared.contains(entry.parent) else { return false }
      return entry.arguments.contains(folder) || entry.workingDirectory.hasPrefix(folder)
        || entry.environment.contains(folder)
    }
  }

  /// The pid, state (R, S, T…) and process group of a process of `command` with `text` in its arguments.
  /// Reads each process's name and only the matching ones' arguments: fast enough to catch
  /// a program that runs for a fraction of a second.
  static func find(_ command: String, withArgument text: String) -> (pid: pid_t, state: Character, group: pid_t)? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for name in names where name.first?.isNumber == true {
      guard let comm = FileManager.default.contents(atPath: "/proc/\(name)/comm"),
        String(decoding: comm, as: UTF8.self).trimmingCharacters(in: .newlines) == command,
        let arguments = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"),
        String(decoding: arguments, as: UTF8.self).contains(text),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")"), let pid = pid_t(name)
      else { continue }
      // After "pid (comm) ": state, ppid, pgrp.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, let state = fields[0].first, state != "Z", let group = pid_t(fields[2]) else { continue }
      return (pid, state, group)
    }
    return nil
  }

  /// A line per process, for a failed expectation's message.
  static func describe(_ entries: [Entry]) -> String {
    entries.map { "\($0.pid) (\($0.command)) ppid \($0.parent): \($0.arguments)" }.joined(separator: "\n")
  }
}

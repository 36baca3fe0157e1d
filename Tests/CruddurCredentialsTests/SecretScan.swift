import CruddurCore
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Looks for a secret where it must never be: every process's command line and environment
/// (procfs, sampled over and over while a run lasts), and after it the run's output and the
/// files it left. Each place it was found is kept, to be asserted empty.
final class SecretScan: Sendable {
  let secrets: [String]
  private let found = Mutex<Set<String>>([])
  private let isRunning = Mutex(true)
  private let samples = Mutex(0)
  private let me = getpid()

  init(_ secrets: [String]) { self.secrets = secrets }

  /// Samples /proc on a thread of its own until `finish`.
  func start() {
    Thread.detachNewThread { [self] in
      while isRunning.withLock({ $0 }) {
        sampleOnce()
        samples.withLock { $0 += 1 }
      }
    }
  }

  /// Stops sampling; returns how many full passes over /proc were made.
  func finish() -> Int {
    sampleOnce()
    isRunning.withLock { $0 = false }
    return samples.withLock { $0 }
  }

  var places: Set<String> { found.withLock { $0 } }

  func check(_ text: String, as place: String) {
    for secret in secrets where text.contains(secret) { found.withLock { _ = $0.insert(place) } }
  }

  /// Every regular file under `directory` (recursively).
  func checkFiles(under directory: String) {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
    for case let relative as String in walker {
      let path = directory + "/" + relative
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      check(String(decoding: data, as: UTF8.self), as: "file \(relative)")
    }
  }

  private func sampleOnce() {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
      return
    }
    for entry in entries {
      guard let pid = Int32(entry), pid != me else { continue }
      for part in ["cmdline", "environ"] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(part)") else {
          continue
        }
        let text = String(decoding: data, as: UTF8.self)
        for secret in secrets where text.contains(secret) {
          let command = (FileManager.default.contents(atPath: "/proc/\(pid)/comm")).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
          }
          found.withLock { _ = $0.insert("\(part) of \(command ?? "pid \(pid)")") }
        }
      }
    }
  }
}

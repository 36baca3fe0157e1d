/// The process exit codes cruddur promises (DESIGN.md §2).
public enum ExitStatus: Int32, Sendable, Codable {
  case ok = 0
  case stepFailed = 1
  case configError = 2
  case refused = 3
  case interrupted = 130
}

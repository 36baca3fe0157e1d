/// An exit status to end with, thrown once the command has said what it had to say.
/// Declared here so `throw ExitCode(status)` needs no argument-parser.
struct ExitCode: Error {
  var rawValue: Int32

  init(_ rawValue: Int32) { self.rawValue = rawValue }
}

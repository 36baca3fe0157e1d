/// A command line the grammar accepts but a command's own check refuses (`-j 0`): shown
/// as a usage error of that command, exit 2.
struct ValidationError: Error {
  var message: String

  init(_ message: String) { self.message = message }
}

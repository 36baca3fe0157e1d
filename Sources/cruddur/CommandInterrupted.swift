import CruddurCore

/// A signal stopped a command's work outside a session (planning's plugin `describe`s and
/// `sh:` values, the embedded server's start) once what it ran has stopped: the command has
/// nothing more to say, and main's funnel exits interrupted (130) without a message, text
/// or JSON. (A session says interrupted as its outcome's status instead.)
struct CommandInterrupted: Error {
  var exitStatus: ExitStatus { .interrupted }
}

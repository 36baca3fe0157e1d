// The run's orchestration moved to CruddurSession; re-exported so every command file (the
// fleet's too) keeps reaching `SignalWindow`, `Session` and `StopGrace` without an
// import line of its own.
@_exported import CruddurSession

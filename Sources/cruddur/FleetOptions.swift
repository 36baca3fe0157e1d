import CruddurCommandLine
import CruddurCore
import CruddurPostgres

/// The options of a run on a fleet environment (docs/fleets.md). Given for an environment
/// of one database they are an error, never ignored.
struct FleetOptions {
  var parallel: Int?
  var canary: Int?
  var maxFailures: Int?
  var shard: String?
  var resume: String?
  var runID: String?

  /// No fleet option given.
  static var unset: FleetOptions { FleetOptions() }

  init() {}

  init(_ parsed: ParsedCommandLine) {
    parallel = parsed.integer("parallel")
    canary = parsed.integer("canary")
    maxFailures = parsed.integer("max-failures")
    shard = parsed.value("shard")
    resume = parsed.value("resume")
    runID = parsed.value("run-id")
  }

  /// The first option given, by its spelling, to name it when the environment is no fleet.
  var firstGiven: String? {
    if parallel != nil { return "--parallel" }
    if canary != nil { return "--canary" }
    if maxFailures != nil { return "--max-failures" }
    if shard != nil { return "--shard" }
    if resume != nil { return "--resume" }
    if runID != nil { return "--run-id" }
    return nil
  }

  func validated() throws -> (shard: FleetShard?, runID: String) {
    for (option, value) in [
      ("--parallel", parallel), ("--canary", canary), ("--max-failures", maxFailures),
    ] {
      if let value, value < 1 {
        throw FleetError(.invalidCount(option: option, value: String(value)))
      }
    }
    var shardValue: FleetShard?
    if let shard {
      guard let parsed = FleetShard(parsing: shard) else { throw FleetError(.invalidShard(shard)) }
      shardValue = parsed
    }
    for id in [resume, runID].compactMap({ $0 }) where !FleetRunRecord.isValidRunID(id) {
      throw FleetError(.invalidRunID(id))
    }
    if let resume, let runID, resume != runID {
      throw ValidationError(
        "--resume \(resume) continues that run: leave out --run-id, or give the same id")
    }
    return (shardValue, resume ?? runID ?? FleetRunRecord.newRunID())
  }
}

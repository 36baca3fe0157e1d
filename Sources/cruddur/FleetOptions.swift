import ArgumentParser
import CruddurCore
import CruddurPostgres

/// The options of a run on a fleet environment (docs/fleets.md). Given for an environment
/// of one database they are an error, never ignored.
struct FleetOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Fleet: run up to N targets at once (default: 16).", valueName: "N"))
  var parallel: Int?

  @Option(
    help: ArgumentHelp(
      "Fleet: run the first N targets alone first; if any fails, start no other.", valueName: "N"))
  var canary: Int?

  @Option(
    name: .customLong("max-failures"),
    help: ArgumentHelp("Fleet: start no new target after K failed.", valueName: "K"))
  var maxFailures: Int?

  @Option(
    help: ArgumentHelp(
      "Fleet: run only part K of N (1 ≤ K ≤ N); the N parts are disjoint and cover the fleet.",
      valueName: "K/N"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      "Fleet: run again exactly the targets run RUN_ID did not finish.", valueName: "RUN_ID"))
  var resume: String?

  @Option(
    name: .customLong("run-id"),
    help: ArgumentHelp(
      "Fleet: name the run (shards of one CI run share it; default: a new id).", valueName: "ID"))
  var runID: String?

  /// Every property set, for `FastRun` (which declines any fleet option itself).
  static var unset: FleetOptions {
    var options = FleetOptions()
    options.parallel = nil
    options.canary = nil
    options.maxFailures = nil
    options.shard = nil
    options.resume = nil
    options.runID = nil
    return options
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

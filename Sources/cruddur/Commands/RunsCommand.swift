import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

/// `cruddur runs RUN_ID -e FLEET`: a fleet run's state read from its targets' own records
/// (`cruddur.fleet_runs`), so it reads the same from any machine, whichever shards or
/// machines ran it. Exit 0 when every target finished it, 1 otherwise.
struct RunsCommand: CruddurCommand {
  enum Format: String, CaseIterable { case text, json }

  var global: GlobalOptions
  var environmentOptions: EnvironmentOptions
  var format: Format
  var runID: String

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    environmentOptions = EnvironmentOptions(parsed)
    format = Format(rawValue: parsed.value("format") ?? "text") ?? .text
    runID = parsed.words[0]
  }

  /// Targets read at once.
  static let parallel = 16

  func run() async throws -> CommandStatus {
    guard FleetRunRecord.isValidRunID(runID) else { throw FleetError(.invalidRunID(runID)) }
    let project = try global.loadProject()
    let spec: EnvironmentSpec
    do throws(ConfigError) {
      spec = try EnvironmentResolver(project: project).select(
        explicit: environmentOptions.environment, processEnvironment: global.processEnvironment)
    } catch {
      throw ProjectConfigError(project: project, diagnostics: error.diagnostics)
    }
    guard spec.fleet != nil else { throw FleetError(.notAFleet(environment: spec.name)) }
    let targets = try await FleetTargets.read(
      spec, project: project, overrides: try environmentOptions.overrides(),
      processEnvironment: global.processEnvironment, shard: nil
    ).targets
    let runID = runID
    var entries = [Result<FleetRunRecord.Entry?, any Error>?](repeating: nil, count: targets.count)
    await withTaskGroup(of: (Int, Result<FleetRunRecord.Entry?, any Error>).self) { group in
      var next = 0
      func add() {
        let index = next
        next += 1
        let target = targets[index]
        group.addTask {
          do { return (index, .success(try await FleetRunRecord.read(target, runID: runID))) } catch
          {
            return (index, .failure(error))
          }
        }
      }
      while next < min(Self.parallel, targets.count) { add() }
      while let (index, result) = await group.next() {
        entries[index] = result
        if next < targets.count { add() }
      }
    }
    var done: [String] = []
    var failed: [(String, FleetRunRecord.Entry)] = []
    var missing: [String] = []
    var unreachable: [(String, String)] = []
    for (target, entry) in zip(targets, entries) {
      switch entry {
      case .success(let record?)?:
        if record.outcome == FleetTargetResult.Outcome.succeeded.rawValue {
          done.append(target.label)
        } else {
          failed.append((target.label, record))
        }
      case .success(nil)?, nil: missing.append(target.label)
      case .failure(let error)?:
        unreachable.append(
          (target.label, (error as? any CruddurError)?.diagnostics.first?.message ?? "\(error)"))
      }
    }
    switch format {
    case .json:
      let object: [String: Any] = [
        "run_id": runID, "environment": spec.name, "targets": targets.count, "done": done.count,
        "failed": failed.map {
          ["target": $0.0, "error": Redaction.redact($0.1.error ?? ""), "at": $0.1.finishedAt]
        },
        "not_recorded": missing,
        "unreachable": unreachable.map { ["target": $0.0, "error": Redaction.redact($0.1)] },
      ]
      let data = try JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
      OutputStream.standardOutput.write(String(decoding: data, as: UTF8.self) + "\n")
    case .text:
      let terminal = global.stdoutTerminal
      var out = "run \(runID) on fleet \(spec.name): \(targets.count) targets: \(done.count) done"
      out += ", \(failed.count) failed, \(missing.count) not recorded"
      if !unreachable.isEmpty { out += ", \(unreachable.count) unreachable" }
      out += "\n"
      for (label, entry) in failed {
        out +=
          "  " + terminal.paint("✗", .red)
          + " \(label): \(Redaction.redact(entry.error ?? "failed").terminalSafe) (at \(entry.finishedAt) UTC)\n"
      }
      for label in missing {
        out += "  · \(label): no record (not run, or stopped before its end)\n"
      }
      for (label, reason) in unreachable {
        out += "  ? \(label): \(Redaction.redact(reason).terminalSafe)\n"
      }
      OutputStream.standardOutput.write(out)
    }
    return CommandStatus(done.count == targets.count ? .ok : .stepFailed)
  }
}

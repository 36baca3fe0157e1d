import CruddurTestSupport
import Foundation
import Testing

extension DatabaseTests {
  /// `run` executes the very plan `plan` prints: for several task sets, the steps a run
  /// reports (`--format json`) match `plan --format json` step for step.
  @Suite struct PlanEqualsRunTests {
    struct Step: Equatable, CustomStringConvertible {
      var number: Int
      var task: String
      var executor: String
      var summary: String
      var description: String { "\(number). \(task) (\(executor)) \(summary)" }
    }

    static func planned(_ json: String) throws -> [Step] {
      let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
      let steps = object?["steps"] as? [[String: Any]] ?? []
      return steps.map { step in
        let description = step["description"] as? [String: Any]
        return Step(
          number: step["number"] as? Int ?? 0, task: step["task"] as? String ?? "",
          executor: step["executor"] as? String ?? "", summary: description?["summary"] as? String ?? "")
      }
    }

    static func ran(_ jsonLines: String) throws -> [Step] {
      try jsonLines.split(separator: "\n").compactMap { line -> Step? in
        let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        guard event?["event"] as? String == "step_started" else { return nil }
        return Step(
          number: event?["step"] as? Int ?? 0, task: event?["task"] as? String ?? "",
          executor: event?["executor"] as? String ?? "", summary: event?["summary"] as? String ?? "")
      }
    }

    @Test(
      "the steps run are the steps planned",
      arguments: [["db:setup"], ["db:create"], ["all"], ["db:sessions"], ["report"]])
    func planEqualsRun(_ tasks: [String]) async throws {
      let database = TestCluster.uniqueDatabaseName("pe")
      let project = try DatabaseTests.dbProject(
        database: database,
        extraFiles: [
          "tasks/more.yml": """
          tasks:
            hello: { description: say hello, shell: echo hello }
            report: { query: select count(*) from public.users, deps: [db:setup, hello] }
            all: { steps: [db:setup, db:sessions], deps: [hello] }
          """
        ])
      defer { project.remove() }
      let env = DatabaseTests.environment(database: database)
      let plan = try await project.run(["plan"] + tasks + ["--format", "json"], environment: env)
      #expect(plan.status == 0, "\(plan)")
      let run = try await project.run(["run"] + tasks + ["--format", "json", "-j", "1"], environment: env)
      #expect(run.status == 0, "\(run)")
      let planned = try Self.planned(plan.stdout)
      #expect(!planned.isEmpty)
      #expect(try Self.ran(run.stdout) == planned)
    }
  }
}

import CruddurCore
import CruddurOutput
import CruddurTestSupport
import Foundation
import Testing

/// Plans for people (text) and for machines and saved plans (JSON).
@Suite struct PlanRendererTests {
  static let plain = Terminal(useColor: false, isInteractive: false)
  static let target = Target(host: "127.0.0.1", port: "5432", database: "app", user: "postgres")

  static func step(_ number: Int, _ task: String, destructive: Bool = false, details: [String] = [], after: [Int] = [])
    -> PlannedStep
  {
    PlannedStep(
      number: number, task: task, executor: "sql",
      description: StepDescription(
        target: number == 1 ? target : nil, summary: "run db/\(task).sql", details: details,
        isDestructive: destructive), after: after)
  }

  @Test("every step with its number, flags, target, details (passwords masked) and what it waits for")
  func text() {
    let plan = Plan(
      tasks: ["db:setup"], environment: "prod", target: "postgres:****@db.example.com:5432/app",
      steps: [
        Self.step(1, "drop", destructive: true, details: ["password=hunter2 in postgresql://u:pw@h/db"]),
        Self.step(2, "seed", after: [1]),
      ], consentSteps: [1], consentNotice: "prod is protected: step 1 needs consent (--yes or type 'prod')")
    ExactOutput.expect(
      PlanRenderer.text(plan, terminal: Self.plain),
      equals: """
        Plan for db:setup on prod (postgres:****@db.example.com:5432/app)
        prod is protected: step 1 needs consent (--yes or type 'prod')
        1. drop (sql) [destructive] [needs consent]
           run db/drop.sql
           target: postgres@127.0.0.1:5432/app
           password=**** in postgresql://u:****@h/db
        2. seed (sql)
           run db/seed.sql
           after: #1

        """)
  }

  @Test("numbers are right-aligned from ten steps on; an empty plan says there is nothing to do")
  func widthAndEmpty() {
    let steps = (1...10).map { Self.step($0, "s\($0)") }
    let text = PlanRenderer.text(
      Plan(tasks: ["all"], environment: "local", target: "t", steps: steps), terminal: Self.plain)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[1] == " 1. s1 (sql)")
    #expect(lines[2] == "    run db/s1.sql")
    #expect(lines.last == "    run db/s10.sql")
    #expect(lines[lines.count - 2] == "10. s10 (sql)")
    #expect(
      PlanRenderer.text(Plan(tasks: ["noop"], environment: "local", target: "t", steps: []), terminal: Self.plain)
        == "Plan for noop on local (t)\n  nothing to do\n")
  }

  @Test("control characters from the project are escaped in the text")
  func escaped() {
    let step = PlannedStep(
      number: 1, task: "a\u{1B}[2K", executor: "shell",
      description: StepDescription(target: nil, summary: "sh: true '\u{1B}[2K'", details: ["x\u{7}"]), after: [])
    ExactOutput.expect(
      PlanRenderer.text(
        Plan(tasks: ["a\u{1B}[2K"], environment: "local", target: "t", steps: [step]), terminal: Self.plain),
      equals: """
        Plan for a\\u{1B}[2K on local (t)
        1. a\\u{1B}[2K (shell)
           sh: true '\\u{1B}[2K'
           x\\u{7}

        """)
  }

  @Test("JSON: snake_case keys, sorted, slashes unescaped; it decodes back to the same plan")
  func json() throws {
    let plan = Plan(
      tasks: ["db:drop"], environment: "prod", target: "postgres:****@h:5432/app",
      steps: [Self.step(1, "drop", destructive: true)], consentSteps: [1], consentNotice: "needs consent")
    let text = try PlanRenderer.json(plan)
    ExactOutput.expect(
      text,
      equals: """
        {
          "consent_notice" : "needs consent",
          "consent_steps" : [
            1
          ],
          "environment" : "prod",
          "steps" : [
            {
              "after" : [

              ],
              "description" : {
                "destructive_statements" : [

                ],
                "details" : [

                ],
                "files" : [

                ],
                "is_destructive" : true,
                "summary" : "run db/drop.sql",
                "target" : {
                  "database" : "app",
                  "host" : "127.0.0.1",
                  "port" : "5432",
                  "user" : "postgres"
                }
              },
              "executor" : "sql",
              "number" : 1,
              "task" : "drop"
            }
          ],
          "target" : "postgres:****@h:5432/app",
          "tasks" : [
            "db:drop"
          ],
          "version" : 1
        }

        """)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    #expect(try decoder.decode(Plan.self, from: Data(text.utf8)) == plan)
  }
}

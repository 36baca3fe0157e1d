/// cruddur's whole command line as data: its commands and its option table. The parser,
/// the help pages, usage errors with their did-you-mean and the shell completions are all
/// read from here, so an option exists everywhere or nowhere.
public struct Grammar: Sendable {
  public var program: String
  public var abstract: String
  public var discussion: String
  public var version: String
  /// In the order `cruddur --help` lists them; the first is the default command.
  public var commands: [CommandSpec]
  /// In the order each command's help lists its options.
  public var options: [OptionSpec]

  public var defaultCommand: String { commands[0].name }

  public func command(_ name: String) -> CommandSpec? { commands.first { $0.name == name } }

  /// The options `command` takes, in table order.
  public func options(of command: String) -> [OptionSpec] {
    options.filter { $0.commands.contains(command) }
  }

  /// The commands' names and `help`.
  public var commandNames: [String] { commands.map(\.name) + ["help"] }
}

extension Grammar {
  static let environmentCommands = ["run", "plan", "connect", "local", "runs", "stamp"]
  static let outputCommands = ["run", "apply", "connect"]
  static let consentHelp = "Consent to destructive steps on a protected environment without asking."
  static let waitHelp =
    "When another destructive run holds the target's lock, wait for it instead of failing."

  public static let cruddur = Grammar(
    program: "cruddur",
    abstract: "Declared, checked, repeatable tasks for Postgres environments.",
    discussion: """
      Examples:
        cruddur db:setup                drop, create, load schema and seed
        cruddur plan db:setup -e prod   show what would run, without connecting
        cruddur list                    the tasks in cruddur.yml and tasks/
        cruddur help db:setup           one task: parameters, steps, where declared
      """,
    version: "0.1.0",
    commands: commands,
    options: options)

  static let commands: [CommandSpec] = [
    CommandSpec(
      "run",
      abstract: "Run tasks (the default command: `cruddur db:setup` = `cruddur run db:setup`).",
      discussion: """
        Example:
          cruddur db:setup -e local
          cruddur users:add 'Andrew Brown' andrewbrown andrew@example.com MOCK
          cruddur aws:sg-allow-me --set MY_IP=203.0.113.7
          cruddur db:setup --format json     one JSON object per event and line

        Ctrl-C cancels running queries on the server and stops running commands (their whole process group), then exits 130; a second Ctrl-C kills the commands at once.
        """,
      positionals: [
        PositionalSpec(
          "task [params...]", help: "Tasks to run, each followed by its parameters.", repeats: true,
          completion: .tasks)
      ]),
    CommandSpec(
      "plan",
      abstract:
        "Show every step a run would take, in order, without connecting or running anything.",
      discussion: """
        Example:
          cruddur plan db:setup -e prod
          cruddur plan db:setup --format json
          cruddur plan db:setup -e prod --out plan.json   then: cruddur apply plan.json
          cruddur plan db:migrate -e prod --check         the pending migrations there

        `plan` never connects, except with --check (and --out): then a migrate step reads its target in a READ ONLY transaction and lists exactly the pending migrations; a saved plan records the applied ones.
        """,
      positionals: [
        PositionalSpec(
          "task", help: "Tasks to plan, each followed by its parameters, as for a run.",
          repeats: true, completion: .tasks)
      ]),
    CommandSpec(
      "apply", abstract: "Run a saved plan exactly, or refuse if anything it depends on changed.",
      discussion: """
        Example:
          cruddur plan db:schema -e prod --out schema.plan.json
          cruddur apply schema.plan.json --yes
        A destructive plan applied once is refused a second time unless --again is given:
        every applied plan is recorded on the target (cruddur.applied_plans).
        A fleet's plan is refused when any target drifted since (each is named, with why); --skip-drifted runs the others.
        A fleet's plan takes a run's fleet options (--parallel, --canary, --max-failures, --shard, --run-id, --resume) and is recorded on each target it finishes.
        """,
      positionals: [
        PositionalSpec(
          "file", help: "The plan saved by `cruddur plan ... --out FILE`.",
          completion: .filesEnding("json"))
      ]),
    CommandSpec(
      "list", abstract: "List the tasks with their descriptions, grouped by namespace.",
      discussion: """
        Example:
          cruddur list
          cruddur list --format json | jq '.[].name'
        """),
    CommandSpec(
      "validate", abstract: "Check cruddur.yml and every included file; report every problem.",
      discussion: """
        Every problem in every file, each with file:line:col, the line and a caret. Exit 2 if any.

        Example:
          cruddur validate
          cruddur validate -f other/cruddur.yml
        """),
    CommandSpec(
      "envs", abstract: "List environments with their URLs (passwords masked).",
      discussion:
        "Example:\n  cruddur envs\n  cruddur envs --check     fetch each `password:` source, to prove access"
    ),
    CommandSpec(
      "local", abstract: "Manage the embedded local Postgres under .cruddur/.",
      discussion: """
        status exits 0 when the server runs, 3 when it is stopped, 4 when it was never created.

        stop finds the server by its pid file, or by its port when .cruddur/ was removed.

        reset stops it, deletes .cruddur/ (every database in it) and creates a new one.

        Example:
          cruddur local status
          cruddur local stop
          cruddur local reset --yes
        """,
      positionals: [
        PositionalSpec(
          "action", help: "start, stop, status or reset.",
          values: ["start", "stop", "status", "reset"])
      ]),
    CommandSpec(
      "graph", abstract: "Show how tasks depend on each other (deps and steps).",
      discussion: """
        Example:
          cruddur graph db:setup
          cruddur graph --format dot | dot -Tsvg > tasks.svg
          cruddur graph --format mermaid
        """,
      positionals: [
        PositionalSpec(
          "tasks", help: "Tasks to start from (default: all).", repeats: true, optional: true,
          completion: .tasks)
      ]),
    CommandSpec(
      "init",
      abstract: "Write a starter cruddur.yml, tasks/db.yml, db/*.sql and a first migration here.",
      discussion: """
        Never overwrites a file. The starter validates and `cruddur db:setup` runs it on an embedded local Postgres. .gitignore gets `.cruddur/`, `.env` and `backups/` (added to an existing one).

        Example:
          mkdir app && cd app && cruddur init && cruddur db:setup
        """),
    CommandSpec(
      "new", abstract: "Write a new file from a template: `cruddur new migration NAME`.",
      discussion: """
        Example:
          cruddur new migration add_email_index
            → db/migrations/20261201120000_add_email_index.sql

        The file has a `-- migrate:up` and a `-- migrate:down` block to fill in.
        """,
      positionals: [
        PositionalSpec("kind", help: "What to write: migration.", values: ["migration"]),
        PositionalSpec(
          "name", help: "The migration's name, in words or snake_case (add_email_index)."),
      ]),
    CommandSpec(
      "connect",
      abstract:
        "Open psql on an environment's database (the password goes in a password file only psql reads).",
      discussion: """
        Example:
          cruddur connect            the default environment
          cruddur connect -e prod
        """,
      positionals: [
        PositionalSpec(
          "psql-arguments", help: "Further psql arguments.", repeats: true, optional: true)
      ],
      passesThrough: true),
    CommandSpec(
      "runs", abstract: "Show a fleet run's state across the fleet, read from each target.",
      discussion: """
        Example:
          cruddur runs 20261207-173005-4f2a9c -e tenants
        """,
      positionals: [PositionalSpec("run-id", help: "The run id a fleet run printed.")]),
    CommandSpec(
      "stamp",
      abstract: "Stamp an environment's database as that environment's (asks for consent).",
      discussion: """
        Example:
          cruddur stamp -e prod --yes
        The stamp records the environment, the database's name and its server's system identifier; a destructive step on a database stamped for another environment, or whose stamp was made on another database, is refused.
        """),
  ]

  static let allCommands = [
    "run", "plan", "apply", "list", "validate", "envs", "local", "graph", "init", "new", "connect",
    "runs", "stamp",
  ]
  static let fleet = "Fleet options"

  static let options: [OptionSpec] = [
    OptionSpec(
      long: "file", short: "f", value: "file",
      help: "The config file (default: cruddur.yml here or in a parent).",
      commands: allCommands.filter { $0 != "init" }, completion: .files),
    OptionSpec(
      long: "no-color", help: "No colour (also when NO_COLOR is set or output is not a terminal).",
      commands: allCommands.filter { $0 != "init" }),
    OptionSpec(
      long: "verbose", short: "v", help: "Print more: statements and commands as they start.",
      commands: outputCommands),
    OptionSpec(
      long: "quiet", short: "q",
      help: "Print only errors, the summary, query rows and a failing step's output.",
      commands: outputCommands),
    OptionSpec(
      long: "quiet", short: "q",
      help: "Print nothing when there is no problem (problems still go to stderr).",
      commands: ["validate"]),
    OptionSpec(
      long: "env", short: "e", value: "env",
      help: "The environment (default: $CRUDDUR_ENV, then the default one).",
      commands: environmentCommands, completion: .environments),
    OptionSpec(
      long: "set", value: "name=value", help: "Set a variable (highest precedence).",
      commands: environmentCommands,
      completion: .variables, repeats: true),
    OptionSpec(
      long: "set", value: "name=value", help: "Set a variable, as when the plan was made.",
      commands: ["apply"],
      completion: .variables, repeats: true),
    OptionSpec(
      long: "parallel", value: "N", help: "Fleet: run up to N targets at once (default: 16).",
      commands: ["run", "apply"],
      isInteger: true, group: fleet),
    OptionSpec(
      long: "canary", value: "N",
      help: "Fleet: run the first N targets alone first; if any fails, start no other.",
      commands: ["run", "apply"], isInteger: true, group: fleet),
    OptionSpec(
      long: "max-failures", value: "K", help: "Fleet: start no new target after K failed.",
      commands: ["run", "apply"],
      isInteger: true, group: fleet),
    OptionSpec(
      long: "shard", value: "K/N",
      help:
        "Fleet: run only part K of N (1 ≤ K ≤ N); the N parts are disjoint and cover the fleet.",
      commands: ["run", "apply"], group: fleet),
    OptionSpec(
      long: "resume", value: "RUN_ID",
      help: "Fleet: run again exactly the targets run RUN_ID did not finish.",
      commands: ["run", "apply"], group: fleet),
    OptionSpec(
      long: "run-id", value: "ID",
      help: "Fleet: name the run (shards of one CI run share it; default: a new id).",
      commands: ["run", "apply"], group: fleet),
    OptionSpec(
      long: nil, short: "j", value: "N",
      help: "Run up to N independent steps at once (default: cores).",
      commands: ["run"], isInteger: true),
    OptionSpec(
      long: "format", value: "format",
      help: "text; json: one JSON object per event and line; csv: query rows alone on stdout.",
      commands: ["run"],
      values: ["text", "json", "csv"], defaultValue: "text"),
    OptionSpec(
      long: "format", value: "format", help: "text or json.", commands: ["plan", "list"],
      values: ["text", "json"],
      defaultValue: "text"),
    OptionSpec(
      long: "format", value: "format", help: "text, dot or mermaid.", commands: ["graph"],
      values: ["text", "dot", "mermaid"], defaultValue: "text"),
    OptionSpec(
      long: "format", value: "format", help: "text, or json (one object).", commands: ["runs"],
      values: ["text", "json"], defaultValue: "text"),
    OptionSpec(long: "yes", short: "y", help: consentHelp, commands: ["run", "apply"]),
    OptionSpec(long: "yes", short: "y", help: "reset without asking.", commands: ["local"]),
    OptionSpec(long: "yes", short: "y", help: "Consent without asking.", commands: ["stamp"]),
    OptionSpec(
      long: "dry-run", short: "n", help: "Print the plan (as `cruddur plan` does) and run nothing.",
      commands: ["run"]),
    OptionSpec(
      long: "again", help: "Apply a destructive plan that was already applied to this database.",
      commands: ["apply"]),
    OptionSpec(long: "wait", help: waitHelp, commands: ["run", "apply"]),
    OptionSpec(
      long: "skip-drifted",
      help:
        "A fleet's plan: run the targets that did not drift since the plan, and name the others.",
      commands: ["apply"]),
    OptionSpec(
      long: "format", value: "format", help: "text or json: one JSON object per event and line.",
      commands: ["apply"],
      values: ["text", "json", "csv"], defaultValue: "text"),
    OptionSpec(
      long: "out", value: "file",
      help: "Also save the plan, to run it later exactly with `cruddur apply FILE`.",
      commands: ["plan"], completion: .files),
    OptionSpec(
      long: "check",
      help: "Read what steps depend on from their targets, read-only (the pending migrations).",
      commands: ["plan"]),
    OptionSpec(
      long: "check",
      help:
        "Connect and count each fleet's targets; fetch each `password:` source to prove access (nothing is shown).",
      commands: ["envs"]),
  ]
}

import CruddurCommandLine
import CruddurCore
import CruddurOutput
import Foundation

struct InitCommand: CruddurCommand {
  init(_ parsed: ParsedCommandLine) throws {}

  static let files: [(String, String)] = [
    (
      "cruddur.yml",
      """
      # Environments and where tasks live. `cruddur envs` lists them, `cruddur list` the tasks.
      version: 1
      dotenv: [.env]
      environments:
        local:
          default: true
          # embedded: cruddur starts a project-local server under .cruddur/ when none answers.
          embedded: true
          url: ${CONNECTION_URL:-postgresql://postgres:password@localhost:5432/app}
        prod:
          url: ${PROD_CONNECTION_URL:?set PROD_CONNECTION_URL to the production URL}
          protected: true
      include: [tasks/*.yml]

      """
    ),
    (
      "tasks/db.yml",
      """
      tasks:
        db:drop:
          description: Drop the database (ending its sessions)
          database: drop
        db:create:
          description: Create the database
          database: create
        db:schema:
          description: Load the schema
          sql: ../db/schema.sql
        db:seed:
          description: Load seed data
          sql: ../db/seed.sql
        db:setup:
          description: Drop, create, load schema and seed
          steps: [db:drop, db:create, db:schema, db:seed]
        db:migrate:
          description: Apply pending migrations (db/migrations), then write db/structure.sql
          migrate: ../db/migrations
        db:rollback:
          description: Roll back the last applied migration (`db:rollback N` for the last N)
          params: [STEP]
          vars: { STEP: "1" }
          migrate: ../db/migrations
          mode: rollback
        db:migrate:status:
          description: Each migration, when it was applied, and its state
          migrate: ../db/migrations
          mode: status
        db:backup:
          description: Dump the database to backups/db.dump (pg_dump custom format; restore with pg_restore)
          pg_dump: ../backups/db.dump
        db:prepare:
          description: Create the database if missing, migrate it, seed it if it has no notes yet
          steps: [db:create, db:migrate, db:seed:empty]
        db:seed:empty:
          description: Load seed data into a database without notes (one just created)
          sql: ../db/seed.sql
          unless: { sql: select 1 from public.notes limit 1 }
        db:sessions:
          description: Who is connected to the server
          query: select pid, usename, datname, application_name, state from pg_stat_activity
          on: maintenance

      """
    ),
    (
      "db/schema.sql",
      """
      create table public.notes (
        id bigint generated always as identity primary key,
        body text not null,
        created_at timestamptz not null default now()
      );

      """
    ),
    ("db/seed.sql", "insert into public.notes (body) values ('hello from cruddur');\n"),
    (
      "db/migrations/20261201000000_create_notes.sql",
      """
      -- The first migration: what db/schema.sql creates, so `cruddur db:prepare` works on a
      -- new database and `db:migrate` after `db:setup` records it without changing anything.
      -- Next ones: `cruddur new migration NAME`.
      -- migrate:up
      create table if not exists public.notes (
        id bigint generated always as identity primary key,
        body text not null,
        created_at timestamptz not null default now()
      );

      -- migrate:down
      drop table public.notes;

      """
    ),
  ]

  func run() throws -> CommandStatus {
    let cwd = FileManager.default.currentDirectoryPath
    let existing = Self.files.map(\.0).filter { FileManager.default.fileExists(atPath: cwd + "/" + $0) }
    if !existing.isEmpty {
      throw ConfigError(.initFilesExist(existing))
    }
    for (name, contents) in Self.files {
      let path = cwd + "/" + name
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      // Editors that read the line check the file against the schema as it is typed.
      let text = name.hasSuffix(".yml") ? SchemaLocation.modeline + contents : contents
      try AtomicFile.write(text, to: path)
      OutputStream.standardOutput.write("created \(name)\n")
    }
    let ignoreFile = cwd + "/.gitignore"
    let hadIgnoreFile = FileManager.default.fileExists(atPath: ignoreFile)
    let added = try GitIgnore.ensure(at: ignoreFile)
    if !added.isEmpty {
      OutputStream.standardOutput.write(
        hadIgnoreFile ? "added \(Self.list(added)) to .gitignore\n" : "created .gitignore\n")
    }
    OutputStream.standardOutput.write("next: cruddur db:setup\n")
    return .ok
  }

  /// "a", "a and b", "a, b and c".
  private static func list(_ items: [String]) -> String {
    items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
  }
}

import CruddurCommandLine
import CruddurCore
import CruddurOutput
import CruddurPostgres
import Foundation

/// `cruddur new migration NAME`: a timestamped file in the project's migrations folder (the
/// one its `migrate:` tasks read, else db/migrations), with both blocks to fill in.
struct NewCommand: CruddurCommand {
  enum Kind: String, CaseIterable { case migration }

  var global: GlobalOptions
  var kind: Kind
  var name: String

  init(_ parsed: ParsedCommandLine) throws {
    global = GlobalOptions(parsed)
    kind = Kind(rawValue: parsed.words[0]) ?? .migration
    name = parsed.words[1]
  }

  func run() throws -> CommandStatus {
    let project = try global.loadProject()
    let directory = try Self.migrationsDirectory(project)
    let loader = SourceLoader(root: project.root)
    let kind = FileKind(path: directory)
    guard kind == .directory || kind == .missing else {
      throw RunError(.migrationsFolderNotAFolder(path: loader.relative(directory), kind: kind))
    }
    let slug = Self.slug(name)
    guard !slug.isEmpty else {
      throw ValidationError("a migration name needs letters or digits (add_email_index)")
    }
    let existing = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().compactMap {
      fileName in MigrateExecutor.versionAndName(of: fileName).map { (version: $0.version, name: $0.name, fileName: fileName) }
    }
    if let same = existing.first(where: { $0.name == slug }) {
      throw RunError(.migrationExists(name: slug, path: "\(loader.relative(directory))/\(same.fileName)"))
    }
    var version = Self.timestamp(Date())
    // Two in one second (a script): the next free second keeps versions unique and ordered.
    while existing.contains(where: { $0.version == version }) { version = String((Int(version) ?? 0) + 1) }
    let fileName = "\(version)_\(slug).sql"
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      // Foundation's own text holds the absolute path and a dump of its error.
      throw RunError(.cannotWrite(path: loader.relative(directory), reason: "cannot create the folder"))
    }
    let path = directory + "/" + fileName
    let text = """
      -- migrate:up


      -- migrate:down


      """
    do {
      try AtomicFile.create(text, at: path)
    } catch {
      throw RunError(.cannotWrite(path: loader.relative(path), reason: error.localizedDescription))
    }
    OutputStream.standardOutput.write("created \(loader.relative(path))\n")
    if let close = Suggestion.closest(to: slug, in: existing.map(\.name)) {
      OutputStream.standardError.write(
        "note: a migration with a similar name exists: \(existing.first { $0.name == close }!.fileName); did you mean to edit it?\n"
      )
    }
    return .ok
  }

  /// The folder of the project's `migrate:` tasks when they agree on one, else db/migrations.
  static func migrationsDirectory(_ project: Project) throws -> String {
    let folders = Set(project.tasks.values.flatMap { $0.action?.bound.folders ?? [] })
    if folders.count > 1 {
      let loader = SourceLoader(root: project.root)
      throw RunError(.migrationFoldersDiffer(folders.map(loader.relative).sorted()))
    }
    return folders.first ?? project.root + "/db/migrations"
  }

  /// "Add email index" → "add_email_index".
  static func slug(_ name: String) -> String {
    let words = name.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
    return words.joined(separator: "_")
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMddHHmmss"
    return formatter.string(from: date)
  }
}

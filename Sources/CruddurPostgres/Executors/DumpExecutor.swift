import CruddurCore
import CruddurProcess
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `pg_dump: FILE`: a dump of the environment's database to FILE, in pg_dump's custom
/// format (restore it with `pg_restore`), so `db:backup` can run before `db:migrate`.
/// (The key is not `dump:`, which is already `migrate`'s own option: a task key cannot be
/// one executor's action and another's option.)
///
/// The password reaches pg_dump in a passfile of its own (`PGPASSFILE`, mode 0600, in a
/// private folder removed afterwards): never on its command line, where `ps` shows it,
/// nor in its environment, which holds only what it needs (`childEnvironment`). The dump
/// is written to a temporary file beside FILE (mode 0600: it holds the data) and renamed
/// over FILE only once pg_dump succeeded, so FILE is either the old file or the whole new
/// dump, never half of one. FILE must be a regular file or not exist: a FIFO, a device, a
/// directory or a symbolic link is refused (exit 2) by the plan already, before anything
/// connects.
public struct DumpExecutor: Executor {
  public struct Spec: StepSpec {
    var path: String
    var displayPath: String
    /// Where FILE is written in the task, for the refusal of a special file.
    var location: SourceLocation
  }

  public init() {}
  public var actionKey: String { "pg_dump" }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> Spec? {
    guard let file = input.value.string, !input.value.isNull, !file.allSatisfy(\.isWhitespace), !file.hasSuffix("/")
    else {
      diagnostics.append(
        ConfigErrorKind.invalidValue(
          what: "`pg_dump`", requirement: "be the path of the file to write", found: input.value.kindName,
          suggestion: nil
        ).diagnostic(at: input.value.spanLocation))
      return nil
    }
    let path = SourceLoader.resolve(file, relativeTo: input.directory)
    return Spec(
      path: path, displayPath: SourceLoader(root: input.projectRoot).relative(path), location: input.value.spanLocation)
  }

  /// The file written, project-relative, and the database dumped.
  public struct Prepared: Codable, Sendable, Hashable {
    var file: String
    var target: Target
    /// The database's size as `inspect` read it. Shown only, not part of the value: it moves
    /// with every write, and a dump planned at one size is still the dump to run.
    var sizeNow: String? = nil

    public static func == (a: Prepared, b: Prepared) -> Bool { (a.file, a.target) == (b.file, b.target) }
    public func hash(into hasher: inout Hasher) {
      hasher.combine(file)
      hasher.combine(target)
    }
  }

  public func prepare(_ spec: Spec, in context: PlanContext) throws -> Prepared {
    try Self.refuseSpecialFile(spec)
    return Prepared(file: spec.displayPath, target: try PostgresSession.target(context))
  }

  public func describe(_ prepared: Prepared) -> StepDescription {
    StepDescription(
      target: prepared.target,
      summary: "pg_dump \(prepared.target.database) to \(prepared.file) (custom format)",
      details: [
        "file: \(prepared.file) (database size \(prepared.sizeNow.map { "now \($0)" } ?? "computed at run time"))"
      ])
  }

  /// `validate` refuses a FILE that is already a special file, as plan and run do.
  public func check(_ spec: Spec, projectRoot: String) -> [Diagnostic] {
    Self.specialFile(spec)?.diagnostics ?? []
  }

  /// `plan --check`: the database's size now, read in a read-only transaction (shown only:
  /// `Prepared.sizeNow`).
  public func inspect(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
    -> Prepared?
  {
    let info = try PostgresSession.info(for: context.environment)
    var inspected = prepared
    inspected.sizeNow = try await MigrationLedger.readOnly(info) { try await Self.databaseSize($0) }
    return inspected
  }

  public func run(_ prepared: Prepared, spec: Spec, step: PlannedStep, in context: StepContext)
    async throws
  {
    try Self.refuseSpecialFile(spec)
    let events = context.events
    // Starts the embedded server when the environment has one, fails here with cruddur's
    // message when the server cannot be reached, and says what is about to be dumped.
    let size = try await PostgresSession.withConnection(context, step: step) { try await Self.databaseSize($0) }
    let info = try PostgresSession.info(for: context.environment)
    events.emit(
      .stepOutput(step: step, line: "dumping \(info.database) (\(size)) to \(spec.displayPath)", stream: .stdout))

    let directory = (spec.path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let partial = try PartialFile(besides: spec.path)
    // A `password:` source's password (fetched now, for this pg_dump) goes in the passfile
    // as a URL's would; it never reaches pg_dump's argv or environment.
    let filled = try await info.fillingPassword(for: context.environment)
    // The password file libpq programs share (`TemporaryPasswordFile`); none when the URL has none.
    let secrets = try filled.password.map { try TemporaryPasswordFile(password: $0) }
    defer { secrets?.remove() }
    do {
      let environment = Self.childEnvironment(try context.processEnvironment(), passfile: secrets?.path)
      let conninfo = filled.options.filter { $0.key != "password" }
        .map { "\($0.key)='\(PsqlExecutor.escape($0.value))'" }.joined(separator: " ")
      let arguments = ["--format=custom", "--no-password", "--file=\(partial.path)", "--dbname=\(conninfo)"]
      if context.isVerbose {
        events.emit(.stepCommand(step: step, text: (["pg_dump"] + arguments).joined(separator: " ")))
      }
      let process = ChildProcess(
        executable: "pg_dump", arguments: arguments, environment: environment, workingDirectory: context.projectRoot)
      let termination = try await process.run(groups: ProcessGroups.shared(in: context.resources)) { line, stream in
        events.emit(.stepOutput(step: step, line: line, stream: stream == .stderr ? .stderr : .stdout))
      }
      if termination.status != 0 { throw DumpFailedError(exitCode: termination.status) }
      try partial.commit(to: spec.path, shownAs: spec.displayPath)
    } catch {
      partial.remove()
      throw error
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: spec.path)[.size] as? Int) ?? 0
    events.emit(.stepOutput(step: step, line: "wrote \(spec.displayPath) (\(bytes) bytes)", stream: .stdout))
  }

  /// pg_dump's environment: what a program needs to run (PATH, HOME, locale, time zone,
  /// temp folder) and libpq's own `PG*` settings, nothing else. Not the whole environment a
  /// shell step gets: a variable there may hold the URL with its password (DATABASE_URL,
  /// or whatever the project's `url:` reads).
  static func childEnvironment(_ full: [String: String], passfile: String?) -> [String: String] {
    let kept = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ", "TMPDIR"]
    var environment = full.filter { name, _ in
      kept.contains(name) || name.hasPrefix("LC_") || (name.hasPrefix("PG") && name != "PGPASSWORD")
    }
    if let passfile { environment["PGPASSFILE"] = passfile }
    return environment
  }

  static func databaseSize(_ connection: Connection) async throws -> String {
    let result = try await connection.execute("select pg_size_pretty(pg_database_size(current_database()))")
    return result.rows.first?.first.flatMap { $0 } ?? "unknown size"
  }

  static func refuseSpecialFile(_ spec: Spec) throws {
    if let error = specialFile(spec) { throw error }
  }

  /// FILE may be missing or a regular file; `lstat`, so a symbolic link is seen as one and
  /// never followed to write somewhere else.
  static func specialFile(_ spec: Spec) -> DumpTargetError? {
    var info = stat()
    guard lstat(spec.path, &info) == 0 else { return nil }
    let kind: String
    switch info.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFLNK: kind = "a symbolic link"
    case S_IFDIR: kind = "a directory"
    case S_IFIFO: kind = "a FIFO"
    case S_IFCHR: kind = "a character device"
    case S_IFBLK: kind = "a block device"
    case S_IFSOCK: kind = "a socket"
    default: kind = "not a regular file"
    }
    return DumpTargetError(shownAs: spec.displayPath, kind: kind, location: spec.location)
  }

  /// The temporary file pg_dump writes, beside FILE so the rename stays on one file system;
  /// made here with mode 0600 and O_EXCL, so pg_dump (which truncates it) never widens
  /// the mode and no other file is overwritten.
  struct PartialFile {
    let path: String

    init(besides final: String) throws {
      let directory = (final as NSString).deletingLastPathComponent
      let name = (final as NSString).lastPathComponent
      path = "\(directory)/.\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).partial"
      let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
      guard fd >= 0 else { throw DumpWriteError(shownAs: final, reason: String(cString: strerror(errno))) }
      close(fd)
    }

    /// Flushed to disk, then renamed over FILE, then the rename itself flushed.
    func commit(to final: String, shownAs shown: String) throws {
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      if fd >= 0 {
        _ = fsync(fd)
        close(fd)
      }
      guard rename(path, final) == 0 else {
        throw DumpWriteError(shownAs: shown, reason: String(cString: strerror(errno)))
      }
      let directory = open((final as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      if directory >= 0 {
        _ = fsync(directory)
        close(directory)
      }
    }

    func remove() { unlink(path) }
  }

}

/// FILE exists and is not a regular file: nothing is written to a FIFO, a device, a
/// directory, or through a symbolic link.
public struct DumpTargetError: CruddurError {
  public var shownAs: String
  public var kind: String
  public var location: SourceLocation?
  public var exitStatus: ExitStatus { .configError }
  public var diagnostics: [Diagnostic] {
    [
      .error(
        "`\(shownAs)` is \(kind), not a file: a dump is written only to a regular file or a new one", at: location,
        help: "remove it, or name another file in `pg_dump:`")
    ]
  }
}

/// The dump could not be written where asked (folder not writable, disk full at rename).
public struct DumpWriteError: CruddurError {
  public var shownAs: String
  public var reason: String
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] { [.error("cannot write the dump to `\(shownAs)`: \(reason)")] }
}

/// pg_dump ended with a non-zero status; its own messages were the step's output, and
/// FILE was left as it was.
public struct DumpFailedError: CruddurError, ExitCodeReporting {
  public var exitCode: Int32
  public var exitStatus: ExitStatus { .stepFailed }
  public var diagnostics: [Diagnostic] {
    [.error("pg_dump exited with status \(exitCode); the file was left as it was")]
  }
}

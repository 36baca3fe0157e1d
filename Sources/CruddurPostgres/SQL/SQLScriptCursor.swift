import CruddurCore
import Foundation

/// A SQL file and the files it includes (`\i`, `\ir`), read as one stream of items, each
/// tagged with the file it came from so positions point into the included file.
final class SQLScriptCursor {
  /// A file of the script: absolute path for reading, display path for messages.
  struct File: Sendable, Hashable {
    var path: String
    var displayPath: String
  }

  struct Item {
    var item: SQLScriptItem
    var file: File
  }

  /// psql has no limit; a cycle of includes would otherwise recurse until files run out.
  static let maxIncludeDepth = 32

  private var stack: [(file: File, reader: SQLScriptReader)] = []
  private let projectRoot: String
  /// Included files read whole, by absolute path: a plan keeps them for its run, which
  /// reads them from here, so each file is opened once per run.
  private(set) var heldIncludes: [String: [UInt8]] = [:]
  /// Bytes of included files still to be held; 0: they are streamed from disk.
  private var includeBudget = 0

  init(path: String, projectRoot: String) throws {
    self.projectRoot = projectRoot
    try push(path, at: nil)
  }

  /// A script held in memory that stands for the file at `path`: a migration's block, with
  /// every line outside it blanked, so positions and quoted lines are the file's own and
  /// `\\ir` resolves next to it.
  ///
  /// `includes`: files a plan read whole, by absolute path, read from there and not
  /// opened again; `holdingIncludesUpTo`: read each file `\\i` brings in whole, while
  /// they come to at most this many bytes in all, and keep them (`heldIncludes`).
  init(
    bytes: [UInt8], path: String, projectRoot: String, includes: [String: [UInt8]] = [:],
    holdingIncludesUpTo budget: Int = 0
  ) {
    self.projectRoot = projectRoot
    heldIncludes = includes
    includeBudget = budget
    let file = File(path: path, displayPath: SourceLoader(root: projectRoot).relative(path))
    stack.append((file, SQLScriptReader(bytes: bytes)))
  }

  /// Calls `body` with every byte of the outermost file as it is read.
  func observeMainFile(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
    stack.first?.reader.onRead = body
  }

  /// The file the next item comes from.
  var currentFile: File? { stack.last?.file }

  /// Bytes of the outermost file consumed so far (for progress).
  var bytesRead: Int { stack.first?.reader.bytesConsumed ?? 0 }

  /// The next item; includes are followed here and never returned.
  func next() throws -> Item? {
    while let top = stack.last {
      let item: SQLScriptItem?
      do {
        item = try top.reader.next()
      } catch let error as SQLScriptError {
        throw Self.configError(
          .unreadableSQL(message: error.message), in: top.file, line: error.line,
          column: max(1, error.column))
      }
      guard let item else {
        stack.removeLast()
        continue
      }
      if try follows(item, from: top.file) { continue }
      return Item(item: item, file: top.file)
    }
    return nil
  }

  /// Where `nextSpans` stopped.
  enum SpansRead {
    /// An item that is not a plain statement.
    case item(Item)
    /// The reader's `limit` of plain statements was read: call again.
    case more
    case end
  }

  /// The plain statements up to the next item that is not one, as
  /// `SQLScriptReader.nextSpans` reads them: their places (in the file they come from) are
  /// appended to `spans`; includes are followed as by `next`.
  func nextSpans(into spans: inout [StatementSpan]) throws -> SpansRead {
    while let top = stack.last {
      let read: SQLScriptReader.SpansRead
      do {
        read = try top.reader.nextSpans(into: &spans)
      } catch let error as SQLScriptError {
        throw Self.configError(
          .unreadableSQL(message: error.message), in: top.file, line: error.line,
          column: max(1, error.column))
      }
      switch read {
      case .end:
        stack.removeLast()
      case .more:
        return .more
      case .item(let item):
        if try follows(item, from: top.file) { continue }
        return .item(Item(item: item, file: top.file))
      }
    }
    return .end
  }

  /// Opens the file `item` includes, if it is `\i` or `\ir`.
  private func follows(_ item: SQLScriptItem, from file: File) throws -> Bool {
    if case .meta(let meta) = item, case .success(.include(let path, let relative)) = meta.action {
      let directory = relative ? (file.path as NSString).deletingLastPathComponent : projectRoot
      let resolved = SourceLoader.resolve(path, relativeTo: directory)
      try push(resolved, at: (file, meta))
      return true
    }
    return false
  }

  private func push(_ path: String, at include: (file: File, meta: MetaCommand)?) throws {
    let file = File(path: path, displayPath: SourceLoader(root: projectRoot).relative(path))
    if let include, stack.count >= Self.maxIncludeDepth {
      throw Self.configError(
        .includesTooDeep(limit: Self.maxIncludeDepth), in: include.file, line: include.meta.line,
        column: include.meta.column)
    }
    if include != nil, let held = heldIncludes[path] {
      stack.append((file, SQLScriptReader(bytes: held)))
      if !includedFiles.contains(file) { includedFiles.append(file) }
      return
    }
    // Checked before opening: opening a FIFO would block, and a device never ends.
    let kind = FileKind(path: path)
    let shownAs = include?.meta.arguments.first ?? file.displayPath
    if kind.problem(shownAs: shownAs) != nil {
      guard let include else { throw RunError(.notAFile(shownAs: file.displayPath, kind: kind)) }
      throw Self.configError(
        .notAFile(shownAs: shownAs, kind: kind), in: include.file, line: include.meta.line,
        column: include.meta.column)
    }
    let reader: SQLScriptReader
    do {
      if include != nil, includeBudget > 0, let size = FileStamp(path: path)?.size,
        size <= includeBudget, let data = FileManager.default.contents(atPath: path)
      {
        // Held for the run (a file that cannot be read this way is opened below, which
        // says why).
        let bytes = [UInt8](data)
        includeBudget -= min(bytes.count, includeBudget)
        heldIncludes[path] = bytes
        reader = SQLScriptReader(bytes: bytes)
      } else {
        reader = try SQLScriptReader(path: path)
      }
    } catch {
      guard let include else {
        throw RunError(.cannotReadSQLFile(path: file.displayPath))
      }
      throw Self.configError(
        .cannotReadInclude(written: include.meta.arguments.first ?? "", path: file.displayPath),
        in: include.file,
        line: include.meta.line, column: include.meta.column)
    }
    stack.append((file, reader))
    if include != nil, !includedFiles.contains(file) { includedFiles.append(file) }
  }

  /// Files `\i`/`\ir` brought in so far, in first-seen order (for a saved plan's digests).
  private(set) var includedFiles: [File] = []

  /// A problem with the file itself: exit status 2, shown at its line with the line's text.
  static func configError(_ kind: PostgresConfigErrorKind, in file: File, line: Int, column: Int)
    -> RunError
  {
    RunError(.sqlProblem(diagnostic(kind, in: file, line: line, column: column)))
  }

  /// Core's kind (a `\i` naming a FIFO is `notAFile`).
  static func configError(_ kind: ConfigErrorKind, in file: File, line: Int, column: Int)
    -> RunError
  {
    RunError(.sqlProblem(diagnostic(kind, in: file, line: line, column: column)))
  }

  static func diagnostic(
    _ kind: any ErrorKind, in file: File, line: Int, column: Int, length: Int = 1
  )
    -> Diagnostic
  {
    kind.diagnostic(
      at: SourceLocation(path: file.displayPath, line: line, column: column, length: length))
  }
}

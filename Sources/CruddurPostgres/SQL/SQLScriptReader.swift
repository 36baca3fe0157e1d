import CruddurCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a PostgreSQL script the way `psql -f` does, one item at a time.
///
/// The file is read through a sliding window: only the statement (or COPY
/// chunk) being assembled is kept, so memory does not grow with file size.
final class SQLScriptReader {
  private enum Source {
    case file(Int32)
    case memory([UInt8])
  }

  static let defaultReadSize = 256 * 1024

  private let source: Source
  private var memoryOffset = 0
  private let readSize: Int

  private var window: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Valid bytes in `window`.
  private var count = 0
  /// File offset of `window[0]`.
  private var base = 0
  private var atEOF = false
  private var startedReading = false
  private var failure: SQLScriptError?

  private var scanner = SQLScanner()
  /// Every byte is checked as it is read, so text that is not UTF-8 stops the script
  /// before a statement holding it (or one after it in the same read) is handed out.
  private var validator = UTF8Validator()

  /// The largest the window has been, in bytes. It is bounded by the read
  /// size plus the longest statement (COPY data is chunked), not by the file.
  private(set) var peakBufferBytes: Int

  /// The lexer's shortcuts (`SQLScanner.fastPaths`): tests turn them off to compare.
  var lexerFastPaths: Bool {
    get { scanner.fastPaths }
    set { scanner.fastPaths = newValue }
  }

  /// How far into the file the reader has got, in bytes (for progress).
  var bytesConsumed: Int { scanner.pos }

  /// Sees every byte read from the source, in order (a digest taken in the same pass).
  var onRead: ((UnsafeBufferPointer<UInt8>) -> Void)?

  convenience init(path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      let reason = String(cString: strerror(errno))
      throw SQLScriptError(message: "cannot open \(path): \(reason)", line: 0, column: 0)
    }
    self.init(source: .file(fd), readSize: Self.defaultReadSize)
  }

  convenience init(bytes: [UInt8]) {
    self.init(source: .memory(bytes), readSize: Self.defaultReadSize)
  }

  /// Lets tests feed the bytes in tiny reads to exercise every place where
  /// a token can straddle two reads.
  convenience init(bytes: [UInt8], readSize: Int) {
    self.init(source: .memory(bytes), readSize: max(1, readSize))
  }

  private init(source: Source, readSize: Int) {
    self.source = source
    self.readSize = readSize
    capacity = max(2 * readSize, 16)
    window = .allocate(capacity: capacity)
    peakBufferBytes = capacity
  }

  deinit {
    window.deallocate()
    if case .file(let fd) = source { close(fd) }
  }

  /// Reads a whole script held in memory.
  static func split(_ text: String) throws -> [SQLScriptItem] {
    let reader = SQLScriptReader(bytes: Array(text.utf8))
    var items: [SQLScriptItem] = []
    while let item = try reader.next() { items.append(item) }
    return items
  }

  /// The next item in file order, or nil at end of file. After an error the
  /// same error is thrown again: the split is not trustworthy past it.
  func next() throws -> SQLScriptItem? {
    if let failure { throw failure }
    do {
      return try advance()
    } catch let error as SQLScriptError {
      failure = error
      throw error
    }
  }

  /// Where `nextSpans` stopped.
  enum SpansRead {
    /// An item that is not a plain statement.
    case item(SQLScriptItem)
    /// `limit` plain statements were read: call again.
    case more
    case end
  }

  /// Reads on, appending the place of each plain statement (one whose
  /// `StatementClassification` has no flag set: the loader batches it as it is, and no
  /// rule of `SQLStatement.problem` can apply) to `spans`, until an item that is not one,
  /// `limit` of them, or the end. A plain statement costs no `String` and no
  /// `SQLStatement`, and one call covers many of them, the lexer held in a local so the
  /// loop pays no exclusivity check per statement; `limit` bounds what a caller that does
  /// not keep the places holds at once (a large dump streams).
  func nextSpans(into spans: inout [StatementSpan], limit: Int = 4_096) throws -> SpansRead {
    if let failure { throw failure }
    do {
      return try advanceSpans(into: &spans, limit: limit)
    } catch let error as SQLScriptError {
      failure = error
      throw error
    }
  }

  private func advanceSpans(into spans: inout [StatementSpan], limit: Int) throws -> SpansRead {
    if !startedReading { try start() }
    var lexer = scanner
    var read = 0
    while true {
      if lexer.inCopy {
        scanner = lexer
        return try advance().map { .item($0) } ?? .end
      }
      if read >= limit {
        scanner = lexer
        return .more
      }
      let p = UnsafePointer(window)
      let event: SQLScanner.Event
      do {
        event = try lexer.scan(p, base: base, count: count, atEOF: atEOF)
      } catch {
        scanner = lexer
        throw error
      }
      switch event {
      case .needMore:
        // `fill` reads the lexer's state (what to keep) and may throw.
        scanner = lexer
        try fill()
        lexer = scanner
      case .endOfInput:
        scanner = lexer
        return .end
      case .meta(let start, let end, let line, let column):
        scanner = lexer
        let bytes = UnsafeBufferPointer(start: p + (start - base), count: end - start)
        return .item(
          .meta(MetaCommand(parsing: bytes, line: line, column: column, byteOffset: start)))
      case .statement(let span):
        var end = span.end - base
        let start = span.start - base
        while end > start && Self.isTrailingSpace(p[end - 1]) { end -= 1 }
        if end > start && !StatementClassifier.mayApply(toFirstByte: p[start]) {
          // Kept places are of a held file (at most 64 MiB): a larger one's fit or are
          // dropped unread, so truncating cannot matter.
          spans.append(
            StatementSpan(
              offset: span.start, length: Int32(truncatingIfNeeded: end - start),
              line: Int32(truncatingIfNeeded: span.line),
              column: Int32(truncatingIfNeeded: span.column), runsAlone: false))
          read += 1
          continue
        }
        // A statement the classifier must read (it may change how the rest is lexed).
        scanner = lexer
        switch makeStatement(span, p, spans: true) {
        case .plain(let plain):
          if plain.length > 0 { spans.append(plain) }
          read += 1
          lexer = scanner
        case .item(let item):
          return .item(item)
        }
      }
    }
  }

  /// What `makeStatement` makes: a plain statement's place, or the statement whole.
  private enum SpanItem {
    case plain(StatementSpan)
    case item(SQLScriptItem)
  }

  private func advance() throws -> SQLScriptItem? {
    switch try advance(spans: false) {
    case .item(let item): return item
    case .plain, nil: return nil
    }
  }

  private func advance(spans: Bool) throws -> SpanItem? {
    if !startedReading { try start() }
    while true {
      let p = UnsafePointer(window)
      if scanner.inCopy {
        switch try scanner.scanCopyData(p, base: base, count: count, atEOF: atEOF) {
        case .needMore:
          try fill()
        case .chunk(let start, let end):
          return .item(
            .copyData(Array(UnsafeBufferPointer(start: p + (start - base), count: end - start))))
        case .end(let line):
          return .item(.copyEnd(line: line))
        }
        continue
      }
      switch try scanner.scan(p, base: base, count: count, atEOF: atEOF) {
      case .needMore:
        try fill()
      case .endOfInput:
        return nil
      case .statement(let span):
        return makeStatement(span, p, spans: spans)
      case .meta(let start, let end, let line, let column):
        let bytes = UnsafeBufferPointer(start: p + (start - base), count: end - start)
        return .item(
          .meta(MetaCommand(parsing: bytes, line: line, column: column, byteOffset: start)))
      }
    }
  }

  /// A UTF-8 byte order mark is skipped but still counted in byte offsets,
  /// so offsets stay valid for the raw file.
  private func start() throws {
    startedReading = true
    while count < 3 && !atEOF { try fill() }
    if count >= 3 && window[0] == 0xEF && window[1] == 0xBB && window[2] == 0xBF {
      scanner.pos = 3
      scanner.columnAnchor = 3
    }
  }

  private func makeStatement(_ span: SQLScanner.Span, _ p: UnsafePointer<UInt8>, spans: Bool)
    -> SpanItem
  {
    var start = span.start - base
    var end = span.end - base
    while end > start && Self.isTrailingSpace(p[end - 1]) { end -= 1 }
    if end < start { start = end }
    let bytes = UnsafeBufferPointer(start: p + start, count: end - start)
    let conforming = scanner.standardConformingStrings
    let info = StatementClassifier.classify(bytes, standardConformingStrings: conforming)
    if spans && info == StatementClassification() {
      return .plain(
        StatementSpan(
          offset: span.start, length: Int32(truncatingIfNeeded: end - start),
          line: Int32(truncatingIfNeeded: span.line),
          column: Int32(truncatingIfNeeded: span.column), runsAlone: false))
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if info.settingChange == StatementClassifier.standardConformingStrings,
      let value = info.settingValue
    {
      if value == "default" {
        scanner.standardConformingStrings = true
      } else if let flag = StatementClassifier.booleanValue(value) {
        scanner.standardConformingStrings = flag
      }
    } else if info.resetsAllSettings {
      scanner.standardConformingStrings = true
    }
    if info.isCopyFromStdin { scanner.beginCopyData(statement: span) }
    var statement = SQLStatement(
      text: text, byteOffset: span.start, line: span.line, column: span.column,
      isCopyFromStdin: info.isCopyFromStdin,
      mustRunOutsideTransaction: info.mustRunOutsideTransaction,
      isTransactionControl: info.isTransactionControl,
      changesTransactionBlock: info.changesTransactionBlock,
      settingChange: info.settingChange)
    statement.standardConformingStrings = conforming
    return .item(.statement(statement))
  }

  private static func isTrailingSpace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C || c == 0x0B
  }

  /// Slides the window past bytes the scanner no longer needs, then appends
  /// the next read. Sets `atEOF` when the source is exhausted.
  private func fill() throws {
    precondition(!atEOF, "scanner asked for more input at end of file")
    let keep = scanner.retainFrom
    if keep > base {
      scanner.willDiscard(below: keep, UnsafePointer(window), base: base)
      let drop = keep - base
      if drop < count {
        window.update(from: window + drop, count: count - drop)
      }
      count -= min(drop, count)
      base = keep
    }
    if capacity - count < readSize {
      let newCapacity = max(capacity * 2, count + readSize)
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      grown.initialize(from: window, count: count)
      window.deallocate()
      window = grown
      capacity = newCapacity
      peakBufferBytes = max(peakBufferBytes, capacity)
    }
    let got = try readSource(into: window + count, max: readSize)
    if got > 0, let onRead { onRead(UnsafeBufferPointer(start: window + count, count: got)) }
    do throws(UTF8Validator.Failure) {
      if got == 0 {
        try validator.finish()
      } else {
        try validator.feed(UnsafeBufferPointer(start: window + count, count: got))
      }
    } catch {
      let position = position(of: error.offset)
      throw SQLScriptError(message: error.message, line: position.line, column: position.column)
    }
    if got == 0 { atEOF = true }
    count += got
  }

  /// Line and column of a byte offset, counted from the start of the source again: only
  /// needed for an error, and the window no longer holds the bytes before it.
  private func position(of offset: Int) -> UTF8Validator.Position {
    switch source {
    case .memory(let bytes):
      return bytes.withUnsafeBufferPointer { UTF8Validator.Position.of(offset, in: $0) }
    case .file(let fd):
      var position: UTF8Validator.Position?
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      var at = 0
      while at < offset {
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(at)) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        buffer.withUnsafeBufferPointer { chunk in
          let piece = UnsafeBufferPointer(rebasing: chunk[..<n])
          if position == nil {
            position = .init(hasByteOrderMark: piece.starts(with: [0xEF, 0xBB, 0xBF]))
          }
          position?.feed(piece, upTo: offset)
        }
        at += n
      }
      return position ?? .init()
    }
  }

  private func readSource(into destination: UnsafeMutablePointer<UInt8>, max: Int) throws -> Int {
    switch source {
    case .memory(let bytes):
      let n = min(max, bytes.count - memoryOffset)
      if n > 0 {
        bytes.withUnsafeBufferPointer { all in
          destination.update(from: all.baseAddress! + memoryOffset, count: n)
        }
        memoryOffset += n
      }
      return n
    case .file(let fd):
      while true {
        let n = read(fd, destination, max)
        if n >= 0 { return n }
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        throw SQLScriptError(
          message: "cannot read script: \(reason)", line: scanner.line, column: 0)
      }
    }
  }
}

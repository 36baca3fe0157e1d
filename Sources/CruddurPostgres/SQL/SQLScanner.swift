#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A resumable byte-level lexer that reproduces psql's statement splitting
/// (psqlscan.l). It never holds bytes itself: the reader hands it a window of
/// the file, and all positions it keeps are absolute file offsets so the
/// reader may slide the window between calls.
struct SQLScanner {
  /// A statement's extent as absolute file offsets, and where it begins in
  /// the line/column terms the API reports.
  struct Span {
    var start: Int
    var end: Int
    var line: Int
    var column: Int
  }

  /// What one call to `SQLScanner.scan` found.
  enum Event {
    /// The scanner must see more bytes before it can decide; call again after
    /// appending (everything from `retainFrom` on must still be in the window).
    case needMore
    case statement(Span)
    /// `start` is the backslash, `end` excludes the line terminator.
    case meta(start: Int, end: Int, line: Int, column: Int)
    case endOfInput
  }

  enum Mode {
    case normal
    case lineComment
    case blockComment
    case quote  // '...' with standard_conforming_strings on
    case escapeQuote  // E'...', or '...' with standard_conforming_strings off
    case doubleQuote
    case dollarQuote
  }

  var mode: Mode = .normal
  var standardConformingStrings = true
  /// Absolute offset of the next byte to examine.
  var pos = 0

  // Position bookkeeping. Columns are computed lazily from `columnAnchor`
  // so that a column costs only the bytes since the last one on that line.
  var line = 1
  var columnAnchor = 0
  var columnAnchorScalars = 0

  // The statement being collected.
  var inStatement = false
  var statementStart = 0
  var statementLine = 0
  var statementColumn = 0
  var parenDepth = 0
  /// psql's `begin_depth`: only counted inside CREATE FUNCTION/PROCEDURE so
  /// that `BEGIN ATOMIC ... END` bodies keep their semicolons.
  var beginDepth = 0
  var identifierCount = 0
  var identifierInitials: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
  /// False once the statement is known not to be a function definition, so
  /// ordinary statements skip keyword matching.
  var trackIdentifiers = true
  /// The shortcuts (strings crossed eight bytes at a time, identifiers crossed in the
  /// skip loop once they no longer matter); off only in tests, which compare the splits.
  var fastPaths = true

  var commentDepth = 0
  var dollarTag: [UInt8] = []
  /// End of the last E'' string; psql lexes a string continued on the next
  /// line ('...'\n'...') in the same escape mode as its first part.
  var escapeStringEnd = -1

  // Start of the open quote/comment, kept so errors can point at it. The
  // column is resolved only if an error is actually raised.
  var tokenStart = 0
  var tokenLine = 0
  var tokenColumn = 0
  var tokenAnchor = 0
  var tokenAnchorScalars = 0

  // COPY FROM stdin data state (see SQLScanner+CopyData.swift).
  var inCopy = false
  var copyAfterStatement = false
  var copyAtLineStart = true
  var copyChunkStart = 0
  var copyLine = 0
  var copyColumn = 0

  /// Lowest absolute offset the reader must keep in its window.
  var retainFrom: Int {
    if inCopy && !copyAfterStatement { return copyChunkStart }
    return inStatement ? statementStart : pos
  }

  // MARK: - Columns

  mutating func column(at offset: Int, _ p: UnsafePointer<UInt8>, base: Int) -> Int {
    if offset > columnAnchor {
      columnAnchorScalars += Self.scalarCount(p, from: columnAnchor - base, to: offset - base)
      columnAnchor = offset
    }
    return columnAnchorScalars + 1
  }

  /// Called before the reader discards window bytes below `offset`.
  mutating func willDiscard(below offset: Int, _ p: UnsafePointer<UInt8>, base: Int) {
    if columnAnchor < offset {
      _ = column(at: offset, p, base: base)
    }
  }

  @inline(__always)
  mutating func newline(atIndex i: Int, base: Int) {
    line += 1
    columnAnchor = base + i + 1
    columnAnchorScalars = 0
  }

  static func scalarCount(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
    var count = 0
    var k = from
    while k < to {
      count &+= (p[k] & 0xC0) != 0x80 ? 1 : 0
      k += 1
    }
    return count
  }

  // MARK: - Statement state

  @inline(__always)
  mutating func beginStatement(atIndex i: Int, _ p: UnsafePointer<UInt8>, base: Int) {
    if inStatement { return }
    inStatement = true
    statementStart = base + i
    statementLine = line
    statementColumn = column(at: base + i, p, base: base)
  }

  mutating func resetStatement() {
    inStatement = false
    parenDepth = 0
    beginDepth = 0
    identifierCount = 0
    identifierInitials = (0, 0, 0, 0)
    trackIdentifiers = true
    escapeStringEnd = -1
  }

  /// Quotes and comments inside a statement remember their start cheaply;
  /// outside a statement the window does not keep the bytes needed to
  /// resolve the column later, so it is resolved now.
  @inline(__always)
  mutating func markToken(atIndex i: Int, _ p: UnsafePointer<UInt8>, base: Int) {
    tokenStart = base + i
    tokenLine = line
    if inStatement {
      tokenColumn = 0
      tokenAnchor = columnAnchor
      tokenAnchorScalars = columnAnchorScalars
    } else {
      tokenColumn = column(at: base + i, p, base: base)
    }
  }

  func tokenError(_ message: String, _ p: UnsafePointer<UInt8>, base: Int) -> SQLScriptError {
    var column = tokenColumn
    if column == 0 {
      column =
        tokenAnchorScalars + Self.scalarCount(p, from: tokenAnchor - base, to: tokenStart - base)
        + 1
    }
    return SQLScriptError(message: message, line: tokenLine, column: column)
  }

  mutating func finishStatement(endIndex: Int, base: Int) -> Span {
    let span = Span(
      start: statementStart, end: base + endIndex, line: statementLine, column: statementColumn)
    resetStatement()
    return span
  }

  // MARK: - Byte classes

  static let significant: UInt8 = 1
  static let space: UInt8 = 2
  static let identStart: UInt8 = 4
  static let identContinue: UInt8 = 8

  /// One lookup per byte instead of a chain of comparisons in the hot loops.
  nonisolated(unsafe) static let byteClasses: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for b in 0..<256 {
      let c = UInt8(b)
      var cls: UInt8 = 0
      if isIdentStart(c) { cls |= identStart | significant }
      if isIdentContinue(c) { cls |= identContinue }
      switch c {
      case 0x20, 0x09, 0x0D, 0x0C, 0x0B: cls |= space
      case 0x0A, UInt8(ascii: ";"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "'"),
        UInt8(ascii: "\""), UInt8(ascii: "$"), UInt8(ascii: "\\"), UInt8(ascii: "("),
        UInt8(ascii: ")"):
        cls |= significant
      default: break
      }
      table[b] = cls
    }
    return UnsafePointer(table)
  }()

  /// Nonzero when some byte of `word` is `byte` (the classic "has zero byte" test on
  /// `word ^ byte * 0x01...01`): exact as a yes/no, and its lowest set bit is in the
  /// lowest such byte (a false flag can only sit above a true one).
  @inline(__always)
  static func hasByte(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
  }

  // MARK: - Identifiers (psqlscan.l's BEGIN ... END heuristic)

  @inline(__always)
  static func isIdentStart(_ c: UInt8) -> Bool {
    let l = c | 0x20
    return (l >= 0x61 && l <= 0x7A) || c == 0x5F || c >= 0x80
  }

  @inline(__always)
  static func isIdentContinue(_ c: UInt8) -> Bool {
    let l = c | 0x20
    return (l >= 0x61 && l <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x24
      || c >= 0x80
  }

  @inline(__always)
  static func isDollarTagContinue(_ c: UInt8) -> Bool {
    c != 0x24 && isIdentContinue(c)
  }

  /// Case-insensitive match against a lowercase ASCII keyword.
  @inline(__always)
  static func word(_ p: UnsafePointer<UInt8>, _ length: Int, is keyword: StaticString) -> Bool {
    guard length == keyword.utf8CodeUnitCount else { return false }
    let k = keyword.utf8Start
    for j in 0..<length where (p[j] | 0x20) != k[j] {
      return false
    }
    return true
  }

  var isFunctionDefinition: Bool {
    let (a, b, c, d) = identifierInitials
    return a == UInt8(ascii: "c")
      && (b == UInt8(ascii: "f") || b == UInt8(ascii: "p")
        || (b == UInt8(ascii: "o") && c == UInt8(ascii: "r")
          && (d == UInt8(ascii: "f") || d == UInt8(ascii: "p"))))
  }

  mutating func noteIdentifier(_ w: UnsafePointer<UInt8>, _ length: Int) {
    if identifierCount < 4 {
      let initial = w[0] | 0x20
      var keep = false
      switch initial {
      case UInt8(ascii: "c"): keep = Self.word(w, length, is: "create")
      case UInt8(ascii: "f"): keep = Self.word(w, length, is: "function")
      case UInt8(ascii: "p"): keep = Self.word(w, length, is: "procedure")
      case UInt8(ascii: "o"): keep = Self.word(w, length, is: "or")
      case UInt8(ascii: "r"): keep = Self.word(w, length, is: "replace")
      default: break
      }
      if keep {
        switch identifierCount {
        case 0: identifierInitials.0 = initial
        case 1: identifierInitials.1 = initial
        case 2: identifierInitials.2 = initial
        default: identifierInitials.3 = initial
        }
      }
    }
    identifierCount += 1
    if identifierCount >= 4 { trackIdentifiers = isFunctionDefinition }
    guard parenDepth == 0, length <= 5, isFunctionDefinition else { return }
    if Self.word(w, length, is: "begin") {
      beginDepth += 1
    } else if Self.word(w, length, is: "case") {
      if beginDepth >= 1 { beginDepth += 1 }
    } else if Self.word(w, length, is: "end") {
      if beginDepth > 0 { beginDepth -= 1 }
    }
  }

  /// Whether the `'` at index `i` continues an E'' string across a newline.
  func continuesEscapeString(_ p: UnsafePointer<UInt8>, base: Int, quoteIndex i: Int) -> Bool {
    guard escapeStringEnd >= 0, escapeStringEnd - base >= 0 else { return false }
    var k = i - 1
    let stop = escapeStringEnd - base
    var sawNewline = false
    while k >= stop {
      let c = p[k]
      if c == 0x0A {
        sawNewline = true
      } else if !(c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0C || c == 0x0B) {
        return false
      }
      k -= 1
    }
    return sawNewline
  }

  // MARK: - Scanning

  /// Scans the window `p[0..<count]`, whose first byte is at absolute
  /// offset `base`, from `pos`.
  mutating func scan(_ p: UnsafePointer<UInt8>, base: Int, count n: Int, atEOF eof: Bool) throws
    -> Event
  {
    var i = pos - base
    modes: while true {
      switch mode {
      case .normal:
        let classes = Self.byteClasses
        while i < n {
          if inStatement {
            // Inside a statement, plain bytes need no attention at all.
            if trackIdentifiers || !fastPaths {
              while i < n && classes[Int(p[i])] & Self.significant == 0 { i += 1 }
            } else {
              // Past a statement's first words (not a function's definition)
              // an identifier matters only as an E'' string's prefix: crossed
              // here too. At the window's end, or at `e'`, the full path below
              // takes the identifier from its start.
              while i < n {
                let cls = classes[Int(p[i])]
                if cls & Self.significant == 0 {
                  i += 1
                  continue
                }
                if cls & Self.identStart == 0 { break }
                var j = i + 1
                while j < n && classes[Int(p[j])] & Self.identContinue != 0 { j += 1 }
                if j >= n
                  || (j - i == 1 && p[j] == UInt8(ascii: "'") && (p[i] | 0x20) == UInt8(ascii: "e"))
                {
                  break
                }
                i = j
              }
            }
            if i >= n { break }
          }
          let c = p[i]
          let cls = classes[Int(c)]
          if cls & Self.identStart != 0 {
            var j = i + 1
            while j < n && classes[Int(p[j])] & Self.identContinue != 0 { j += 1 }
            if j >= n && !eof {
              pos = base + i
              return .needMore
            }
            beginStatement(atIndex: i, p, base: base)
            if j - i == 1 && (c | 0x20) == UInt8(ascii: "e") && j < n && p[j] == UInt8(ascii: "'") {
              markToken(atIndex: j, p, base: base)
              mode = .escapeQuote
              i = j + 1
              continue modes
            }
            if trackIdentifiers { noteIdentifier(p + i, j - i) }
            i = j
            continue
          }
          if cls & Self.significant == 0 {
            if cls & Self.space == 0 { beginStatement(atIndex: i, p, base: base) }
            i += 1
            continue
          }
          switch c {
          case 0x0A:
            newline(atIndex: i, base: base)
            i += 1
          case UInt8(ascii: ";"):
            if inStatement {
              if parenDepth == 0 && beginDepth == 0 {
                pos = base + i + 1
                return .statement(finishStatement(endIndex: i, base: base))
              }
            } else {
              resetStatement()
            }
            i += 1
          case UInt8(ascii: "-"):
            if i + 1 >= n && !eof {
              pos = base + i
              return .needMore
            }
            if i + 1 < n && p[i + 1] == UInt8(ascii: "-") {
              mode = .lineComment
              i += 2
              continue modes
            }
            beginStatement(atIndex: i, p, base: base)
            i += 1
          case UInt8(ascii: "/"):
            if i + 1 >= n && !eof {
              pos = base + i
              return .needMore
            }
            if i + 1 < n && p[i + 1] == UInt8(ascii: "*") {
              markToken(atIndex: i, p, base: base)
              mode = .blockComment
              commentDepth = 1
              i += 2
              continue modes
            }
            beginStatement(atIndex: i, p, base: base)
            i += 1
          case UInt8(ascii: "'"):
            beginStatement(atIndex: i, p, base: base)
            markToken(atIndex: i, p, base: base)
            if !standardConformingStrings || continuesEscapeString(p, base: base, quoteIndex: i) {
              mode = .escapeQuote
            } else {
              mode = .quote
            }
            i += 1
            continue modes
          case UInt8(ascii: "\""):
            beginStatement(atIndex: i, p, base: base)
            markToken(atIndex: i, p, base: base)
            mode = .doubleQuote
            i += 1
            continue modes
          case UInt8(ascii: "$"):
            if i + 1 >= n && !eof {
              pos = base + i
              return .needMore
            }
            beginStatement(atIndex: i, p, base: base)
            if i + 1 >= n {
              i += 1
              continue
            }
            let d = p[i + 1]
            if d == UInt8(ascii: "$") {
              markToken(atIndex: i, p, base: base)
              dollarTag = [0x24, 0x24]
              mode = .dollarQuote
              i += 2
              continue modes
            }
            if Self.isIdentStart(d) {
              var j = i + 2
              while j < n && Self.isDollarTagContinue(p[j]) { j += 1 }
              if j >= n && !eof {
                pos = base + i
                return .needMore
              }
              if j < n && p[j] == UInt8(ascii: "$") {
                markToken(atIndex: i, p, base: base)
                dollarTag = Array(UnsafeBufferPointer(start: p + i, count: j + 1 - i))
                mode = .dollarQuote
                i = j + 1
                continue modes
              }
              i = j
              continue
            }
            i += 1
          case UInt8(ascii: "\\"):
            if inStatement {
              throw SQLScriptError(
                message: "a backslash meta-command inside an SQL statement is not supported",
                line: line, column: column(at: base + i, p, base: base))
            }
            let found = memchr(p + i, 0x0A, n - i)
            if found == nil && !eof {
              pos = base + i
              return .needMore
            }
            let lineEnd =
              found.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - p } ?? n
            var end = lineEnd
            if end > i && p[end - 1] == 0x0D { end -= 1 }
            let event = Event.meta(
              start: base + i, end: base + end, line: line,
              column: column(at: base + i, p, base: base))
            if lineEnd < n {
              newline(atIndex: lineEnd, base: base)
              pos = base + lineEnd + 1
            } else {
              pos = base + n
            }
            return event
          case UInt8(ascii: "("):
            beginStatement(atIndex: i, p, base: base)
            parenDepth += 1
            i += 1
          case UInt8(ascii: ")"):
            beginStatement(atIndex: i, p, base: base)
            if parenDepth > 0 { parenDepth -= 1 }
            i += 1
          default:
            beginStatement(atIndex: i, p, base: base)
            i += 1
          }
        }
        if !eof {
          pos = base + n
          return .needMore
        }
        return endOfInput(n: n, base: base)

      case .lineComment:
        if i < n, let found = memchr(p + i, 0x0A, n - i) {
          i = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p
          mode = .normal
          continue modes
        }
        if !eof {
          pos = base + n
          return .needMore
        }
        mode = .normal
        return endOfInput(n: n, base: base)

      case .blockComment:
        while i < n {
          let c = p[i]
          if c == UInt8(ascii: "*") || c == UInt8(ascii: "/") {
            if i + 1 >= n {
              if !eof {
                pos = base + i
                return .needMore
              }
              i += 1
              continue
            }
            let d = p[i + 1]
            if c == UInt8(ascii: "*") && d == UInt8(ascii: "/") {
              commentDepth -= 1
              i += 2
              if commentDepth == 0 {
                mode = .normal
                continue modes
              }
              continue
            }
            if c == UInt8(ascii: "/") && d == UInt8(ascii: "*") {
              commentDepth += 1
              i += 2
              continue
            }
          } else if c == 0x0A {
            newline(atIndex: i, base: base)
          }
          i += 1
        }
        if !eof {
          pos = base + n
          return .needMore
        }
        throw tokenError("unterminated /* comment", p, base: base)

      case .quote, .escapeQuote:
        let escapes = mode == .escapeQuote
        while i < n {
          // Eight bytes at a time to the next quote, newline or backslash: most
          // of a data file's bytes are inside strings.
          while fastPaths && i &+ 8 <= n {
            let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            var found = Self.hasByte(word, 0x27) | Self.hasByte(word, 0x0A)
            if escapes { found |= Self.hasByte(word, 0x5C) }
            if found != 0 {
              // The lowest flag is exact: the first such byte.
              i &+= found.trailingZeroBitCount >> 3
              break
            }
            i &+= 8
          }
          if i >= n { break }
          let c = p[i]
          if c == UInt8(ascii: "'") {
            if i + 1 >= n && !eof {
              pos = base + i
              return .needMore
            }
            if i + 1 < n && p[i + 1] == UInt8(ascii: "'") {
              i += 2
              continue
            }
            i += 1
            escapeStringEnd = escapes ? base + i : -1
            mode = .normal
            continue modes
          }
          if c == 0x0A {
            newline(atIndex: i, base: base)
          } else if escapes && c == UInt8(ascii: "\\") {
            if i + 1 >= n {
              if !eof {
                pos = base + i
                return .needMore
              }
            } else {
              if p[i + 1] == 0x0A { newline(atIndex: i + 1, base: base) }
              i += 1
            }
          }
          i += 1
        }
        if !eof {
          pos = base + n
          return .needMore
        }
        throw tokenError("unterminated quoted string", p, base: base)

      case .doubleQuote:
        while i < n {
          let c = p[i]
          if c == UInt8(ascii: "\"") {
            if i + 1 >= n && !eof {
              pos = base + i
              return .needMore
            }
            if i + 1 < n && p[i + 1] == UInt8(ascii: "\"") {
              i += 2
              continue
            }
            i += 1
            mode = .normal
            continue modes
          }
          if c == 0x0A { newline(atIndex: i, base: base) }
          i += 1
        }
        if !eof {
          pos = base + n
          return .needMore
        }
        throw tokenError("unterminated quoted identifier", p, base: base)

      case .dollarQuote:
        let tagLength = dollarTag.count
        while i < n {
          let c = p[i]
          if c == UInt8(ascii: "$") {
            if i + tagLength > n {
              if !eof {
                pos = base + i
                return .needMore
              }
              i += 1
              continue
            }
            let matches = dollarTag.withUnsafeBufferPointer {
              memcmp(p + i, $0.baseAddress!, tagLength) == 0
            }
            if matches {
              i += tagLength
              mode = .normal
              continue modes
            }
          } else if c == 0x0A {
            newline(atIndex: i, base: base)
          }
          i += 1
        }
        if !eof {
          pos = base + n
          return .needMore
        }
        throw tokenError("unterminated dollar-quoted string", p, base: base)
      }
    }
  }

  /// psql sends whatever is left in its query buffer at end of file, so a
  /// missing final semicolon still yields a statement.
  private mutating func endOfInput(n: Int, base: Int) -> Event {
    pos = base + n
    if inStatement {
      return .statement(finishStatement(endIndex: n, base: base))
    }
    return .endOfInput
  }
}

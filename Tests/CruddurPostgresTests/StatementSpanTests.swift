import Foundation
import Testing

@testable import CruddurPostgres

/// The planned load's fast path: planning keeps a plain statement as its place in the file
/// (`SQLScriptReader.nextSpans`, `SQLScriptScan.spans`) and the run batches those bytes.
/// Each split must be the one the full reader makes, statement for statement, on scripts
/// made of the hostile shapes (quotes, dollar quotes, nested comments, `;` inside them,
/// escape strings, BEGIN ATOMIC bodies, standard_conforming_strings off), and the batches
/// sent must be the same bytes.
@Suite struct StatementSpanTests {
  static let file = SQLScriptCursor.File(path: "/p/a.sql", displayPath: "a.sql")

  /// Pieces of scripts, each a whole statement (or a comment, or blank) ending in `;`
  /// where it has one.
  static let pieces = [
    "select 1;\n",
    "insert into t (id, name) values (1, 'it''s; x');\n",
    "select E'it\\'s; \\\\'';\n",
    "select e'\\'';\n",
    "select $$ ; $$;\n",
    "select $tag$ ; $x$ ; $tag$ as x;\n",
    "/* a /* nested ; */ ; */ select 2;\n",
    "select U&\"d;\\0061t\" from t;\n",
    "select \"a\"\"b;\" from t;\n",
    "-- a comment ; with a semicolon\n",
    "select 3 -- trailing ; comment\n;\n",
    "create function f() returns int language sql begin atomic select 1; select 2; end;\n",
    "create or replace procedure p() begin atomic select 1; end;\n",
    "begin;\n", "commit;\n", "savepoint s;\n", "rollback to s;\n",
    "vacuum t;\n", "create database x;\n", "create index concurrently i on t (a);\n",
    "set standard_conforming_strings = off;\n",
    "select 'a\\';b';\n",
    "set standard_conforming_strings to on;\n",
    "reset all;\n",
    "select 'ü;', 'é' as \"ñ;\";\n",
    "select x$a$, $1 from t;\n",
    "select (1; 2);\n",
    "   \n\t\n",
    ";\n",
    "select\n  'multi\nline; string'\n  , 4;\n",
    "select 'a'\n'b; c';\n",
    "select E'a'\n'b\\'; c';\n",
    "select 1e'x;';\n",
    "select 5 /* no end yet */ + 1;\n",
    "select a, b, c, d, E'x\\'; y', e'z', xe'a;', e, \"e\"'q' from t;\n",
    "insert into t (id, name, n, at) values (1, 'row; 1', 1.25, '2024-01-02 00:00:01+00');\n",
    "select a, b$c$d, $1, c, d$$, e from t; select x$$ y $$;\n",
    "select a, b, c, d, ee'x;' , e\n'y;'\n, f from t;\n",
  ]

  static func script(seed: UInt64, length: Int) -> String {
    var random = SplitMix64(seed: seed)
    var text = ""
    for _ in 0..<length { text += pieces[Int(random.next() % UInt64(pieces.count))] }
    // Sometimes no final semicolon.
    if random.next() % 3 == 0 { text += "select 'last'" }
    return text
  }

  /// The statements as the full reader gives them, as spans.
  static func referenceSpans(_ bytes: [UInt8], readSize: Int) throws -> [StatementSpan] {
    let reader = SQLScriptReader(bytes: bytes, readSize: readSize)
    var spans: [StatementSpan] = []
    while let item = try reader.next() {
      guard case .statement(let s) = item, !s.text.isEmpty else { continue }
      spans.append(
        StatementSpan(
          offset: s.byteOffset, length: Int32(s.text.utf8.count), line: Int32(s.line),
          column: Int32(s.column),
          runsAlone: s.mustRunOutsideTransaction || s.isTransactionControl || s.settingChange != nil
        ))
      #expect(Array(bytes[s.byteOffset..<s.byteOffset + s.text.utf8.count]) == Array(s.text.utf8))
    }
    return spans
  }

  /// The statements as `nextSpans` gives them (plain ones as spans, the others whole).
  static func fastSpans(_ bytes: [UInt8], readSize: Int) throws -> [StatementSpan] {
    let reader = SQLScriptReader(bytes: bytes, readSize: readSize)
    var spans: [StatementSpan] = []
    var plain: [StatementSpan] = []
    while true {
      let read = try reader.nextSpans(into: &plain, limit: 7)
      #expect(plain.allSatisfy { $0.length > 0 && !$0.runsAlone })
      // At most `limit` a call: a large file streams.
      #expect(plain.count <= 7)
      spans += plain
      plain.removeAll()
      guard case .item(let item) = read else {
        if case .end = read { break }
        continue
      }
      guard case .statement(let s) = item, !s.text.isEmpty else { continue }
      let runsAlone =
        s.mustRunOutsideTransaction || s.isTransactionControl || s.settingChange != nil
      // Whole only when the classifier had to read it.
      #expect(StatementClassifier.mayApply(toFirstByte: s.text.utf8.first!))
      spans.append(
        StatementSpan(
          offset: s.byteOffset, length: Int32(s.text.utf8.count), line: Int32(s.line),
          column: Int32(s.column), runsAlone: runsAlone))
    }
    return spans
  }

  static func message(_ bytes: [UInt8], _ spans: [StatementSpan]) -> [UInt8] {
    var batch = StatementBatch()
    bytes.withUnsafeBufferPointer { all in
      for span in spans {
        batch.append(
          UnsafeBufferPointer(rebasing: all[span.offset..<span.offset + Int(span.length)]),
          line: Int(span.line),
          column: Int(span.column), from: file)
      }
    }
    return batch.message
  }

  @Test("the fast split is the full reader's on 300 fixed-seed scripts, whatever the read size")
  func sameSplit() throws {
    for seed in UInt64(1)...300 {
      let text = Self.script(seed: seed, length: Int(seed % 40) + 1)
      let bytes = Array(text.utf8)
      // Tiny reads put every token across two reads somewhere.
      let readSize = [1, 2, 3, 7, 64, 1 << 18][Int(seed % 6)]
      let reference: [StatementSpan]
      do {
        reference = try Self.referenceSpans(bytes, readSize: readSize)
      } catch {
        // A script the reader refuses (an unterminated comment) is refused the same way.
        #expect(throws: SQLScriptError.self) { try Self.fastSpans(bytes, readSize: readSize) }
        continue
      }
      let fast = try Self.fastSpans(bytes, readSize: readSize)
      try #require(
        fast.map { [$0.offset, Int($0.length), Int($0.line), Int($0.column)] }
          == reference.map { [$0.offset, Int($0.length), Int($0.line), Int($0.column)] },
        "seed \(seed)")
      #expect(fast.map(\.runsAlone) == reference.map(\.runsAlone), "seed \(seed)")
      // The batch built from the file's bytes is the one built from the statements' texts.
      var fromTexts = StatementBatch()
      for item in try SQLScriptReader.split(text) {
        if case .statement(let s) = item, !s.text.isEmpty { fromTexts.append(s, from: Self.file) }
      }
      #expect(Self.message(bytes, fast) == fromTexts.message, "seed \(seed)")
    }
  }

  @Test("planning records the spans the full reader finds, the same with and without locks read")
  func scanRecordsSpans() throws {
    for seed in UInt64(1000)...1100 {
      let bytes = Array(Self.script(seed: seed, length: 20).utf8)
      guard let reference = try? Self.referenceSpans(bytes, readSize: 1 << 18) else { continue }
      for locks in [false, true] {
        let scan = SQLScriptScan(
          cursor: SQLScriptCursor(bytes: bytes, path: "/p/a.sql", projectRoot: "/p"),
          inTransaction: false,
          locks: locks, hashes: false, recordsSpans: true)
        guard scan.diagnostics.isEmpty else { continue }
        let spans = try #require(scan.spans, "seed \(seed)")
        #expect(spans == reference, "seed \(seed), locks \(locks)")
        #expect(scan.statementCount == reference.count)
      }
    }
  }

  @Test(
    "no spans for a file with a meta-command, an include or COPY data: the run reads those itself")
  func noSpans() throws {
    let directory = NSTemporaryDirectory() + "spans-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try "select 2;\n".write(toFile: directory + "/b.sql", atomically: true, encoding: .utf8)
    func spans(_ text: String) -> [StatementSpan]? {
      SQLScriptScan(
        cursor: SQLScriptCursor(
          bytes: Array(text.utf8), path: directory + "/a.sql", projectRoot: directory),
        inTransaction: true, locks: false, hashes: false, recordsSpans: true
      ).spans
    }
    #expect(spans("select 1;\nselect 2;\n")?.count == 2)
    #expect(spans("select 1;\n\\set x 1\nselect 2;\n") == nil)
    #expect(spans("select 1;\n\\ir b.sql\n") == nil)
    #expect(spans("copy t from stdin;\n1\n\\.\nselect 1;\n") == nil)
    // Not asked: none kept.
    let unasked = SQLScriptScan(
      cursor: SQLScriptCursor(
        bytes: Array("select 1;".utf8), path: directory + "/a.sql", projectRoot: directory),
      inTransaction: true, locks: false, hashes: false)
    #expect(unasked.spans == nil)
  }

  @Test(
    "a quote, newline, backslash or semicolon at any offset of a string is where it is (the 8-byte skip)"
  )
  func quotedAtEveryOffset() throws {
    // Inside '': a doubled quote, a newline, a `;` and a backslash (literal) stay in the
    // string; inside E'': a doubled quote, a newline, a `;`, an escaped quote and an
    // escaped backslash.
    let cases: [(prefix: String, specials: [String])] = [
      ("'", ["''", "\n", ";", "\\"]), ("E'", ["''", "\n", ";", "\\'", "\\\\"]),
    ]
    for (prefix, specials) in cases {
      for length in 0..<20 {
        for at in 0...length {
          for special in specials {
            var body = String(repeating: "a", count: length)
            body.insert(contentsOf: special, at: body.index(body.startIndex, offsetBy: at))
            let first = "select " + prefix + body + "'"
            let text = first + ";\nselect 2;\n"
            let lines = body.filter { $0 == "\n" }.count
            for readSize in [1, 5, 4096] {
              let reader = SQLScriptReader(bytes: Array(text.utf8), readSize: readSize)
              var statements: [SQLStatement] = []
              while let item = try reader.next() {
                if case .statement(let s) = item { statements.append(s) }
              }
              try #require(statements.count == 2, "\(text.debugDescription) read \(readSize)")
              #expect(statements[0].text == first, "\(text.debugDescription)")
              #expect(statements[1].text == "select 2" && statements[1].line == 2 + lines)
              let spans = try Self.fastSpans(Array(text.utf8), readSize: readSize)
              #expect(spans.map(\.line) == [1, Int32(2 + lines)])
              #expect(spans.first?.length == Int32(first.utf8.count))
            }
          }
        }
      }
    }
  }

  @Test(
    "the lexer's shortcuts split as its byte-by-byte path, item for item, on 300 fixed-seed scripts"
  )
  func shortcutsSplitTheSame() throws {
    for seed in UInt64(5000)...5300 {
      let bytes = Array(Self.script(seed: seed, length: Int(seed % 30) + 1).utf8)
      let readSize = [1, 3, 8, 9, 64, 1 << 18][Int(seed % 6)]
      func items(fast: Bool) -> Result<[SQLScriptItem], SQLScriptError> {
        let reader = SQLScriptReader(bytes: bytes, readSize: readSize)
        reader.lexerFastPaths = fast
        var items: [SQLScriptItem] = []
        do {
          while let item = try reader.next() { items.append(item) }
        } catch let error as SQLScriptError {
          return .failure(error)
        } catch {
          Issue.record(error)
        }
        return .success(items)
      }
      let (fast, slow) = (items(fast: true), items(fast: false))
      switch (fast, slow) {
      case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed)")
      case (.failure(let a), .failure(let b)):
        #expect(a.message == b.message && a.line == b.line, "seed \(seed)")
      default: Issue.record("seed \(seed): \(fast) vs \(slow)")
      }
    }
  }

  @Test("a file of more plain statements than a read returns keeps all their places, in order")
  func manyReads() throws {
    let text =
      (1...10_000).map { "insert into t values (\($0), 'x; \($0)');\n" }.joined() + "vacuum;\n"
    let bytes = Array(text.utf8)
    let scan = SQLScriptScan(
      cursor: SQLScriptCursor(bytes: bytes, path: "/p/a.sql", projectRoot: "/p"),
      inTransaction: false,
      locks: false, hashes: false, recordsSpans: true)
    #expect(scan.diagnostics.isEmpty)
    #expect(scan.statementCount == 10_001)
    #expect(try scan.spans == Self.referenceSpans(bytes, readSize: 1 << 18))
    #expect(scan.spans?.last?.runsAlone == true)
  }

  @Test("a `--` is found on a statement's last line only")
  func lastLineComment() {
    func has(_ text: String) -> Bool {
      Array(text.utf8).withUnsafeBufferPointer { StatementBatch.lastLineHasComment($0) }
    }
    #expect(has("select 1 -- x"))
    #expect(has("select 1 -- x\nselect -- y"))
    #expect(!has("select 1 -- x\n  + 2"))
    #expect(!has("select 1 - 2 - 3"))
    #expect(has("select ---"))
    #expect(!has(""))
    #expect(!has("select '-'\n-"))
  }
}

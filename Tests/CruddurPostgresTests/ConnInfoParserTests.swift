import CruddurCore
import Testing

@testable import CruddurPostgres

/// The Swift parser must read every connection string exactly as libpq's `PQconninfoParse`
/// does (same options, same order, same error text), or a plan could show another target
/// than the one a run connects to.
@Suite struct ConnInfoParserTests {
  static let shapes: [String] = [
    // URLs
    "postgresql://postgres:password@localhost:5432/cruddur",
    "postgres://u@h/db", "postgresql://", "postgresql:///", "postgresql://h", "postgresql://h/", "postgresql://:5433",
    "postgresql://h:/db", "postgresql://u:@h/db", "postgresql://:pw@h/db", "postgresql://@h/db", "postgresql://u:p:q@h/d",
    "postgresql://u%40x:p%2Fw@h/d%20b", "postgresql://h/db?sslmode=require&application_name=a%20b",
    "postgresql://h/db?ssl=true", "postgresql://h/db?ssl=false", "postgresql://h/db?requiressl=1",
    "postgresql://h/db?requiressl=0", "postgresql://h?dbname=x", "postgresql://h/db?dbname=other",
    "postgresql://h/db?", "postgresql://h/db?&", "postgresql://h/db?a", "postgresql://h/db?a=b=c",
    "postgresql://h/db?nosuch=1", "postgresql://h/db?host=other&port=7", "postgresql://[::1]:5432/db",
    "postgresql://[::1]/db", "postgresql://[]/db", "postgresql://[::1", "postgresql://[::1]x/db",
    "postgresql://[2001:db8::1],[::1]:6/db", "postgresql://a,b:5/x", "postgresql://a:1,b/x", "postgresql://a,b,c/x",
    "postgresql://h/%zz", "postgresql://h/a%2", "postgresql://h/a%00b", "postgresql://h/caf%C3%A9",
    "postgresql://us%65r@h/db", "postgresql://h/db/more", "postgresql://h/db?options=-c%20search_path%3Dx",
    "postgresql://h:5432?connect_timeout=10", "postgresql://h/db#frag", "postgresql://%2Ftmp%2Fsock/db",
    "postgresql://u@/db?host=/var/run/postgresql", "postgresql://u:pa%40ss@h/db", "postgresql://user@host@x/db",
    "postgresql://h/db?application_name=%", "postgresql://h/db?=x", "POSTGRESQL://h/db",
    // key=value
    "host=localhost port=5432 dbname=cruddur user=postgres password=secret", "", "   ", "host=h",
    "host = h  dbname =x", "host='h h' dbname='it\\'s'", "password=a\\ b", "password='unterminated",
    "host", "host h", "=x", "nosuch=1", "host=h nosuch=1", "requiressl=1", "requiressl=yes", "host=h host=g",
    "dbname=postgresql://u@h/db", "application_name=''", "options='-c x=1'", "host=h\tport=1\ndbname=d",
    "password=\\", "password='a\\", "host=caf\u{e9}", "sslmode=require ssl=true",
  ]

  @Test("the Swift parser matches libpq's PQconninfoParse on every shape", arguments: shapes)
  func matchesLibPQ(_ text: String) throws {
    let expected = try ConnInfoParser.libpqParse(text)
    let actual = Result { () throws(ConnInfoParser.Failure) in try ConnInfoParser.parse(text) }
    switch (expected, actual) {
    case (.success(let want), .success(let got)):
      #expect(got.map { "\($0.key)=\($0.value)" } == want.map { "\($0.key)=\($0.value)" })
    case (.failure(let want), .failure(let got)):
      #expect(got.message == want.message)
    default:
      Issue.record("libpq: \(expected), Swift: \(actual)")
    }
  }

  @Test("random strings of the grammar's delimiters parse as libpq parses them")
  func randomShapesMatchLibPQ() throws {
    // A fixed seed: the same 3,000 strings every run, so a failure is reproducible.
    var random = SplitMix64(seed: 12)
    let pieces = [
      "postgresql://", "postgres://", "host", "dbname", "port", "user", "sslmode", "ssl", "true", "=", "==", "&", "?",
      "@", ":", "/", ",", "[", "]", "::1", "%", "%41", "%2", "%00", "%zz", "'", "\\", " ", "\t", "h", "db", "5432", "x",
      "requiressl", "1", "é",
    ]
    for _ in 0..<3000 {
      let count = Int(random.next() % 9)
      let text = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
      let expected = try ConnInfoParser.libpqParse(text).map { $0.map { "\($0.key)=\($0.value)" } }
      let actual = Result { () throws(ConnInfoParser.Failure) in try ConnInfoParser.parse(text) }
        .map { $0.map { "\($0.key)=\($0.value)" } }
      #expect(actual == expected, "\(text)")
    }
  }

  @Test("the keyword list is the installed libpq's, in its order")
  func keywordsAreLibPQs() throws {
    // Every option set alone comes back under its own name; PQconninfoParse orders them as
    // PQconndefaults does, so all of them at once come back in `keywords` order.
    let all = ConnInfoParser.keywords.reversed().map { "\($0)=v" }.joined(separator: " ")
    let parsed = try ConnInfoParser.libpqParse(all).get()
    #expect(parsed.map(\.key) == ConnInfoParser.keywords)
  }

  @Test("a plan's parse loads no libpq: ConnInfo(parsing:) works before anything connects")
  func parsesWithoutLoading() throws {
    let info = try ConnInfo(parsing: ConnectionURL("postgresql://me:secret@db.example:6543/app?sslmode=require"))
    #expect(info.host == "db.example")
    #expect(info.port == "6543")
    #expect(info.database == "app")
    #expect(info["sslmode"] == "require")
    #expect(throws: RunError.self) { try ConnInfo(parsing: ConnectionURL("postgresql://h/db?nosuch=1")) }
  }
}

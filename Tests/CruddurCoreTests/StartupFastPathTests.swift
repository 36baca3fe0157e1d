import Foundation
import Testing

@testable import CruddurCore

/// The start-up fast paths (issue 18, item 8) answer exactly as the Character and
/// Foundation code they replace: each is compared with that code, on ASCII text (the fast
/// path) and on text that must take the slow one (combining marks, CR LF, non-ASCII).
@Suite struct StartupFastPathTests {
  @Test("a control character by value is exactly Unicode's general category Cc, for every scalar")
  func controlByValue() {
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let text = "a" + String(Character(scalar)) + "b"
      let reference = text.unicodeScalars.first { $0.properties.generalCategory == .control }
      #expect(text.firstControlCharacter == reference, "U+\(String(value, radix: 16))")
    }
  }

  static let scalarTexts = [
    "", "abc", "a\nb", "a\r\nb", "\r\n", "\n", "\r", "x\r", "a\r\r\nb", "\n\u{301}", "e\u{301}",
    "日本語", "日本\n語", "a\r\n\nb", "\u{1F1E8}\u{1F1ED}", "tab\there",
  ]

  @Test(
    "a scalar's caret span is its scalar count unless it holds the Character \"\\n\"",
    arguments: scalarTexts)
  func span(_ text: String) {
    let at = SourceLocation(path: "t.yml", line: 3, column: 5)
    var reference = at
    // By Character, as YAMLNode.swift (which imports no Foundation) read it: Foundation's
    // `contains` finds "\n" inside "\r\n".
    if !text.utf8.contains(UInt8(ascii: "\n")) || !text.contains(Character("\n")) {
      reference.length = max(1, text.unicodeScalars.count)
    }
    let span = YAMLNode.scalar(text, isPlain: false, at).spanLocation
    #expect(span == reference, "length \(span.length), reference \(reference.length)")
  }

  @Test("a task's namespace is the text before its first \":\" Character, ASCII or not")
  func namespace() {
    #expect(TaskOverview.namespace(of: "db:setup") == "db")
    #expect(TaskOverview.namespace(of: "db:migrate:status") == "db")
    #expect(TaskOverview.namespace(of: "plain") == nil)
    #expect(TaskOverview.namespace(of: ":x") == "")
    #expect(TaskOverview.namespace(of: "café:x") == "café")
    // ":" with a combining mark is another Character: not a separator.
    #expect(TaskOverview.namespace(of: "a:\u{301}b:c") == "a:\u{301}b")
    #expect(TaskOverview.namespace(of: "a:\u{301}b") == nil)
  }

  @Test("a TaskOverview signature is its name and parameters, space-separated")
  func signature() {
    let at = SourceLocation(path: "t.yml", line: 1, column: 1)
    var overview = TaskOverview(
      name: "users:add", namespace: "users", description: nil, params: [], deps: [], steps: [],
      action: nil,
      location: at, isDestructive: false, isProtected: false)
    #expect(overview.signature == "users:add")
    overview.params = ["display_name", "handle"]
    #expect(overview.signature == "users:add display_name handle")
  }

  @Test("a template without `$` is its text as one literal, as the parser makes it of text with `$$`")
  func plainTemplate() throws {
    let at = SourceLocation(path: "t.yml", line: 1, column: 1)
    for text in ["", "plain", "café ü\r\n", "postgresql://u@h/db"] {
      let plain = try Template(parsing: text, at: at)
      #expect(plain.parts == (text.isEmpty ? [] : [.literal(text)]))
      #expect(plain.source == text)
      // Through the parser: `$$` is a `$`, so "x$$" parses to the literal "x$".
      #expect(try Template(parsing: text + "$$", at: at).parts == [.literal(text + "$")])
    }
  }

  @Test("secret-looking names are found by bytes in ASCII and by Foundation otherwise")
  func secretNames() {
    #expect(Redaction.isSecretName("PGPASSWORD"))
    #expect(Redaction.isSecretName("my_token"))
    #expect(Redaction.isSecretName("aws_secret_access_key"))
    #expect(Redaction.isSecretName("Ünicode_password"))
    #expect(Redaction.isSecretName("PGPASS"))
    #expect(Redaction.isSecretName("DB_PASSWD"))
    #expect(!Redaction.isSecretName("PASSWOR"))
    #expect(!Redaction.isSecretName("TOKE"))
    #expect(!Redaction.isSecretName("HOME"))
    #expect(!Redaction.isSecretName("Ünicode"))
  }

  static let redactions: [(String, String)] = [
    ("postgresql://u:p@ss@host:5432/db", "postgresql://u:****@host:5432/db"),
    ("see postgres://u@host/db", "see postgres://u@host/db"),
    ("a postgres://u:x@h/d and mysql://v:y@k/e", "a postgres://u:****@h/d and mysql://v:****@k/e"),
    ("café postgres://u:x@h/d", "café postgres://u:****@h/d"),
    ("host=x password=secret dbname=y", "host=x password=**** dbname=y"),
    ("hôte=x password = 'a b' dbname=y", "hôte=x password=**** dbname=y"),
    ("nothing to mask here", "nothing to mask here"),
    ("://", "://"),
  ]

  // Words other suites of this process use as passwords ("secret", "password") are left out
  // of the texts: `Redaction` masks every secret the process has learnt, so they would be
  // masked or not depending on which suites ran first.
  @Test(
    "URL and keyword passwords are masked the same in ASCII and non-ASCII text",
    arguments: redactions)
  func redaction(_ case: (String, String)) {
    #expect(Redaction.redact(`case`.0) == `case`.1)
  }

  @Test("a remembered secret is masked wherever it appears, ASCII text or not")
  func rememberedSecret() {
    Redaction.remember(secret: "zq9-startup-fast-path")
    Redaction.remember(secret: "sécret-startup-ü")
    #expect(Redaction.redact("echo zq9-startup-fast-path done") == "echo **** done")
    #expect(Redaction.redact("écho zq9-startup-fast-path") == "écho ****")
    #expect(Redaction.redact("x sécret-startup-ü y") == "x **** y")
    #expect(Redaction.redact("zq9-startup-fast-pat") == "zq9-startup-fast-pat")
  }
}

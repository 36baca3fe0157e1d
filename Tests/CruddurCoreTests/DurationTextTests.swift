import CruddurCore
import Testing

/// `timeout:` values as people type them, and nothing that only looks like one.
@Suite struct DurationTextTests {
  @Test(
    "units and plain numbers give seconds",
    arguments: [
      ("90s", 90.0), ("2m", 120), ("1h30m", 5400), ("500ms", 0.5), ("1.5h", 5400), ("30", 30), ("2.5", 2.5),
      (".5", 0.5), ("1m30s", 90), (" 10s ", 10), ("-5", -5),
    ])
  func parses(_ text: String, _ seconds: Double) {
    #expect(DurationText.seconds(text) == seconds)
  }

  @Test(
    "anything else is not a duration",
    arguments: ["", "s", "1x", "1h30", "1e3", "inf", ".inf", "nan", "0x10", "1..2", "1 h", "+5", "10sec", "1.2.3s", "-"])
  func refuses(_ text: String) {
    #expect(DurationText.seconds(text) == nil)
  }
}

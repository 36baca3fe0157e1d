import CruddurTestSupport
import Testing

/// The comparison the CLI tests rely on: what its diff shows and what its substitutions
/// rewrite, and what they leave alone.
@Suite struct ExactOutputTests {
  @Test("equal texts have no diff; a changed line is shown as - expected, + actual, with context")
  func diff() {
    #expect(OutputDiff.render(expected: "a\nb\n", actual: "a\nb\n") == nil)
    let text = (1...9).map { "line \($0)" }
    var changed = text
    changed[4] = "line five"
    #expect(
      OutputDiff.render(expected: text.joined(separator: "\n") + "\n", actual: changed.joined(separator: "\n") + "\n")
        == "  …\n  line 3\n  line 4\n- line 5\n+ line five\n  line 6\n  line 7\n  …")
  }

  @Test("invisible differences are made visible: trailing space, carriage return, final newline")
  func invisible() {
    #expect(OutputDiff.render(expected: "a\n", actual: "a \n") == "- a\n+ a ⏎")
    #expect(OutputDiff.render(expected: "a\r\nb\r\n", actual: "a\nb\r\n") == "- a\\r\n+ a\n  b\\r")
    #expect(OutputDiff.render(expected: "a\n", actual: "a") == "  a\n(no newline at the end of the output)")
  }

  @Test("durations are measured times only: a configured timeout stays; JSON times are blanked")
  func substitutions() {
    #expect(
      OutputSubstitution.durations.apply("   done in 12 ms\n✗ run failed after 1.5 s: x\ntimed out after 0.5 s\ntimeout: 5400 s")
        == "   done in <duration>\n✗ run failed after <duration>: x\ntimed out after 0.5 s\ntimeout: 5400 s")
    #expect(
      OutputSubstitution.jsonTimes.apply(#"{"duration_ms":17,"time":"2026-12-01T21:00:00Z"}"#)
        == #"{"duration_ms":0,"time":"<time>"}"#)
    #expect(OutputSubstitution.literal("/tmp/x", as: "$PROJECT").apply("in /tmp/x and /tmp/x/y") == "in $PROJECT and $PROJECT/y")
  }
}

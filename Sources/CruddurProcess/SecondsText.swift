/// A number of seconds as cruddur prints it in plans and errors: plain digits, whole
/// numbers without ".0", never grouped by locale (Foundation's `formatted()` writes
/// "5,400"). Core's plan (`RunTimeDetails`) and step deadline (`StepDeadline`) write the
/// same rule inline; they belong here once Core can be changed (issue 9).
public enum SecondsText {
  public static func shown(_ seconds: Double) -> String {
    seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
  }
}

/// A number of seconds as cruddur prints it in plans and errors: plain digits, whole
/// numbers without ".0", never grouped by locale (Foundation's `formatted()` writes
/// "5,400"). The plan's `timeout:` line and every timeout error go through it, so the two
/// always show the same number.
public enum SecondsText {
  public static func shown(_ seconds: Double) -> String {
    seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
  }
}

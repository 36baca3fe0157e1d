import CruddurCore
import Foundation

extension RunSummary.StepResult {
  /// A step's result for a renderer test. Its memberwise initializer is internal to the
  /// core, so the value is decoded from the JSON a summary is saved as.
  static func make(_ number: Int, _ task: String, _ outcome: RunSummary.Outcome, seconds: Double? = 0.01) -> Self {
    var object: [String: Any] = ["number": number, "task": task, "outcome": outcome.rawValue]
    if let seconds { object["seconds"] = seconds }
    let data = try! JSONSerialization.data(withJSONObject: object)
    return try! JSONDecoder().decode(Self.self, from: data)
  }
}

import Foundation

/// One step's `Prepared` value in a saved plan, as typed JSON: the executor whose type it
/// is, and its fields. `apply` decodes it as that executor's `Prepared` and compares it,
/// as a value, with the one made now (`SavedPlan.differences`).
public struct PreparedPayload: Codable, Sendable, Equatable {
  /// The step's number in the plan.
  public var step: Int
  /// The action key of the executor that made it, which alone can read it.
  public var executor: String
  public var value: JSONTree
  /// The lines the planner adds to the step (parameter values bound, `timeout:`), which
  /// are not the executor's.
  public var plannerDetails: [String]

  public init(step: Int, executor: String, value: JSONTree, plannerDetails: [String]) {
    self.step = step
    self.executor = executor
    self.value = value
    self.plannerDetails = plannerDetails
  }

  /// The payload of a prepared binding.
  public init(_ binding: ExecutablePlan.Binding) throws {
    self.init(
      step: binding.step.number, executor: binding.action.key,
      value: try JSONTree(json: binding.action.encodedPrepared()),
      plannerDetails: binding.plannerDetails)
  }

  /// `action` carrying this payload decoded as its executor's `Prepared`, field for field:
  /// a key it does not know, a value of another type or a payload of another executor is
  /// refused, naming the step and the field.
  public func decoded(as action: PreparedAction, task: String, path: String) throws -> PreparedAction {
    func refused(_ reason: String) -> RunError {
      RunError(.savedPlanStepUnreadable(path: path, step: step, task: task, reason: reason))
    }
    guard executor == action.key else {
      throw refused("its prepared value is of a `\(executor)` step; the step is `\(action.key)`")
    }
    let read: PreparedAction
    do {
      read = try action.decodingPrepared(try value.json())
    } catch let error as DecodingError {
      throw refused(
        "its prepared value does not read as a `\(executor)` step: \(Self.describe(error))")
    }
    // Decoding ignores keys it does not know: the value read must give back the value saved.
    let again = try JSONTree(json: read.encodedPrepared())
    if let field = value.firstDifference(from: again) {
      throw refused("its prepared value has `\(Self.asWritten(field))`, which a `\(executor)` step does not write")
    }
    return read
  }

  private static func describe(_ error: DecodingError) -> String {
    func where_(_ path: [any CodingKey]) -> String {
      let written = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
      return path.isEmpty ? "the value" : "`" + asWritten(written) + "`"
    }
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "\(where_(context.codingPath)) is not of its type"
    case .keyNotFound(let key, let context):
      return "\(where_(context.codingPath + [key])) is missing"
    case .dataCorrupted(let context):
      return "\(where_(context.codingPath)) cannot be read"
    @unknown default:
      return "it cannot be read"
    }
  }

  /// A field's path as the saved file writes it, its keys in snake case (`in_transaction`):
  /// the document's encoder converts them.
  static func asWritten(_ path: String) -> String {
    var out = ""
    for character in path {
      if character.isUppercase {
        out += "_" + character.lowercased()
      } else {
        out.append(character)
      }
    }
    return out
  }
}

import CruddurCore
import Foundation

/// `sql: FILE`: runs a SQL file against the environment's database in one transaction,
/// so a failure leaves nothing of the file behind.
public struct SQLExecutor: Executor {
  struct Spec: StepSpec {
    var path: String
    var displayPath: String
    var location: SourceLocation
  }

  public init() {}
  public var actionKey: String { "sql" }

  public func decode(_ input: ActionInput, diagnostics: inout [Diagnostic]) -> (any StepSpec)? {
    guard let file = input.value.string, !input.value.isNull else {
      diagnostics.append(
        .error("`sql` must be the path of a SQL file, found \(input.value.kindName)", at: input.value.spanLocation))
      return nil
    }
    let path = SourceLoader.resolve(file, relativeTo: input.directory)
    guard input.fileExists(path) else {
      diagnostics.append(.error("SQL file `\(file)` does not exist", at: input.value.spanLocation))
      return nil
    }
    return Spec(
      path: path, displayPath: SourceLoader(root: input.projectRoot).relative(path), location: input.value.location)
  }

  public func describe(_ spec: any StepSpec, in context: PlanContext) throws -> StepDescription {
    let spec = spec as! Spec
    let size = (try? FileManager.default.attributesOfItem(atPath: spec.path)[.size] as? Int) ?? 0
    return StepDescription(
      target: try PostgresSession.target(context), summary: "run \(spec.displayPath) in one transaction",
      details: ["file: \(spec.displayPath) (\(size) bytes)"])
  }

  public func run(_ spec: any StepSpec, step: PlannedStep, in context: StepContext) async throws {
    let spec = spec as! Spec
    guard let data = FileManager.default.contents(atPath: spec.path) else {
      throw RunError("cannot read \(spec.displayPath)")
    }
    let text = String(decoding: data, as: UTF8.self)
    let connection = try await PostgresSession.connection(context)
    try await connection.execute("BEGIN")
    do {
      try await connection.execute(text)
      try await connection.execute("COMMIT")
    } catch var error as ServerError {
      _ = try? await connection.execute("ROLLBACK")
      error.location = Self.location(of: error.position, in: text, path: spec.displayPath)
      throw error
    } catch {
      _ = try? await connection.execute("ROLLBACK")
      throw error
    }
  }

  /// The server's position counts characters of the text sent, from 1.
  static func location(of position: Int?, in text: String, path: String) -> SourceLocation {
    guard let position, position >= 1 else { return SourceLocation(path: path, line: 0, column: 0) }
    var line = 1
    var column = 1
    var count = 1
    for scalar in text.unicodeScalars {
      if count == position { break }
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
      count += 1
    }
    return SourceLocation(path: path, line: line, column: column)
  }
}

/// What the shells complete from the project itself: its tasks (with their descriptions),
/// environments and variable names. The binary reads them; the grammar says where they go.
public struct ProjectFacts: Sendable {
  public var tasks: [(name: String, description: String)]
  public var environments: [String]
  public var variables: [String]

  public init(
    tasks: [(name: String, description: String)], environments: [String], variables: [String]
  ) {
    self.tasks = tasks
    self.environments = environments
    self.variables = variables
  }
}

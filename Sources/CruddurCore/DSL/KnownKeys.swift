/// The keys the core itself reads; executors add their own through the registry.
public enum KnownKeys {
  public static let topLevel = ["version", "dotenv", "vars", "secrets", "environments", "include", "plugins", "tasks"]
  public static let includedFile = ["include", "tasks"]
  public static let environment = ["url", "default", "embedded", "protected", "vars", "password"] + LockSettings.keys
  /// The keys of an environment that stands for many databases (`FleetSpec`).
  public static let fleetEnvironment = ["urls", "server", "databases", "from", "query", "per_server"]
  public static let task = [
    "description", "deps", "steps", "vars", "requires", "params", "protected", "destructive", "timeout",
    "unless", "env",
  ]
}

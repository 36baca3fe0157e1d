import Foundation

/// Where a plugin's executable is: declared under `plugins:` (path relative to the config
/// file), else `cruddur-plugin-NAME` on PATH, as git and cargo find their subcommands.
enum PluginDiscovery {
  static func locate(_ name: String, declared: [String: String]) -> String? {
    if let path = declared[name] { return path }
    let executable = "cruddur-plugin-\(name)"
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(executable)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

import Foundation

/// The AWS shared `config` and `credentials` files (INI), read as the AWS tools read them:
/// `[profile NAME]` (and `[default]`) in config, `[NAME]` in credentials; keys lowercase.
struct AWSSharedConfig: Sendable {
  /// Profile name → its keys, from each file.
  var config: [String: [String: String]] = [:]
  var credentials: [String: [String: String]] = [:]
  var configPath: String
  var credentialsPath: String

  static func load(environment: [String: String]) -> AWSSharedConfig {
    let home = environment["HOME"] ?? NSHomeDirectory()
    let configPath = environment["AWS_CONFIG_FILE"] ?? home + "/.aws/config"
    let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials"
    var shared = AWSSharedConfig(configPath: configPath, credentialsPath: credentialsPath)
    for (section, keys) in parse(read(configPath)) {
      // `[default]` and `[profile default]` both name the default profile in config.
      let name = section.hasPrefix("profile ") ? String(section.dropFirst(8)).trimmed : section
      shared.config[name, default: [:]].merge(keys) { _, new in new }
    }
    shared.credentials = parse(read(credentialsPath))
    return shared
  }

  /// A key of `profile`: the credentials file wins over config for the key pair.
  func value(_ key: String, profile: String) -> String? {
    credentials[profile]?[key] ?? config[profile]?[key]
  }

  func hasProfile(_ name: String) -> Bool { config[name] != nil || credentials[name] != nil }

  var profileNames: [String] { Array(Set(config.keys).union(credentials.keys)).sorted() }

  private static func read(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  }

  /// Sections and `key = value` lines; `#` and `;` start comments; an indented line
  /// continues a nested block (`s3 =`), which no key cruddur reads uses, so it is skipped.
  static func parse(_ text: String) -> [String: [String: String]] {
    var sections: [String: [String: String]] = [:]
    var current: String?
    for raw in text.split(whereSeparator: \.isNewline) {
      if raw.first == " " || raw.first == "\t" { continue }
      let line = raw.trimmed
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("["), line.hasSuffix("]") {
        let name = String(line.dropFirst().dropLast()).trimmed
        current = name
        sections[name, default: [:]] = sections[name] ?? [:]
        continue
      }
      guard let current, let eq = line.firstIndex(of: "=") else { continue }
      let key = String(line[..<eq]).trimmed.lowercased()
      let value = String(line[line.index(after: eq)...]).trimmed
      sections[current, default: [:]][key] = value
    }
    return sections
  }
}

extension StringProtocol {
  var trimmed: String { trimmingCharacters(in: .whitespaces) }
}

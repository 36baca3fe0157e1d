/// Reads an environment's `password:` mapping: exactly one source key (`aws_rds_iam`,
/// `aws_secret`, `aws_ssm`, `command`) and only the keys that source takes, each unknown
/// or misplaced key reported with a suggestion.
struct PasswordSourceDecoder {
  /// The source keys, then the keys some sources take beside them.
  static let sourceKeys = ["aws_rds_iam", "aws_secret", "aws_ssm", "command"]
  static let knownKeys = sourceKeys + ["key", "region", "profile", "timeout"]
  /// What each source takes beside its own key; `aws_rds_iam` takes region and profile
  /// inside its mapping, where they describe the token's signature.
  static let companions: [String: [String]] = [
    "aws_rds_iam": [],
    "aws_secret": ["key", "region", "profile"],
    "aws_ssm": ["region", "profile"],
    "command": ["timeout"],
  ]
  static let rdsIAMKeys = ["region", "profile"]

  var decoding: NodeDecoding

  mutating func decode(_ node: YAMLNode, environment: String) -> PasswordSourceSpec? {
    let what = "`password` of environment `\(environment)`"
    guard case .mapping(let pairs, _) = node else {
      decoding.report(
        .invalidValue(
          what: what,
          requirement:
            "be a mapping with one of `aws_rds_iam`, `aws_secret`, `aws_ssm` or `command`",
          found: node.isNull ? "nothing" : node.kindName, suggestion: nil),
        at: node.spanLocation)
      return nil
    }
    decoding.checkKeys(pairs, known: Self.knownKeys, in: what)
    let sources = pairs.filter { Self.sourceKeys.contains($0.key.string ?? "") }
    guard let source = sources.first, sources.count == 1 else {
      // A misspelt source key has been reported with its suggestion; "none" would repeat it.
      if sources.isEmpty, pairs.contains(where: { !Self.knownKeys.contains($0.key.string ?? "") }) {
        return nil
      }
      decoding.report(
        .invalidValue(
          what: what,
          requirement: "name exactly one of `aws_rds_iam`, `aws_secret`, `aws_ssm` or `command`",
          found: sources.isEmpty
            ? "none"
            : sources.compactMap(\.key.string).map { "`\($0)`" }.joined(separator: " and "),
          suggestion: nil),
        at: (sources.dropFirst().first ?? pairs.first)?.key.spanLocation ?? node.spanLocation)
      return nil
    }
    let sourceKey = source.key.string ?? ""
    let allowed = Self.companions[sourceKey] ?? []
    var isValid = true
    for pair in pairs {
      guard let key = pair.key.string, Self.knownKeys.contains(key), !Self.sourceKeys.contains(key),
        !allowed.contains(key)
      else { continue }
      let hint =
        sourceKey == "aws_rds_iam" && Self.rdsIAMKeys.contains(key)
        ? " (inside `aws_rds_iam:`)" : ""
      decoding.report(
        .unknownKey(key: key, in: "\(what) with `\(sourceKey)`\(hint)", suggestion: nil),
        at: pair.key.spanLocation)
      isValid = false
    }
    var region: Template?
    var profile: Template?
    var key: Template?
    var timeout = PasswordSource.defaultCommandTimeout
    for pair in pairs {
      switch pair.key.string {
      case "region": region = nonEmptyTemplate(pair.value, "`region`")
      case "profile": profile = nonEmptyTemplate(pair.value, "`profile`")
      case "key": key = nonEmptyTemplate(pair.value, "`key`")
      case "timeout":
        if let seconds = decoding.duration(pair.value, "`timeout` of the password command") {
          timeout = seconds
        }
      default: break
      }
    }
    let kind: PasswordSourceSpec.Kind
    switch sourceKey {
    case "aws_rds_iam":
      guard let fields = decoding.mapping(source.value, "`aws_rds_iam`") else { return nil }
      decoding.checkKeys(fields, known: Self.rdsIAMKeys, in: "`aws_rds_iam`")
      for field in fields {
        switch field.key.string {
        case "region": region = nonEmptyTemplate(field.value, "`region`")
        case "profile": profile = nonEmptyTemplate(field.value, "`profile`")
        default: break
        }
      }
      kind = .awsRDSIAM
    case "aws_secret":
      guard let id = nonEmptyTemplate(source.value, "`aws_secret` (a secret name or ARN)") else {
        return nil
      }
      kind = .awsSecret(id: id, key: key)
    case "aws_ssm":
      guard let name = nonEmptyTemplate(source.value, "`aws_ssm` (a parameter name)") else {
        return nil
      }
      kind = .awsSSM(name: name)
    default:
      guard let command = nonEmptyTemplate(source.value, "`command`") else { return nil }
      kind = .command(command, timeoutSeconds: timeout)
    }
    guard isValid else { return nil }
    return PasswordSourceSpec(
      kind, region: region, profile: profile, location: source.key.spanLocation)
  }

  private mutating func nonEmptyTemplate(_ node: YAMLNode, _ what: String) -> Template? {
    if case .scalar(let text, _, _) = node, !node.isNull, text.allSatisfy(\.isWhitespace) {
      decoding.report(
        .invalidValue(what: what, requirement: "not be empty", found: nil, suggestion: nil),
        at: node.spanLocation)
      return nil
    }
    return decoding.template(node, what)
  }
}

import CruddurCore
import Foundation

/// Finds AWS credentials for signing an RDS IAM token, in the order the AWS tools use:
/// the environment's key pair (unless a profile is named on the source), then the profile
/// (`profile:`, else AWS_PROFILE, else `default`) of the shared credentials and config
/// files: its keys, or its `role_arn` assumed through STS with its `source_profile`, then
/// container credentials (ECS, EKS Pod Identity). Static keys are read here, in
/// microseconds; only a role or a container needs a request.
struct AWSCredentialChain: Sendable {
  var environment: [String: String]

  func credentials(profile explicit: String?, region: String) async throws -> AWSCredentials {
    var tried: [String] = []
    if explicit == nil {
      if let key = nonEmpty("AWS_ACCESS_KEY_ID"), let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") {
        return AWSCredentials(
          accessKeyID: key, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"),
          origin: "environment variables")
      }
      tried.append("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    }
    let shared = AWSSharedConfig.load(environment: environment)
    let profile =
      explicit ?? nonEmpty("AWS_PROFILE") ?? nonEmpty("AWS_DEFAULT_PROFILE") ?? "default"
    if shared.hasProfile(profile) {
      if let roleARN = shared.value("role_arn", profile: profile) {
        return try await assumeRole(roleARN, profile: profile, shared: shared, region: region)
      }
      if let key = shared.value("aws_access_key_id", profile: profile),
        let secret = shared.value("aws_secret_access_key", profile: profile)
      {
        return AWSCredentials(
          accessKeyID: key, secretAccessKey: secret,
          sessionToken: shared.value("aws_session_token", profile: profile),
          origin: "profile `\(profile)`")
      }
      tried.append("profile `\(profile)` (it has no aws_access_key_id or role_arn)")
    } else if explicit != nil || nonEmpty("AWS_PROFILE") != nil {
      throw CredentialError(
        .unknownProfile(name: profile, file: shared.configPath, known: shared.profileNames))
    } else {
      tried.append("profile `default` in \(shared.credentialsPath) and \(shared.configPath)")
    }
    if let url = containerCredentialsURL {
      return try await ContainerCredentials(url: url, environment: environment).fetch()
    }
    tried.append("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI)")
    throw CredentialError(.noCredentials(tried: tried))
  }

  /// `role_arn` with `source_profile`: STS AssumeRole through the aws CLI, which signs the
  /// call with the source profile's credentials (and honours `AWS_ENDPOINT_URL_STS`).
  private func assumeRole(
    _ roleARN: String, profile: String, shared: AWSSharedConfig, region: String
  ) async throws
    -> AWSCredentials
  {
    let sourceProfile = shared.value("source_profile", profile: profile)
    var arguments = [
      "sts", "assume-role", "--role-arn", roleARN,
      "--role-session-name", shared.value("role_session_name", profile: profile) ?? "cruddur",
    ]
    if let externalID = shared.value("external_id", profile: profile) {
      arguments += ["--external-id", externalID]
    }
    if let duration = shared.value("duration_seconds", profile: profile) {
      arguments += ["--duration-seconds", duration]
    }
    var childEnvironment = environment
    if sourceProfile == nil {
      // `credential_source = Environment`: the source is the environment's key pair.
      childEnvironment.removeValue(forKey: "AWS_PROFILE")
    }
    let answer = try await AWSCommand(
      environment: childEnvironment, region: region, profile: sourceProfile
    )
    .json(arguments, source: "role \(roleARN) (profile `\(profile)`)")
    guard let credentials = answer["Credentials"] as? [String: Any],
      let key = credentials["AccessKeyId"] as? String,
      let secret = credentials["SecretAccessKey"] as? String
    else {
      throw CredentialError(
        .awsFailed(source: "role \(roleARN)", message: "AssumeRole answered without credentials"))
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret,
      sessionToken: credentials["SessionToken"] as? String,
      origin: "role \(roleARN) assumed from profile `\(sourceProfile ?? "environment")`")
  }

  private var containerCredentialsURL: String? {
    if let relative = nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
      return "http://169.254.170.2" + relative
    }
    return nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI")
  }

  private func nonEmpty(_ name: String) -> String? {
    environment[name].flatMap { $0.isEmpty ? nil : $0 }
  }
}

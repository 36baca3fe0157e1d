import CruddurCore
import Testing

@testable import CruddurCredentials

/// The aws CLI's failures as cruddur reports them. Most are made for real against
/// moto_server (AWSPasswordTests); these are the ones moto cannot produce (an expired
/// session, a throttled call), read from the text the CLI prints for them.
@Suite struct AWSErrorTests {
  @Test("an expired session, a denied action and an unknown error code each become their kind")
  func kinds() {
    let expired = AWSCommand.error(
      stderr: """

        An error occurred (ExpiredTokenException) when calling the GetSecretValue operation: \
        The security token included in the request is expired
        """, source: "Secrets Manager secret `prod/db`", timedOut: false)
    #expect(
      expired.kind
        == .expired(
          source: "Secrets Manager secret `prod/db`",
          message: "The security token included in the request is expired"))
    #expect(expired.exitStatus == .configError)
    #expect(
      expired.diagnostics.first?.help
        == "refresh the credentials (a new session, `aws sso login`) and run again")

    let denied = AWSCommand.error(
      stderr: """
        An error occurred (AccessDeniedException) when calling the GetParameter operation: User: \
        arn:aws:sts::1:assumed-role/ci/x is not authorized to perform: ssm:GetParameter on resource: \
        arn:aws:ssm:us-east-1:1:parameter/db because no identity-based policy allows the ssm:GetParameter action
        """, source: "SSM parameter `/db`", timedOut: false)
    guard case .accessDenied(_, let message) = denied.kind else {
      Issue.record("\(denied.kind)")
      return
    }
    #expect(message.contains("ssm:GetParameter on resource: arn:aws:ssm:us-east-1:1:parameter/db"))

    let throttled = AWSCommand.error(
      stderr:
        "An error occurred (ThrottlingException) when calling the GetSecretValue operation: Rate exceeded",
      source: "s", timedOut: false)
    #expect(
      throttled.kind == .awsFailed(source: "s", message: "ThrottlingException: Rate exceeded"))
    #expect(
      AWSCommand.error(
        stderr:
          "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".",
        source: "s", timedOut: false
      ).kind
        == .noCredentials(tried: AWSCommand.triedByCLI))
  }
}

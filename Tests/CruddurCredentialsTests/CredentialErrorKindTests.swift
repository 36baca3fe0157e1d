import CruddurCore
import CruddurCredentials
import Testing

/// A credential error's kind is an `ErrorKind` of this module: it travels on the
/// diagnostic, so `--format json` names it (`commandFailed`) instead of the type.
@Suite struct CredentialErrorKindTests {
  @Test(
    "each kind has its case's name as code, exit status 2, and rides on its diagnostic",
    arguments: [
      (CredentialError.Kind.awsCLIMissing, "awsCLIMissing"),
      (.noRegion(source: "SSM parameter `p`"), "noRegion"),
      (
        .commandFailed(command: "pass show db", status: 1, stderr: ["gpg: no key"]), "commandFailed"
      ),
      (.tlsRequired(environment: "prod", sslmode: "disable"), "tlsRequired"),
    ])
  func kinds(kind: CredentialError.Kind, code: String) {
    #expect(kind.code == code)
    #expect(kind.exitStatus == .configError)
    let diagnostic = CredentialError(kind).diagnostics[0]
    #expect(diagnostic.kind(as: CredentialError.Kind.self) == kind)
    #expect(kind.diagnostic == diagnostic)
  }

  @Test("a kind of another module is never equal to a credential kind")
  func otherModule() {
    let credential: any ErrorKind = CredentialError.Kind.awsCLIMissing
    #expect(!credential.isEqual(to: ConfigErrorKind.noEnvironments))
    #expect(credential.isEqual(to: CredentialError.Kind.awsCLIMissing))
  }
}

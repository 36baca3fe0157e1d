import CruddurCore
import CruddurCredentials
import CruddurOutput

/// The one place the binary wires `password:` sources to the module that fetches them.
enum Credentials {
  /// Fetches nothing until a connection needs a password; a password command's stderr is
  /// passed on, masked.
  static func provider(_ global: GlobalOptions) -> CredentialProvider {
    CredentialProvider(
      environment: global.processEnvironment,
      onCommandStderr: { line in OutputStream.standardError.write(Redaction.redact(line) + "\n") })
  }
}

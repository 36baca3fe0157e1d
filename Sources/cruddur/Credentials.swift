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

  /// `envs --check`: fetches (or mints) the environment's password without connecting, to
  /// prove access; the problem's diagnostics when it cannot.
  static func check(_ environment: ResolvedEnvironment) async -> [Diagnostic]? {
    guard let source = environment.password, let provider = environment.passwordProvider else {
      return nil
    }
    // Only the URL's parts are needed, for the token's host, port and user.
    let shape = environment.url.shape.parts
    let target = Target(
      host: shape?.host ?? "localhost", port: shape?.port ?? "5432",
      database: shape?.database ?? "",
      user: shape?.user ?? "")
    do {
      _ = try await provider.credential(
        for: PasswordRequest(
          source: source, target: target, sslmode: nil, environment: environment.name,
          afterRefusal: false))
      return nil
    } catch let error as any CruddurError {
      return error.diagnostics
    } catch {
      return [.error(Redaction.redact(String(describing: error)))]
    }
  }
}

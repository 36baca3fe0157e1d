import CruddurCore

extension ConnInfo {
  /// This connection's options with the password of the environment's `password:` source
  /// filled in, fetched (or minted) now, for one connection; unchanged when there is none.
  /// An RDS IAM token also sets `sslmode=require` when the URL sets no sslmode.
  public func fillingPassword(for environment: ResolvedEnvironment, afterRefusal: Bool = false)
    async throws
    -> ConnInfo
  {
    guard let source = environment.password else { return self }
    guard let provider = environment.passwordProvider else {
      throw ConnectionError(
        message: "the password comes from \(source), and this build of cruddur cannot fetch it",
        target: description)
    }
    let credential = try await provider.credential(
      for: PasswordRequest(
        source: source, target: target, sslmode: self["sslmode"], environment: environment.name,
        afterRefusal: afterRefusal))
    var filled = self
    filled["password"] = credential.password
    if self["user"] == nil, let user = credential.user { filled["user"] = user }
    if credential.requiresTLS, self["sslmode"] == nil { filled["sslmode"] = "require" }
    return filled
  }
}

extension Connection {
  /// Connects with the environment's password source: fetched just before, and once
  /// more when the server refuses it (a secret rotated since it was read).
  static func connect(
    _ info: ConnInfo, environment: ResolvedEnvironment, applicationName: String = "cruddur"
  )
    async throws -> Connection
  {
    let filled = try await info.fillingPassword(for: environment)
    do {
      return try await connect(filled, applicationName: applicationName)
    } catch let error as ConnectionError
      where environment.password != nil && error.isAuthenticationFailure
    {
      let again = try await info.fillingPassword(for: environment, afterRefusal: true)
      do {
        return try await connect(again, applicationName: applicationName)
      } catch var refused as ConnectionError where refused.isAuthenticationFailure {
        if let source = environment.password {
          refused.help =
            "the server refused the password from \(source), also when read again: check that it is the URL's user's"
        }
        throw refused
      }
    }
  }
}

extension ConnectionError {
  /// The server refused the password (SQLSTATE 28P01, worded by the server or libpq).
  var isAuthenticationFailure: Bool {
    message.contains("authentication failed")
  }
}

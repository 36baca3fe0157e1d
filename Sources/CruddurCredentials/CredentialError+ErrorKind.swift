import CruddurCore

/// The credential kinds are this module's error kinds: code (`noCredentials`), exit status
/// and words, like the Postgres and Shell modules' own.
extension CredentialError.Kind: ErrorKind {
  public var exitStatus: ExitStatus { CredentialError(self).exitStatus }

  public func diagnostic(at location: SourceLocation?) -> Diagnostic {
    var diagnostic = CredentialError(self).diagnostics[0]
    if diagnostic.location == nil { diagnostic.location = location }
    return diagnostic
  }
}

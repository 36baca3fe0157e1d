import CruddurCore
import CruddurPostgres
import Testing

/// A fleet's reasons are an `ErrorKind` of the Postgres module (moved out of Core with
/// `FleetError`): each rides on its diagnostic, so `--format json` names it.
@Suite struct FleetErrorKindTests {
  @Test(
    "each kind has its case's name as code, the error's exit status, and rides on its diagnostic",
    arguments: [
      (FleetError.Kind.invalidShard("5/2"), "invalidShard", CruddurCore.ExitStatus.configError),
      (.noTargets(environment: "tenants", what: "the list is empty"), "noTargets", .stepFailed),
      (
        .fleetOptionWithoutFleet(option: "--canary", environment: "local"),
        "fleetOptionWithoutFleet", .configError
      ),
    ])
  func kinds(kind: FleetError.Kind, code: String, status: CruddurCore.ExitStatus) {
    #expect(kind.code == code)
    #expect(kind.exitStatus == status)
    #expect(FleetError(kind).exitStatus == status)
    let diagnostic = FleetError(kind).diagnostics[0]
    #expect(diagnostic.kind(as: FleetError.Kind.self) == kind)
    #expect(kind.diagnostic == diagnostic)
  }
}

import CruddurCore
import CruddurPostgres
import Testing

/// The Postgres module owns the embedded server's kinds: their codes, exit statuses and
/// words (moved from Core's `RunErrorKind` unchanged).
@Suite struct EmbeddedServerErrorKindTests {
  @Test(
    "each embedded-server kind keeps its code and exit status",
    arguments: [
      (
        EmbeddedServerErrorKind.portTaken(port: "5432", holder: nil), "portTaken",
        CruddurCore.ExitStatus.stepFailed
      ),
      (.initdbFailed(output: "x", inaccessibleAbove: nil), "initdbFailed", .stepFailed),
      (.embeddedHostNotLocal(environment: "e", host: "h"), "embeddedHostNotLocal", .configError),
      (.resetNotConfirmed, "resetNotConfirmed", .refused),
      (
        .foreignEmbeddedServer(address: "a", directory: "d", environment: "e"),
        "foreignEmbeddedServer", .refused
      ),
    ])
  func codes(kind: EmbeddedServerErrorKind, code: String, status: CruddurCore.ExitStatus) {
    #expect(kind.code == code)
    #expect(RunError(kind).exitStatus == status)
    #expect(RunError(kind).kind(as: EmbeddedServerErrorKind.self) == kind)
  }

  @Test(
    "a port taken by a program cruddur could name says who; otherwise the help says what to do about it"
  )
  func portTaken() {
    let named = EmbeddedServerErrorKind.portTaken(port: "5432", holder: "postgres (pid 7)")
      .diagnostic
    #expect(
      named.message
        == "cannot start the embedded server: port 5432 on 127.0.0.1 is already taken by postgres (pid 7)"
    )
    #expect(named.help == "stop it, or put another port in the environment's URL")
    let unnamed = EmbeddedServerErrorKind.portTaken(port: "5432", holder: nil).diagnostic
    #expect(unnamed.message.hasSuffix("is already taken by another program"))
    #expect(unnamed.help == "stop what listens there, or put another port in the environment's URL")
  }
}

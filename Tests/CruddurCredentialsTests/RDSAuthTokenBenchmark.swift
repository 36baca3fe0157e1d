import CruddurCredentials
import Foundation
import Testing

/// Not a check: a measurement for bench/credentials.py (run only with CRUDDUR_BENCH=1),
/// the time to mint one RDS IAM token natively, as a fleet does for every connection.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUDDUR_BENCH"] == "1"))
struct RDSAuthTokenBenchmark {
  @Test("mint RDS IAM tokens in a loop and print the time per token")
  func mint() {
    let credentials = AWSCredentials(
      accessKeyID: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE", origin: "benchmark")
    let count = 20_000
    var bytes = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for i in 0..<count {
        bytes +=
          RDSAuthToken.make(
            host: "prod.cxyz.us-east-1.rds.amazonaws.com", port: 5432, user: "app",
            region: "us-east-1",
            credentials: credentials,
            signedAt: Date(timeIntervalSince1970: 1_767_225_600 + Double(i))
          ).utf8.count
      }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("BENCH mint_token_us \(seconds / Double(count) * 1e6) (\(count) tokens, \(bytes) bytes)")
  }
}

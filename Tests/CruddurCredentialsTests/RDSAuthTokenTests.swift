import CruddurCredentials
import CruddurDigest
import Foundation
import Testing

@Suite struct RDSAuthTokenTests {
  @Test("HMAC-SHA256 gives RFC 4231's answers (a short key and one longer than a block)")
  func hmac() {
    #expect(
      SHA256.hex(
        bytes: HMACSHA256.mac(key: Array("Jefe".utf8), message: "what do ya want for nothing?"))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    #expect(
      SHA256.hex(
        bytes: HMACSHA256.mac(
          key: [UInt8](repeating: 0xaa, count: 131),
          message: "Test Using Larger Than Block-Size Key - Hash Key First"))
        == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
  }

  struct Case: Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var user: String
    var region: String
    var token: String?
    var time: TimeInterval
    var description: String {
      "\(user)@\(host):\(port) \(region)\(token == nil ? "" : " with a session token")"
    }
  }

  static let cases = [
    Case(
      host: "prod.cxyz.us-east-1.rds.amazonaws.com", port: 5432, user: "cruddur_iam",
      region: "us-east-1", token: nil,
      time: 1_767_225_600),
    Case(
      host: "db.internal", port: 6543, user: "app user+1/é", region: "eu-west-1",
      token: "IQoJb3JpZ2luX2VjE//a+b=c/d", time: 1_700_000_123),
    Case(
      host: "127.0.0.1", port: 443, user: "x", region: "ap-southeast-2", token: nil,
      time: 951_782_400),
  ]

  @Test("the token is byte for byte botocore's generate_db_auth_token", arguments: cases)
  func sameAsBotocore(_ c: Case) async throws {
    let key = "AKIAIOSFODNN7EXAMPLE"
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    let time = Date(timeIntervalSince1970: c.time)
    let mine = RDSAuthToken.make(
      host: c.host, port: c.port, user: c.user, region: c.region,
      credentials: AWSCredentials(
        accessKeyID: key, secretAccessKey: secret, sessionToken: c.token, origin: "test"),
      signedAt: time)
    let theirs = try await Botocore.rdsToken(
      host: c.host, port: c.port, user: c.user, region: c.region, key: key, secret: secret,
      token: c.token, time: time)
    #expect(mine == theirs)
  }

  @Test("another second, secret or user gives another signature")
  func hostile() {
    let credentials = AWSCredentials(
      accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret-one", origin: "test")
    let base = RDSAuthToken.make(
      host: "h", port: 5432, user: "u", region: "us-east-1", credentials: credentials,
      signedAt: Date(timeIntervalSince1970: 1_700_000_000))
    let later = RDSAuthToken.make(
      host: "h", port: 5432, user: "u", region: "us-east-1", credentials: credentials,
      signedAt: Date(timeIntervalSince1970: 1_700_000_001))
    var other = credentials
    other.secretAccessKey = "secret-two"
    let otherSecret = RDSAuthToken.make(
      host: "h", port: 5432, user: "u", region: "us-east-1", credentials: other,
      signedAt: Date(timeIntervalSince1970: 1_700_000_000))
    let otherUser = RDSAuthToken.make(
      host: "h", port: 5432, user: "v", region: "us-east-1", credentials: credentials,
      signedAt: Date(timeIntervalSince1970: 1_700_000_000))
    #expect(Set([base, later, otherSecret, otherUser]).count == 4)
    #expect(!base.contains("secret-one"))
  }
}

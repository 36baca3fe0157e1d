import CruddurDigest
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An RDS IAM authentication token: a SigV4-presigned `connect` URL for one host, port and
/// user, valid 15 minutes, computed here (no request is made), byte for byte what botocore's
/// `generate_db_auth_token` returns for the same inputs.
public enum RDSAuthToken {
  /// RDS accepts a token for 15 minutes after its signing time.
  public static let lifetimeSeconds = 900

  public static func make(
    host: String, port: Int, user: String, region: String, credentials: AWSCredentials,
    signedAt date: Date
  ) -> String {
    let (day, stamp) = timestamps(date)
    let scope = "\(day)/\(region)/rds-db/aws4_request"
    // botocore's order: the operation's parameters, then the signature's (its `Security-
    // Token` after `SignedHeaders`); the canonical request sorts them.
    var parameters: [(String, String)] = [
      ("Action", "connect"), ("DBUser", user),
      ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
      ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
      ("X-Amz-Date", stamp),
      ("X-Amz-Expires", String(lifetimeSeconds)),
      ("X-Amz-SignedHeaders", "host"),
    ]
    if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
    let encoded = parameters.map { (SigV4.encode($0.0), SigV4.encode($0.1)) }
    let canonicalQuery = encoded.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map {
      "\($0.0)=\($0.1)"
    }
    .joined(separator: "&")
    // The URL is signed as https; the default port is not part of the host header.
    let hostHeader = port == 443 ? host : "\(host):\(port)"
    let canonicalRequest = [
      "GET", "/", canonicalQuery, "host:\(hostHeader)", "", "host", SigV4.emptyPayloadHash,
    ].joined(separator: "\n")
    let signature = SigV4.signature(
      canonicalRequest: canonicalRequest, stamp: stamp, day: day, region: region, service: "rds-db",
      secretAccessKey: credentials.secretAccessKey)
    let query = encoded.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    // The token keeps the port even where the signed host header leaves 443 out.
    return "\(host):\(port)/?\(query)&X-Amz-Signature=\(signature)"
  }

  /// `20240102` and `20240102T030405Z`, in UTC (gmtime_r: a Calendar cost a debug build
  /// a third of a token's time).
  static func timestamps(_ date: Date) -> (day: String, stamp: String) {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let day = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
    return (day, "\(day)T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z")
  }
}

/// The parts of AWS Signature Version 4 the token needs.
enum SigV4 {
  static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  /// RFC 3986 percent-encoding of everything but unreserved characters, as SigV4 requires.
  static func encode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "."),
        UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let digits = Array("0123456789ABCDEF")
        out += "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0f)])"
      }
    }
    return out
  }

  static func signature(
    canonicalRequest: String, stamp: String, day: String, region: String, service: String,
    secretAccessKey: String
  ) -> String {
    let stringToSign = [
      "AWS4-HMAC-SHA256", stamp, "\(day)/\(region)/\(service)/aws4_request",
      SHA256.hex(bytes: SHA256.digest(Array(canonicalRequest.utf8))),
    ].joined(separator: "\n")
    var key = HMACSHA256.mac(key: Array("AWS4\(secretAccessKey)".utf8), message: day)
    for part in [region, service, "aws4_request"] { key = HMACSHA256.mac(key: key, message: part) }
    return SHA256.hex(bytes: HMACSHA256.mac(key: key, message: stringToSign))
  }
}

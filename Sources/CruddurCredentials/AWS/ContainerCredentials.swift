import CruddurCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity):
/// one HTTP GET to a link-local or loopback address, plain HTTP by the endpoint's own
/// design, so a socket and a few lines of HTTP/1.1 do and no TLS is needed.
struct ContainerCredentials: Sendable {
  var url: String
  var environment: [String: String]

  func fetch() async throws -> AWSCredentials {
    guard let parts = URLComponents(string: url), parts.scheme == "http", let host = parts.host
    else {
      throw CredentialError(
        .containerCredentialsFailed(url: url, message: "only http:// endpoints are supported"))
    }
    var token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
      token = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(
        in: .whitespacesAndNewlines)
    }
    let path =
      (parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath)
      + (parts.percentEncodedQuery.map { "?" + $0 } ?? "")
    var request =
      "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nAccept: application/json\r\nConnection: close\r\n"
    if let token { request += "Authorization: \(token)\r\n" }
    request += "\r\n"
    let port = parts.port ?? 80
    let url = self.url
    let message = request
    let response = try await Blocking.run {
      try Self.exchange(message, host: host, port: port, url: url)
    }
    guard let split = response.range(of: "\r\n\r\n") else {
      throw CredentialError(.containerCredentialsFailed(url: url, message: "no HTTP answer"))
    }
    let status =
      response[..<split.lowerBound].split(separator: " ").dropFirst().first.map(String.init) ?? "?"
    let body = String(response[split.upperBound...])
    guard status == "200",
      let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let key = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String
    else {
      throw CredentialError(.containerCredentialsFailed(url: url, message: "HTTP status \(status)"))
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: secret, sessionToken: object["Token"] as? String,
      origin: "container credentials")
  }

  /// Connects, sends, and reads to the end; 5 seconds at most per read or write.
  private static func exchange(_ request: String, host: String, port: Int, url: String) throws
    -> String
  {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
      throw CredentialError(
        .containerCredentialsFailed(url: url, message: "cannot resolve \(host)"))
    }
    defer { freeaddrinfo(list) }
    let fd = socket(
      first.pointee.ai_family, first.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else {
      throw CredentialError(.containerCredentialsFailed(url: url, message: "no socket"))
    }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
      throw CredentialError(
        .containerCredentialsFailed(url: url, message: String(cString: strerror(errno))))
    }
    let bytes = Array(request.utf8)
    guard
      bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) })
        == bytes.count
    else {
      throw CredentialError(
        .containerCredentialsFailed(url: url, message: "cannot send the request"))
    }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count <= 0 { break }
      response += buffer[..<count]
      if response.count > 1 << 20 { break }
    }
    return String(decoding: response, as: UTF8.self)
  }
}

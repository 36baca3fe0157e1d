import CruddurCore
import CruddurProcess
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A small Postgres protocol peer on a free loopback port: it accepts TLS when asked
/// (a self-signed certificate, which `sslmode=require` accepts as libpq documents), asks
/// for a cleartext password (AuthenticationCleartextPassword), writes what it received as
/// one JSON line, and refuses the login. What a real RDS does with an IAM token it cannot
/// be; what libpq sends, it sees exactly.
final class PasswordPeer: Sendable {
  struct Received: Decodable, Equatable {
    var user: String
    var password: String
    var tls: Bool
  }

  let port: Int
  private let pid: pid_t
  private let output: Int32
  private let directory: String

  static let script = #"""
    import json, socket, ssl, struct, sys
    cert, key = sys.argv[1], sys.argv[2]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    print("ready", server.getsockname()[1], flush=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    def read(conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data
    while True:
        conn, _ = server.accept()
        tls = False
        try:
            while True:
                length, code = struct.unpack("!ii", read(conn, 8))
                if code == 80877103:
                    conn.sendall(b"S")
                    conn = context.wrap_socket(conn, server_side=True)
                    tls = True
                elif code == 80877104:
                    conn.sendall(b"N")
                else:
                    break
            body = read(conn, length - 8).split(b"\0")
            params = dict(zip(body[0::2], body[1::2]))
            conn.sendall(b"R" + struct.pack("!ii", 8, 3))
            kind, length = struct.unpack("!ci", read(conn, 5))
            password = read(conn, length - 4).rstrip(b"\0").decode()
            print(json.dumps({"user": params.get(b"user", b"").decode(), "password": password, "tls": tls}), flush=True)
            fields = b"SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"%s\"\0\0" % params.get(b"user", b"")
            conn.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)
        except (EOFError, ssl.SSLError, ConnectionError):
            pass
        finally:
            conn.close()
    """#

  struct NotReady: Error {}

  init() async throws {
    let directory = NSTemporaryDirectory() + "cruddur-peer-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    let certificate = try await Blocking.run {
      try ChildProcess(
        executable: "openssl",
        arguments: [
          "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/key.pem",
          "-out",
          directory + "/cert.pem", "-days", "1", "-subj", "/CN=localhost",
        ], environment: environment
      ).runCollectingOutput(deadline: .seconds(60))
    }
    guard certificate.status == 0 else { throw NotReady() }
    try Self.script.write(toFile: directory + "/peer.py", atomically: true, encoding: .utf8)
    var pipe: [Int32] = [0, 0]
    guard Glibc.pipe(&pipe) == 0 else { throw NotReady() }
    // Only the spawned peer may hold the write end (spawn passes it as stdout).
    _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
    let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
    defer { close(null) }
    let process = ChildProcess(
      executable: "python3",
      arguments: [directory + "/peer.py", directory + "/cert.pem", directory + "/key.pem"],
      environment: environment)
    pid = try process.spawn(stdout: pipe[1], stderr: null)
    close(pipe[1])
    output = pipe[0]
    self.directory = directory
    guard let line = Self.readLine(pipe[0]), line.hasPrefix("ready "),
      let port = Int(line.dropFirst(6))
    else {
      kill(-pid, SIGKILL)
      _ = ChildProcess.wait(pid)
      throw NotReady()
    }
    self.port = port
  }

  /// The next login the peer saw (blocks until one arrives).
  func next() async -> Received? {
    let fd = output
    let line = (try? await Blocking.run { Self.readLine(fd) }) ?? nil
    return line.flatMap { try? JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
  }

  func stop() {
    kill(-pid, SIGTERM)
    _ = ChildProcess.wait(pid)
    close(output)
    try? FileManager.default.removeItem(atPath: directory)
  }

  private static func readLine(_ fd: Int32) -> String? {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while read(fd, &byte, 1) == 1 {
      if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
      bytes.append(byte)
    }
    return nil
  }
}

import Foundation
import Testing

@testable import CruddurPostgres

/// `local stop` on a server whose `.cruddur/` was removed stops whatever `PortOwner`
/// names, so it must name the server and never a child that inherited its socket.
@Suite struct PortOwnerTests {
  @Test("the owner is the holder whose parent holds nothing, in whatever order the pids come")
  func rootHolder() {
    // Server 30837 with children 799 (pids wrapped) and 30901: seen once in CI, when the
    // first holder found was the child.
    let parents = [799: 30837, 30837: 1, 30901: 30837]
    for order in [[799, 30837, 30901], [30837, 799, 30901], [30901, 799, 30837]] {
      #expect(PortOwner.root(of: order, parent: { parents[$0] }) == 30837, "\(order)")
    }
    // A holder gone before its parent could be read counts as a root.
    #expect(PortOwner.root(of: [5, 9], parent: { $0 == 9 ? 5 : nil }) == 5)
    #expect(PortOwner.root(of: [], parent: { _ in nil }) == nil)
  }

  @Test("a real listener with a child holding its socket: the listener is named")
  func realListener() throws {
    let script = """
      import os, socket, sys, time
      s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
      parent = os.getpid()
      if os.fork() == 0:
          while os.getppid() == parent: time.sleep(0.05)
          os._exit(0)
      print(s.getsockname()[1], flush=True); time.sleep(30)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    // The child leaves by itself once its parent is gone.
    defer { process.terminate() }
    let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
    let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
    let owner = try #require(PortOwner.find(port: port))
    #expect(owner.pid == Int(process.processIdentifier))
    #expect(owner.command == "python3")
  }
}

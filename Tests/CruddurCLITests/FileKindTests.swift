import CruddurCore
import CruddurTestSupport
import Foundation
import Testing

/// `FileKind` tells each kind of path apart without opening it.
@Suite struct FileKindTests {
  /// The first block device on this machine, if any (containers often have loop devices).
  static let blockDevice: String? = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
    return names.sorted().map { "/dev/" + $0 }.first { FileKind(path: $0) == .blockDevice }
  }()

  @Test("each kind is recognised, a symlink by what it points to, and nothing is opened")
  func kinds() throws {
    let directory = try TemporaryDirectory(prefix: "cruddur-kind")
    defer { directory.remove() }
    try directory.write("file.sql", "select 1;\n")
    try directory.makeSymlink("link.sql", to: directory.path + "/file.sql")
    try directory.makeSymlink("dangling.sql", to: directory.path + "/nowhere.sql")
    try directory.makeSymlink("fifo-link.sql", to: directory.path + "/pipe.sql")
    try directory.makeFIFO("pipe.sql")
    try directory.makeDirectory("adir")
    try directory.makeSocket("sock")
    let at = { (name: String) in FileKind(path: directory.path + "/" + name) }
    #expect(at("file.sql") == .regularFile)
    #expect(at("link.sql") == .regularFile)
    #expect(at("dangling.sql") == .missing)
    #expect(at("nowhere.sql") == .missing)
    #expect(at("pipe.sql") == .fifo)
    #expect(at("fifo-link.sql") == .fifo)
    #expect(at("adir") == .directory)
    #expect(at("sock") == .socket)
    #expect(FileKind(path: "/dev/zero") == .characterDevice)
  }

  @Test("the message names the kind and the path as shown")
  func messages() {
    #expect(FileKind.fifo.problem(shownAs: "load.sql") == "`load.sql` is a FIFO, not a file")
    #expect(FileKind.directory.problem(shownAs: "adir") == "`adir` is a directory, not a file")
    #expect(FileKind.characterDevice.problem(shownAs: "/dev/zero") == "`/dev/zero` is a character device, not a file")
    #expect(FileKind.blockDevice.problem(shownAs: "/dev/loop0") == "`/dev/loop0` is a block device, not a file")
    #expect(FileKind.socket.problem(shownAs: "sock") == "`sock` is a socket, not a file")
    #expect(FileKind.regularFile.problem(shownAs: "a.sql") == nil)
    #expect(FileKind.missing.problem(shownAs: "a.sql") == nil)
  }

  @Test("a block device is one", .enabled(if: blockDevice != nil))
  func block() throws {
    let device = try #require(Self.blockDevice)
    #expect(SourceLoader.checkRegularFile(device, shownAs: device) == "`\(device)` is a block device, not a file")
  }

  @Test("a glob hands back a FIFO it matches, so the reader can refuse it, and skips directories")
  func glob() throws {
    let directory = try TemporaryDirectory(prefix: "cruddur-kind")
    defer { directory.remove() }
    try directory.write("tasks/a.yml", "tasks: {}\n")
    try directory.makeFIFO("tasks/b.yml")
    try directory.makeDirectory("tasks/c.yml")
    #expect(
      SourceLoader.glob("tasks/*.yml", relativeTo: directory.path) == [
        directory.path + "/tasks/a.yml", directory.path + "/tasks/b.yml",
      ])
    #expect(SourceLoader.glob("tasks/c.yml", relativeTo: directory.path) == [directory.path + "/tasks/c.yml"])
    #expect(SourceLoader(root: directory.path).read(directory.path + "/tasks/b.yml") == .failure(.notAFile(.fifo)))
  }
}

import Foundation
import Testing

@testable import cruddur

/// The process environment read from `environ` is the dictionary Foundation's
/// `ProcessInfo.environment` builds from the same entries.
@Suite struct ProcessEnvironmentTests {
  func read(_ entries: [String]) -> [String: String] {
    var pointers: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeMutableBufferPointer { ProcessEnvironment.read($0.baseAddress) }
  }

  @Test(
    "entries split at the first \"=\"; a later entry of a name wins; entries without \"=\" are skipped"
  )
  func entries() {
    #expect(
      read(["A=1", "B=x=y", "NOEQ", "A=2", "EMPTY=", "É=ü", "=v"])
        == ["A": "2", "B": "x=y", "EMPTY": "", "É": "ü", "": "v"])
  }

  @Test("\"=\" with a combining mark is another Character, as Foundation reads it")
  func combining() {
    #expect(read(["K=\u{301}v", "L=é=w"]) == ["L": "é=w"])
  }

  @Test("nothing, read as nothing")
  func none() {
    #expect(ProcessEnvironment.read(nil) == [:])
    #expect(read([]) == [:])
  }
}

import CruddurCore
import Testing

@testable import CruddurPostgres

@Suite struct SHA256Tests {
  @Test("known digests (FIPS 180-4 examples), also when fed in pieces")
  func knownDigests() {
    #expect(SHA256.hex(of: Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(SHA256.hex(of: long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    var hasher = SHA256()
    var offset = 0
    for size in [1, 63, 64, 65, 1000, 4096] {
      hasher.update(Array(million[offset..<offset + size]))
      offset += size
    }
    hasher.update(Array(million[offset...]))
    #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}

extension SHA256Tests {
  @Test("the file digest (libcrypto when present) equals the portable SHA-256")
  func fileDigestMatches() {
    let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let digest = FileDigest()
    bytes.withUnsafeBufferPointer { all in
      digest.update(UnsafeBufferPointer(rebasing: all[0..<1]))
      digest.update(UnsafeBufferPointer(rebasing: all[1...]))
    }
    #expect(digest.finalizeHex() == SHA256.hex(of: bytes))
  }
}

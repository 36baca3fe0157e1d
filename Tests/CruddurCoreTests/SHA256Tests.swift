import Testing

@testable import CruddurDigest

/// The one SHA-256 (libcrypto's, see Digest.c) and its Swift fallback against FIPS 180-4's
/// published examples: known answers first, so the two backends cannot agree on a bug.
@Suite struct SHA256Tests {
  @Test("libcrypto loads on this machine, so the other tests here exercise it")
  func libcryptoIsTheBackend() {
    #expect(SHA256.libcryptoProblem == nil)
  }

  @Test("the Swift fallback gives the published digests, whole and in uneven pieces")
  func portableKnownDigests() {
    func hex(_ text: String) -> String {
      let hasher = SHA256.portable()
      hasher.update(Array(text.utf8))
      return hasher.finalizeHex()
    }
    #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    let hasher = SHA256.portable()
    var offset = 0
    for size in [1, 63, 64, 65, 1000, 4096, 0] {
      hasher.update(million[offset..<offset + size])
      offset += size
    }
    hasher.update(million[offset...])
    #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test("the fallback and libcrypto agree at every length across the padding boundaries")
  func backendsAgree() {
    let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    var mismatches: [Int] = []
    for count in 0...bytes.count {
      let portable = SHA256.portable()
      portable.update(bytes[..<count])
      if portable.finalizeHex() != SHA256.hex(of: bytes[..<count]) { mismatches.append(count) }
    }
    #expect(mismatches == [])
  }

  @Test("known digests (FIPS 180-4 examples)")
  func knownDigests() {
    #expect(SHA256.hex(of: Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(SHA256.hex(of: long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test("a million 'a's fed in uneven pieces give the published digest")
  func inPieces() {
    let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    let hasher = SHA256()
    var offset = 0
    for size in [1, 63, 64, 65, 1000, 4096, 0] {
      hasher.update(million[offset..<offset + size])
      offset += size
    }
    million[offset...].withUnsafeBytes { hasher.update($0) }
    #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}

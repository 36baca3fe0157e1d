import CruddurDigest
import Testing

/// The one SHA-256 (libcrypto's, see Digest.c) against FIPS 180-4's published examples:
/// known answers, not a comparison with a second implementation that could share a bug.
@Suite struct SHA256Tests {
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

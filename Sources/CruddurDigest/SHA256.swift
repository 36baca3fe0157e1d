import CDigest

#if canImport(Glibc)
  import Glibc
#endif

/// SHA-256, streaming, the one implementation in cruddur: plan digests of the config and of
/// every file a step reads, fed in pieces so a large dump is never held in memory. It is
/// libcrypto's SHA256_* (CPU SHA instructions), loaded on first use (see Digest.c).
public final class SHA256 {
  private var context: OpaquePointer?

  /// libcrypto is a dependency of libpq itself, so where it is missing cruddur cannot do
  /// its work at all: the message says which library, and the process ends with status 1
  /// rather than a digest that means nothing.
  public init() {
    var message = [CChar](repeating: 0, count: 256)
    guard let context = cruddur_sha256_new(&message, Int32(message.count)) else {
      let text = "error: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "\n"
      _ = text.withCString { write(2, $0, strlen($0)) }
      exit(1)
    }
    self.context = context
  }

  deinit {
    if let context { cruddur_sha256_free(context) }
  }

  public func update(_ bytes: UnsafeRawBufferPointer) {
    guard let context, let base = bytes.baseAddress else { return }
    cruddur_sha256_update(context, base, bytes.count)
  }

  public func update(_ bytes: some Collection<UInt8>) {
    if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
      Array(bytes).withUnsafeBytes { update($0) }
    }
  }

  /// The 32 bytes of the digest; the hasher takes no more input after this.
  public func finalize() -> [UInt8] {
    guard let context else { return [] }
    self.context = nil
    var out = [UInt8](repeating: 0, count: 32)
    out.withUnsafeMutableBufferPointer { cruddur_sha256_finish(context, $0.baseAddress!) }
    return out
  }

  /// 64 lowercase hex digits.
  public func finalizeHex() -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
  }

  /// The digest of `bytes` as 64 lowercase hex digits.
  public static func hex(of bytes: some Collection<UInt8>) -> String {
    let hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalizeHex()
  }
}

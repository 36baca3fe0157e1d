import CDigest

/// SHA-256, streaming, the one digest in cruddur: plan digests of the config and of every
/// file a step reads, fed in pieces so a large dump is never held in memory. It is
/// libcrypto's SHA256_* (CPU SHA instructions), loaded on first use (see Digest.c); where
/// libcrypto cannot be loaded, the same digest computed in Swift (`PortableSHA256`), so
/// taking a digest never fails and this library never ends the process.
public final class SHA256 {
  private enum Backend {
    case libcrypto(OpaquePointer)
    case portable(PortableSHA256)
    case finished
  }

  private var backend: Backend

  /// Why libcrypto could not be used, or nil when it is the backend (tests check which
  /// backend they exercised).
  static var libcryptoProblem: String? {
    var message = [CChar](repeating: 0, count: 256)
    guard let context = cruddur_sha256_new(&message, Int32(message.count)) else {
      return String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    cruddur_sha256_free(context)
    return nil
  }

  public convenience init() {
    var message = [CChar](repeating: 0, count: 256)
    if let context = cruddur_sha256_new(&message, Int32(message.count)) {
      self.init(backend: .libcrypto(context))
    } else {
      self.init(backend: .portable(PortableSHA256()))
    }
  }

  /// The Swift implementation whatever libcrypto's state: tests compare both backends.
  static func portable() -> SHA256 { SHA256(backend: .portable(PortableSHA256())) }

  private init(backend: Backend) { self.backend = backend }

  deinit {
    if case .libcrypto(let context) = backend { cruddur_sha256_free(context) }
  }

  public func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    switch backend {
    case .libcrypto(let context): cruddur_sha256_update(context, base, bytes.count)
    case .portable(var digest):
      backend = .finished
      digest.update(bytes)
      backend = .portable(digest)
    case .finished: return
    }
  }

  public func update(_ bytes: some Collection<UInt8>) {
    if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
      Array(bytes).withUnsafeBytes { update($0) }
    }
  }

  /// The 32 bytes of the digest; the hasher takes no more input after this.
  public func finalize() -> [UInt8] {
    let current = backend
    backend = .finished
    switch current {
    case .libcrypto(let context):
      var out = [UInt8](repeating: 0, count: 32)
      out.withUnsafeMutableBufferPointer { cruddur_sha256_finish(context, $0.baseAddress!) }
      return out
    case .portable(var digest): return digest.finalize()
    case .finished: return []
    }
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

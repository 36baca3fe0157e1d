/// HMAC-SHA256 (RFC 2104) over cruddur's one SHA-256 (libcrypto's, see `SHA256`): what
/// AWS Signature Version 4 needs, without a second crypto library.
public enum HMACSHA256 {
  static let blockSize = 64

  /// The 32-byte MAC of `message` under `key`.
  public static func mac(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
    var block = key.count > blockSize ? SHA256.digest(key) : Array(key)
    block += [UInt8](repeating: 0, count: blockSize - block.count)
    let inner = SHA256()
    inner.update(block.map { $0 ^ 0x36 })
    inner.update(message)
    let outer = SHA256()
    outer.update(block.map { $0 ^ 0x5c })
    outer.update(inner.finalize())
    return outer.finalize()
  }

  public static func mac(key: some Collection<UInt8>, message: String) -> [UInt8] {
    mac(key: key, message: Array(message.utf8))
  }
}

extension SHA256 {
  /// The 32 bytes of the digest of `bytes`.
  public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
    let hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalize()
  }

  /// Lowercase hex of any bytes.
  public static func hex(bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(
      decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
  }
}

import CruddurCore

#if canImport(Glibc)
  import Glibc
#endif

/// SHA-256 of a file as it is read, for plans. Uses the system's libcrypto (already loaded
/// by libpq, and using the CPU's SHA instructions) when it can be found, else Core's
/// portable `SHA256`: the digest is taken on every run (plans are made before runs), and
/// the portable one costs ~130 ms on a 19 MB dump, as much as psql needs to start loading it.
final class FileDigest {
  private var portable: SHA256?
  private var context: UnsafeMutableRawPointer?
  private let library = LibCrypto.shared

  init() {
    if let library {
      // sizeof(SHA256_CTX) is 112 bytes; more is harmless.
      let context = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 16)
      if library.initialize(context) == 1 {
        self.context = context
        return
      }
      context.deallocate()
    }
    portable = SHA256()
  }

  deinit { context?.deallocate() }

  func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    if let context, let library {
      _ = library.update(context, bytes.baseAddress, bytes.count)
    } else {
      portable?.update(bytes)
    }
  }

  /// 64 lowercase hex digits.
  func finalizeHex() -> String {
    if let context, let library {
      var digest = [UInt8](repeating: 0, count: 32)
      _ = digest.withUnsafeMutableBufferPointer { library.final($0.baseAddress!, context) }
      let digits = Array("0123456789abcdef".utf8)
      return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
    }
    return portable?.finalizeHex() ?? ""
  }
}

/// OpenSSL's SHA256_Init/Update/Final, looked up at run time so the build needs no
/// OpenSSL headers and a system without libcrypto still works.
private struct LibCrypto: @unchecked Sendable {
  // Invariant: immutable C function pointers, set once when `shared` is initialised.
  typealias Initialize = @convention(c) (UnsafeMutableRawPointer) -> Int32
  typealias Update = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer?, Int) -> Int32
  typealias Final = @convention(c) (UnsafeMutablePointer<UInt8>, UnsafeMutableRawPointer) -> Int32

  let initialize: Initialize
  let update: Update
  let final: Final

  static let shared: LibCrypto? = {
    for name in ["libcrypto.so.3", "libcrypto.so"] {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL),
        let i = dlsym(handle, "SHA256_Init"), let u = dlsym(handle, "SHA256_Update"),
        let f = dlsym(handle, "SHA256_Final")
      else { continue }
      return LibCrypto(
        initialize: unsafeBitCast(i, to: Initialize.self), update: unsafeBitCast(u, to: Update.self),
        final: unsafeBitCast(f, to: Final.self))
    }
    return nil
  }()
}

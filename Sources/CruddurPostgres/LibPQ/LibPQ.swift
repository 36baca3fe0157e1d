import CruddurCore
internal import CLibPQ

/// libpq, opened on first use (commands that never connect never load it).
enum LibPQ {
  /// Loads libpq; every path into libpq (a connection, a ping) calls this first, so a
  /// missing library is an error main reports, never an exit in C. Parsing a URL does not
  /// need it (`ConnInfoParser`).
  static func load() throws {
    var buffer = [CChar](repeating: 0, count: 512)
    guard cruddur_libpq_load(&buffer, Int32(buffer.count)) == 0 else { return }
    let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    throw RunError(.libpqUnavailable(reason: message))
  }
}

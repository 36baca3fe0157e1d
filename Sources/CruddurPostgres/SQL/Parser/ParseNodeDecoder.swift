/// Decodes the JSON libpg_query writes into `ParseNode`s, straight from its bytes: the
/// input is always well-formed (the library's own writer), so the decoder is small and
/// one pass, and it costs less than the parse itself on short statements, which matters
/// when every statement of a 50,000-line file is read on a protected environment.
struct ParseNodeDecoder {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0

  struct Malformed: Error {}

  static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(Malformed) -> ParseNode {
    var decoder = ParseNodeDecoder(bytes: bytes)
    let node = try decoder.value()
    return node
  }

  private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  private mutating func skipSpace() {
    while index < bytes.count,
      bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
        || bytes[index] == 0x09
    {
      index += 1
    }
  }

  private mutating func value() throws(Malformed) -> ParseNode {
    skipSpace()
    guard index < bytes.count else { throw Malformed() }
    switch bytes[index] {
    case UInt8(ascii: "{"):
      index += 1
      var fields: [String: ParseNode] = [:]
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(fields)
      }
      while true {
        skipSpace()
        let key = try string()
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Malformed() }
        index += 1
        fields[key] = try value()
        skipSpace()
        guard index < bytes.count else { throw Malformed() }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        guard bytes[index] == UInt8(ascii: "}") else { throw Malformed() }
        index += 1
        return .object(fields)
      }
    case UInt8(ascii: "["):
      index += 1
      var items: [ParseNode] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      while true {
        items.append(try value())
        skipSpace()
        guard index < bytes.count else { throw Malformed() }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        guard bytes[index] == UInt8(ascii: "]") else { throw Malformed() }
        index += 1
        return .array(items)
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"):
      index += 4
      return .bool(true)
    case UInt8(ascii: "f"):
      index += 5
      return .bool(false)
    case UInt8(ascii: "n"):
      index += 4
      return .null
    default:
      let start = index
      while index < bytes.count {
        let byte = bytes[index]
        guard
          (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        else { break }
        index += 1
      }
      guard index > start,
        let number = Double(String(decoding: bytes[start..<index], as: UTF8.self))
      else {
        throw Malformed()
      }
      return .number(number)
    }
  }

  private mutating func string() throws(Malformed) -> String {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Malformed() }
    index += 1
    let start = index
    // Most strings (field names, identifiers) have no escapes: one slice, no copy loop.
    while index < bytes.count, bytes[index] != UInt8(ascii: "\""),
      bytes[index] != UInt8(ascii: "\\")
    {
      index += 1
    }
    guard index < bytes.count else { throw Malformed() }
    if bytes[index] == UInt8(ascii: "\"") {
      defer { index += 1 }
      return String(decoding: bytes[start..<index], as: UTF8.self)
    }
    var scalars = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if byte == UInt8(ascii: "\"") { return String(decoding: scalars, as: UTF8.self) }
      guard byte == UInt8(ascii: "\\") else {
        scalars.append(byte)
        continue
      }
      guard index < bytes.count else { throw Malformed() }
      let escaped = bytes[index]
      index += 1
      switch escaped {
      case UInt8(ascii: "n"): scalars.append(0x0A)
      case UInt8(ascii: "t"): scalars.append(0x09)
      case UInt8(ascii: "r"): scalars.append(0x0D)
      case UInt8(ascii: "b"): scalars.append(0x08)
      case UInt8(ascii: "f"): scalars.append(0x0C)
      case UInt8(ascii: "u"):
        guard index + 4 <= bytes.count,
          let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw Malformed() }
        index += 4
        var scalarValue = code
        // A surrogate pair (the writer escapes control characters only, but be complete).
        if code >= 0xD800, code < 0xDC00, index + 6 <= bytes.count,
          bytes[index] == UInt8(ascii: "\\"),
          let low = UInt32(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16)
        {
          index += 6
          scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
        scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
      default: scalars.append(escaped)
      }
    }
    throw Malformed()
  }
}

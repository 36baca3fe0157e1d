/// Checks bytes are well-formed UTF-8 as they stream past, so a file is refused at its
/// first bad byte instead of being decoded with U+FFFD in place of what was written.
/// Fed in pieces of any size: a sequence may straddle two pieces.
public struct UTF8Validator: Sendable {
  /// The first byte of an ill-formed sequence, by offset from the start of the input.
  public struct Failure: Error, Sendable, Equatable {
    public var offset: Int
    public var byte: UInt8
    public init(offset: Int, byte: UInt8) {
      self.offset = offset
      self.byte = byte
    }

    /// "invalid UTF-8 (byte 0xFF)"
    public var message: String {
      let hex = String(byte, radix: 16, uppercase: true)
      return "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex))"
    }
  }

  /// Bytes fed so far.
  public private(set) var offset = 0
  /// Continuation bytes the open sequence still needs.
  private var needed = 0
  /// The range the next continuation byte must fall in (narrower after E0, ED, F0, F4).
  private var low: UInt8 = 0x80
  private var high: UInt8 = 0xBF
  private var sequenceStart = 0
  private var sequenceByte: UInt8 = 0

  public init() {}

  /// Checks the next piece of input.
  public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
    guard let base = bytes.baseAddress else { return }
    let count = bytes.count
    var i = 0
    while i < count {
      if needed == 0 {
        // Eight ASCII bytes at a time: most SQL and YAML is ASCII.
        while i + 8 <= count {
          let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
          if word & 0x8080_8080_8080_8080 != 0 { break }
          i += 8
        }
        guard i < count else { break }
        let c = base[i]
        if c < 0x80 {
          i += 1
          continue
        }
        sequenceStart = offset + i
        sequenceByte = c
        (low, high) = (0x80, 0xBF)
        switch c {
        case 0xC2...0xDF: needed = 1
        case 0xE0: needed = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: needed = 2
        case 0xED: needed = 2; high = 0x9F
        case 0xF0: needed = 3; low = 0x90
        case 0xF1...0xF3: needed = 3
        case 0xF4: needed = 3; high = 0x8F
        default: throw Failure(offset: offset + i, byte: c)
        }
        i += 1
        continue
      }
      let c = base[i]
      guard c >= low && c <= high else { throw Failure(offset: sequenceStart, byte: sequenceByte) }
      (low, high) = (0x80, 0xBF)
      needed -= 1
      i += 1
    }
    offset += count
  }

  /// Call at the end of the input: a sequence cut short there is ill-formed too.
  public func finish() throws(Failure) {
    if needed > 0 { throw Failure(offset: sequenceStart, byte: sequenceByte) }
  }

  /// Checks a whole input.
  public static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
    var validator = UTF8Validator()
    try validator.feed(bytes)
    try validator.finish()
  }

  /// The 1-based line and column (in Unicode scalars, as `SourceLocation` counts them) of
  /// an offset whose preceding bytes are valid UTF-8. A leading byte order mark is not a
  /// column. Fed in pieces.
  public struct Position: Sendable {
    public private(set) var line = 1
    /// Scalars before the offset on its line.
    private var scalars = 0
    private var consumed = 0
    /// Bytes of a leading byte order mark still to pass over.
    private var skip: Int

    public init(hasByteOrderMark: Bool = false) { skip = hasByteOrderMark ? 3 : 0 }

    public var column: Int { scalars + 1 }

    /// Counts `bytes`, the next piece of the input, stopping at `limit` bytes in all.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int) {
      for c in bytes {
        guard consumed < limit else { return }
        consumed += 1
        if skip > 0 {
          skip -= 1
          continue
        }
        if c == 0x0A {
          line += 1
          scalars = 0
        } else if c & 0xC0 != 0x80 {
          scalars += 1
        }
      }
    }

    /// Where `offset` is in `bytes`, the whole input.
    public static func of(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Position {
      var position = Position(hasByteOrderMark: bytes.starts(with: [0xEF, 0xBB, 0xBF]))
      position.feed(bytes, upTo: offset)
      return position
    }
  }

  /// Bytes as text for showing a line that holds an ill-formed sequence: valid UTF-8 as
  /// it is, each bad byte as `\xFF`, so nothing is silently replaced.
  public static func displayText(_ bytes: some Collection<UInt8>) -> String {
    var out = ""
    var rest = Array(bytes)[...]
    while !rest.isEmpty {
      let done = rest.withUnsafeBufferPointer { buffer -> Int in
        do throws(Failure) {
          try validate(buffer)
          return buffer.count
        } catch {
          return error.offset
        }
      }
      out += String(decoding: rest.prefix(done), as: UTF8.self)
      rest = rest.dropFirst(done)
      if let bad = rest.first {
        let hex = String(bad, radix: 16, uppercase: true)
        out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        rest = rest.dropFirst()
      }
    }
    return out
  }
}

/// Cuts a child's output into lines as the bytes arrive, whatever the chunks' boundaries.
/// A line is delivered without its "\n" (or "\r\n"); a last line without one still counts.
struct LineBuffer {
  private var pending: [UInt8] = []
  /// Bytes before this offset hold no newline: a long line is searched once, not per chunk.
  private var searched = 0

  mutating func append(_ bytes: ArraySlice<UInt8>, _ body: (String) -> Void) {
    pending.append(contentsOf: bytes)
    var start = 0
    while let newline = pending[max(start, searched)...].firstIndex(of: 10) {
      var end = newline
      if end > start, pending[end - 1] == 13 { end -= 1 }
      body(String(decoding: pending[start..<end], as: UTF8.self))
      start = newline + 1
    }
    pending.removeFirst(start)
    searched = pending.count
  }

  mutating func finish(_ body: (String) -> Void) {
    if !pending.isEmpty { body(String(decoding: pending, as: UTF8.self)) }
    pending = []
    searched = 0
  }
}

import Synchronization

/// The one progress line on a terminal: drawn, redrawn in place and erased. Each draw is cut
/// to the terminal's width as it is now (asked at every draw, so a resize takes effect at the
/// next one), because a line longer than the terminal wraps, and `\r` then returns only to
/// the start of its last row, leaving the others behind as stale lines.
public final class ProgressLine: Sendable {
  private struct State {
    /// Columns the line on the screen takes; nil when none is shown.
    var shown: Int?
  }
  private let state = Mutex(State())
  private let columns: @Sendable () -> Int?

  /// `columns` answers the terminal's width now (nil when unknown: 80 is assumed).
  public init(columns: @escaping @Sendable () -> Int?) {
    self.columns = columns
  }

  /// What to write to replace the line shown (if any) by `text`, cut to fit, painted by
  /// `paint` once, after the cut, so no escape sequence is ever cut in two or escaped again.
  public func draw(_ text: String, paint: (String) -> String) -> String {
    let width = max(columns() ?? 80, 2)
    return state.withLock { state in
      // One column is left free: a line that fills the last column leaves the cursor
      // waiting to wrap, and some terminals wrap at the next byte, even a `\r`.
      let cut = DisplayWidth.cut(text, toFit: width - 1)
      let clear = state.shown == nil ? "\r\u{1B}[K" : Self.clear(shown: state.shown, width: width)
      state.shown = DisplayWidth.of(cut)
      return clear + paint(cut)
    }
  }

  /// What to write to erase the line shown, or "" when none is; it counts as gone from here.
  public func erase() -> String {
    let width = max(columns() ?? 80, 2)
    return state.withLock { state in
      defer { state.shown = nil }
      return Self.clear(shown: state.shown, width: width)
    }
  }

  /// Back to the start of the line shown and clear to the end of the screen. A terminal that
  /// narrowed since the line was drawn has reflowed it (tmux, VTE, kitty, iTerm2, Windows
  /// Terminal do) onto more rows, and the cursor sits on the last of them: go up to the first.
  private static func clear(shown: Int?, width: Int) -> String {
    guard let shown else { return "" }
    let rows = shown == 0 ? 1 : (shown + width - 1) / width
    return rows > 1 ? "\r\u{1B}[\(rows - 1)A\u{1B}[J" : "\r\u{1B}[K"
  }
}

import Synchronization

/// The one progress line on a terminal: drawn, redrawn in place and erased. Each draw is cut
/// to the terminal's width as it is now (asked at every draw, and `redraw()` draws the line
/// again when the terminal is resized), because a line longer than the terminal wraps, and
/// `\r` then returns only to the start of its last row, leaving the others behind as stale
/// lines. What each call returns is written while the line's state is held, so a redraw from
/// the resize signal never lands between another draw and its write.
public final class ProgressLine: Sendable {
  private struct State {
    /// Columns the line on the screen takes; nil when none is shown.
    var shown: Int?
    /// The line shown, uncut, and how it is painted: what a redraw draws again.
    var text = ""
    var paint: @Sendable (String) -> String = { $0 }
  }
  private let state = Mutex(State())
  private let columns: @Sendable () -> Int?

  /// `columns` answers the terminal's width now (nil when unknown: 80 is assumed).
  public init(columns: @escaping @Sendable () -> Int?) {
    self.columns = columns
  }

  /// Replaces the line shown (if any) by `text`, cut to fit, painted by `paint` once, after
  /// the cut, so no escape sequence is ever cut in two or escaped again; `write` gets the bytes.
  public func draw(_ text: String, paint: @escaping @Sendable (String) -> String, write: (String) -> Void) {
    let width = max(columns() ?? 80, 2)
    state.withLock { state in
      state.text = text
      state.paint = paint
      write(Self.draw(&state, width: width))
    }
  }

  /// Draws the line shown again at the terminal's width now (after SIGWINCH); nothing when
  /// none is shown.
  public func redraw(write: (String) -> Void) {
    let width = max(columns() ?? 80, 2)
    state.withLock { state in
      guard state.shown != nil else { return }
      write(Self.draw(&state, width: width))
    }
  }

  /// Erases the line shown, if any; it counts as gone from here.
  public func erase(write: (String) -> Void) {
    let width = max(columns() ?? 80, 2)
    state.withLock { state in
      defer { state.shown = nil }
      let bytes = Self.clear(shown: state.shown, width: width)
      if !bytes.isEmpty { write(bytes) }
    }
  }

  private static func draw(_ state: inout State, width: Int) -> String {
    // One column is left free: a line that fills the last column leaves the cursor
    // waiting to wrap, and some terminals wrap at the next byte, even a `\r`.
    let cut = DisplayWidth.cut(state.text, toFit: width - 1)
    let clear = state.shown == nil ? "\r\u{1B}[K" : Self.clear(shown: state.shown, width: width)
    state.shown = DisplayWidth.of(cut)
    return clear + state.paint(cut)
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

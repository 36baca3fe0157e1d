/// "Did you mean" by edit distance, as just and cargo do.
///
/// The cost is linear in what is typed: a candidate whose length alone puts it out of reach
/// is skipped without comparing, and the comparison fills only a band of `2 × limit + 1`
/// cells around the diagonal, with the limit capped at ``maximumEdits``. A megabyte typed
/// as a task name is rejected as fast as it is read, not after minutes of a full table.
public enum Suggestion {
  /// Past this many slips a word is not a typo of anything; capping the band keeps a long
  /// word against a long candidate linear too.
  public static let maximumEdits = 12

  /// The closest candidate within a distance that still looks like a typo.
  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    let typed = Array(word.unicodeScalars)
    // A third of the word may be wrong, but never all of it (`f` is no typo of `a`).
    let limit = min(max(1, typed.count / 3), typed.count - 1, maximumEdits)
    guard limit >= 0 else { return nil }
    var best: (String, Int)?
    for candidate in candidates {
      // Ties may replace the best only when alphabetically first, so the suggestion does
      // not depend on the order a set or dictionary happens to iterate in.
      let reach = best.map { min(limit, $0.1) } ?? limit
      guard
        let d = distance(
          typed, Array(candidate.unicodeScalars.prefix(typed.count + reach + 1)), limit: reach)
      else { continue }
      if d < (best?.1 ?? .max) || (d == best?.1 && candidate < best!.0) { best = (candidate, d) }
    }
    return best?.0
  }

  /// Edit distance where swapping two neighbours counts as one edit (optimal string
  /// alignment): `lsit` is one slip from `list`, not two, as people type.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    return distance(a, b, limit: max(a.count, b.count))!
  }

  /// The distance when it is at most `limit`, else nil; costs `O(min(|a|, |b|) × limit)`.
  public static func distance(_ a: String, _ b: String, limit: Int) -> Int? {
    distance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit)
  }

  /// Banded optimal string alignment: cells farther than `limit` from the diagonal can only
  /// lead to a distance over the limit, so they are never filled; a row whose every cell is
  /// over the limit ends the comparison early.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
    if abs(a.count - b.count) > limit { return nil }
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    let over = limit + 1
    var beforePrevious = [Int](repeating: over, count: b.count + 1)
    var previous = [Int](repeating: over, count: b.count + 1)
    var current = [Int](repeating: over, count: b.count + 1)
    for j in 0...min(b.count, limit) { previous[j] = j }
    for i in 1...a.count {
      let low = max(1, i - limit)
      let high = min(b.count, i + limit)
      // The cell just left of the band must read as out of reach, not as a stale value.
      current[low - 1] = low == 1 && i <= limit ? i : over
      var rowBest = current[low - 1]
      if low <= high {
        for j in low...high {
          let cost = a[i - 1] == b[j - 1] ? 0 : 1
          var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
          if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
            value = min(value, beforePrevious[j - 2] + 1)
          }
          current[j] = min(value, over)
          rowBest = min(rowBest, current[j])
        }
      }
      if high < b.count { current[high + 1] = over }
      if rowBest > limit { return nil }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    let result = previous[b.count]
    return result <= limit ? result : nil
  }

  /// " did you mean `x`?" or nil, ready to use as a diagnostic label.
  public static func label(for word: String, in candidates: some Sequence<String>) -> String? {
    closest(to: word, in: candidates).map { "did you mean `\($0)`?" }
  }
}

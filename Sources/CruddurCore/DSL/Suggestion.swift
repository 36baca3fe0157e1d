/// "Did you mean" by edit distance, as just and cargo do.
public enum Suggestion {
  /// The closest candidate within a distance that still looks like a typo.
  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    // A third of the word may be wrong, but never all of it (`f` is no typo of `a`).
    let limit = min(max(1, word.count / 3), word.count - 1)
    var best: (String, Int)?
    for candidate in candidates {
      let d = distance(word, candidate)
      // Ties go to the alphabetically first, so the suggestion does not depend on the
      // order a set or dictionary happens to iterate in.
      if d <= limit, d < (best?.1 ?? .max) || (d == best?.1 && candidate < best!.0) { best = (candidate, d) }
    }
    return best?.0
  }

  /// Edit distance where swapping two neighbours counts as one edit (optimal string
  /// alignment): `lsit` is one slip from `list`, not two, as people type.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var beforePrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], beforePrevious[j - 2] + 1)
        }
      }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
  }

  /// " did you mean `x`?" or nil, ready to use as a diagnostic label.
  public static func label(for word: String, in candidates: some Sequence<String>) -> String? {
    closest(to: word, in: candidates).map { "did you mean `\($0)`?" }
  }
}

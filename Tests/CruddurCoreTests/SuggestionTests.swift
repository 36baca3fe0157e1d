import CruddurCore
import Testing

@Suite struct SuggestionTests {
  @Test("swapping two neighbouring letters is one edit, as people slip")
  func transposition() {
    #expect(Suggestion.distance("lsit", "list") == 1)
    #expect(Suggestion.distance("lcoal", "local") == 1)
    #expect(Suggestion.distance("abc", "abc") == 0)
    #expect(Suggestion.distance("kitten", "sitting") == 3)
    #expect(Suggestion.closest(to: "lsit", in: ["list", "plan", "local"]) == "list")
  }

  @Test("a word nothing resembles gets no suggestion")
  func noSuggestion() {
    #expect(Suggestion.closest(to: "zzz", in: ["list", "plan"]) == nil)
    #expect(TaskSuggestion.closest(to: "setup", in: ["db:setup", "db:seed"]) == "db:setup")
  }
}

/// The banded comparison must give what the full table gives, wherever the answer is within
/// reach, and it must not cost more than the input is long.
@Suite struct BoundedSuggestionTests {
  /// The full optimal-string-alignment table, kept as the oracle the band is checked against.
  static func fullDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[a.count][b.count]
  }

  @Test("the band gives the full table's distance whenever it is within the limit, and nil past it")
  func bandMatchesFullTable() {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("abcd:é")
    func word() -> String {
      String(
        (0..<Int.random(in: 0...14, using: &generator)).map { _ in
          alphabet.randomElement(using: &generator)!
        })
    }
    for _ in 0..<3000 {
      let (a, b) = (word(), word())
      let truth = Self.fullDistance(a, b)
      #expect(Suggestion.distance(a, b) == truth, "\(a) \(b)")
      for limit in 0...6 {
        let banded = Suggestion.distance(a, b, limit: limit)
        #expect(banded == (truth <= limit ? truth : nil), "\(a) \(b) limit \(limit)")
      }
    }
  }

  @Test("a megabyte word gets no suggestion and is compared only by its length")
  func megabyteWord() {
    let huge = String(repeating: "x", count: 1 << 20)
    #expect(Suggestion.closest(to: huge, in: ["list", "plan", "db:setup"]) == nil as String?)
    #expect(TaskSuggestion.closest(to: huge, in: ["db:setup", "db:seed"]) == nil)
    // A long word against an equally long candidate: the band keeps it linear, and a real
    // slip in it is still found.
    let long = String(repeating: "ab", count: 1 << 15)
    var slipped = Array(long)
    slipped.swapAt(1000, 1001)
    #expect(Suggestion.closest(to: String(slipped), in: [long, "plan"]) == long)
  }

  @Test("past the cap of slips nothing is suggested, however long the word")
  func capOfSlips() {
    let name = String(repeating: "abcdefgh", count: 16)
    var changed = Array(name)
    for index in stride(from: 0, to: 8 * (Suggestion.maximumEdits + 1), by: 8) {
      changed[index] = "z"
    }
    #expect(Suggestion.closest(to: String(changed), in: [name]) == nil)
    changed[0] = "a"
    #expect(Suggestion.closest(to: String(changed), in: [name]) == name)
  }
}

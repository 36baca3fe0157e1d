/// Decisions for a generator, drawn from a list of numbers the property library generated
/// (and shrinks): each `pick` consumes one, so the same list builds the same value.
struct Choices {
  private let values: [Int]
  private var index = 0

  init(_ values: [Int]) { self.values = values }

  /// A number in `0..<count`; 0 once the list is used up, so shrinking towards short
  /// lists shrinks towards the simplest value.
  mutating func pick(_ count: Int) -> Int {
    guard count > 1, index < values.count else { return 0 }
    defer { index += 1 }
    return abs(values[index] % count)
  }

  mutating func element<T>(_ options: [T]) -> T { options[pick(options.count)] }

  mutating func chance(_ percent: Int) -> Bool { pick(100) < percent }

  /// A lowercase identifier, 1 to `length` letters and digits, starting with a letter.
  mutating func identifier(_ length: Int = 6) -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    let tail = Array("abcdefghijklmnopqrstuvwxyz0123456789_")
    var name = String(letters[pick(letters.count)])
    for _ in 0..<pick(length) { name.append(tail[pick(tail.count)]) }
    return name
  }
}

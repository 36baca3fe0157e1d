import Foundation
import PropertyBased
import Testing

/// Property checks that draw the same inputs on every run unless told otherwise, so CI is
/// repeatable and a failure comes back when the suite runs again. PropertyBased's own
/// `propertyCheck` draws a fresh seed each run, and its `.fixedSeed` trait runs one input
/// and always records an issue, so neither suits CI.
///
/// Environment (docs/testing.md):
/// - `CRUDDUR_PROPERTY_SEED=N` (an unsigned number) draws from another seed; `random` from
///   a fresh one, which the failure report names for replay.
/// - `CRUDDUR_PROPERTY_RUNS=K` runs each check K times its count: the longer local run.
///
/// Anything else in either is a test failure, not a silent default.
enum SeededProperty {
  /// The seed CI uses.
  static let defaultSeed: UInt64 = 0x00C0_FFEE_2026_1207

  struct Settings {
    var seed: UInt64
    var multiplier: Int
  }

  static func settings(_ environment: [String: String]) -> Result<Settings, SettingsError> {
    var settings = Settings(seed: defaultSeed, multiplier: 1)
    switch environment["CRUDDUR_PROPERTY_SEED"] {
    case nil, "": break
    case "random": settings.seed = UInt64.random(in: 1...UInt64.max)
    case let text?:
      guard let seed = UInt64(text) else { return .failure(SettingsError(name: "CRUDDUR_PROPERTY_SEED", value: text)) }
      settings.seed = seed
    }
    if let text = environment["CRUDDUR_PROPERTY_RUNS"], !text.isEmpty {
      guard let multiplier = Int(text), multiplier >= 1 else {
        return .failure(SettingsError(name: "CRUDDUR_PROPERTY_RUNS", value: text))
      }
      settings.multiplier = multiplier
    }
    return .success(settings)
  }

  struct SettingsError: Error, CustomStringConvertible {
    var name: String
    var value: String
    var description: String {
      "\(name)=\(value): expected \(name == "CRUDDUR_PROPERTY_RUNS" ? "a whole number from 1" : "an unsigned number or `random`")"
    }
  }

  /// The generator for run `index` of a check: a function of the seed and the index only,
  /// so one failing run can be told apart and replayed.
  static func generator(seed: UInt64, index: Int) -> Xoshiro {
    // splitmix64 spreads the two numbers over the whole state (xoshiro must not start at 0).
    var mix = seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    func next() -> UInt64 {
      mix &+= 0x9E37_79B9_7F4A_7C15
      var z = mix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    return Xoshiro(seed: (next(), next(), next(), next()))
  }

  /// Runs `body` on `count` inputs drawn from `input` (times `CRUDDUR_PROPERTY_RUNS`). An
  /// error thrown by `body` is reported with the seed and run index; `#expect` failures
  /// inside it show their input, and the same seed draws it again.
  static func check<Value>(
    count: Int, input: Generator<Value, some Sequence>,
    sourceLocation: SourceLocation = #_sourceLocation,
    perform body: (Value) async throws -> Void
  ) async {
    let settings: Settings
    switch Self.settings(ProcessInfo.processInfo.environment) {
    case .success(let value): settings = value
    case .failure(let error):
      Issue.record("\(error)", sourceLocation: sourceLocation)
      return
    }
    for index in 0..<(count * settings.multiplier) {
      var rng = generator(seed: settings.seed, index: index)
      let value = input.run(using: &rng)
      do {
        try await body(value)
      } catch {
        Issue.record(
          "run \(index) failed (replay: CRUDDUR_PROPERTY_SEED=\(settings.seed)): \(error)",
          sourceLocation: sourceLocation)
        return
      }
    }
  }
}

@Suite struct SeededPropertyTests {
  @Test("the same seed draws the same inputs; another seed or run index draws others")
  func repeatable() {
    let input = Gen.int(in: 0...1_000_000).array(of: 5...5)
    func draw(_ seed: UInt64, _ index: Int) -> [Int] {
      var rng = SeededProperty.generator(seed: seed, index: index)
      return input.run(using: &rng)
    }
    #expect(draw(SeededProperty.defaultSeed, 3) == draw(SeededProperty.defaultSeed, 3))
    #expect(draw(SeededProperty.defaultSeed, 3) != draw(SeededProperty.defaultSeed, 4))
    #expect(draw(SeededProperty.defaultSeed, 3) != draw(SeededProperty.defaultSeed + 1, 3))
  }

  @Test("the environment picks the seed and the run multiplier; a bad value is an error, not a default")
  func environment() throws {
    let none = try SeededProperty.settings([:]).get()
    #expect(none.seed == SeededProperty.defaultSeed && none.multiplier == 1)
    let set = try SeededProperty.settings(["CRUDDUR_PROPERTY_SEED": "42", "CRUDDUR_PROPERTY_RUNS": "20"]).get()
    #expect(set.seed == 42 && set.multiplier == 20)
    #expect(try SeededProperty.settings(["CRUDDUR_PROPERTY_SEED": "random"]).get().seed != 0)
    for bad in [["CRUDDUR_PROPERTY_SEED": "-1"], ["CRUDDUR_PROPERTY_SEED": "abc"], ["CRUDDUR_PROPERTY_RUNS": "0"]] {
      #expect(throws: SeededProperty.SettingsError.self) { try SeededProperty.settings(bad).get() }
    }
  }
}

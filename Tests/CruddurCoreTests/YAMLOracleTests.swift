import CruddurCore
import PropertyBased
import Testing
import Yams

/// The project's YAML reader against Yams as an oracle: for generated documents both read
/// the same scalars (text and plainness), mappings in the same order, the same sequences,
/// each value starting at the same line and column, and both read what was generated.
@Suite struct YAMLOracleTests {
  static func ours(_ node: YAMLNode) -> GeneratedYAML.Tree {
    switch node {
    case .scalar(let text, let isPlain, _): .scalar(text, isPlain: isPlain)
    case .mapping(let pairs, _): .mapping(pairs.map { (ours($0.key), ours($0.value)) })
    case .sequence(let items, _): .sequence(items.map(ours))
    }
  }

  static func theirs(_ node: Node) -> GeneratedYAML.Tree {
    switch node {
    case .scalar(let scalar): .scalar(scalar.string, isPlain: scalar.style == .plain)
    case .mapping(let mapping): .mapping(mapping.map { (theirs($0.key), theirs($0.value)) })
    case .sequence(let sequence): .sequence(sequence.map(theirs))
    case .alias: .scalar("<alias>", isPlain: false)
    }
  }

  /// Where every value starts, in document order, as "line:column".
  static func ourPositions(_ node: YAMLNode) -> [String] {
    let here = "\(node.location.line):\(node.location.column)"
    switch node {
    case .scalar: return [here]
    case .mapping(let pairs, _): return [here] + pairs.flatMap { ourPositions($0.key) + ourPositions($0.value) }
    case .sequence(let items, _): return [here] + items.flatMap(ourPositions)
    }
  }

  static func theirPositions(_ node: Node) -> [String] {
    let here = node.mark.map { "\($0.line):\($0.column)" } ?? "?"
    switch node {
    case .scalar, .alias: return [here]
    case .mapping(let mapping): return [here] + mapping.flatMap { theirPositions($0.key) + theirPositions($0.value) }
    case .sequence(let sequence): return [here] + sequence.flatMap(theirPositions)
    }
  }

  @Test("generated documents: our reader, Yams and the generator agree on every value and position")
  func agreesWithYams() async {
    await SeededProperty.check(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 0...80)) { values in
      let document = GeneratedYAML.make(values)
      let text = document.text
      let (node, diagnostics) = YAMLReader.read(text, path: "doc.yml")
      #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))\n\(text)")
      guard let node else {
        Issue.record("no document read from:\n\(text)")
        return
      }
      let yams: Node
      do {
        guard let composed = try Yams.compose(yaml: text) else {
          Issue.record("Yams read no document from:\n\(text)")
          return
        }
        yams = composed
      } catch {
        Issue.record("Yams rejects a generated document (\(error)):\n\(text)")
        return
      }
      #expect(Self.ours(node) == Self.theirs(yams), "\(text)")
      #expect(Self.ours(node) == document.expected, "\(text)")
      #expect(Self.ourPositions(node) == Self.theirPositions(yams), "\(text)")
    }
  }

  @Test("the oracle comparison can fail: a changed scalar, a lost plainness, a moved value are told apart")
  func comparisonDiscriminates() throws {
    let text = "a: 1\nb: 'x'\nc: [d, e]\n"
    let yams = try #require(try Yams.compose(yaml: text))
    let node = try #require(YAMLReader.read(text, path: "t.yml").node)
    #expect(Self.ours(node) == Self.theirs(yams))
    let other = try #require(YAMLReader.read("a: 1\nb: x\nc: [d, e]\n", path: "t.yml").node)
    #expect(Self.ours(other) != Self.theirs(yams), "quoted and plain `x` differ")
    let moved = try #require(YAMLReader.read("a:  1\nb: 'x'\nc: [d, e]\n", path: "t.yml").node)
    #expect(Self.ours(moved) == Self.theirs(yams))
    #expect(Self.ourPositions(moved) != Self.theirPositions(yams), "a value one column on")
  }
}

import CruddurCore
import Testing

/// `--shard K/N`: for every N up to 64 the shards are disjoint, cover the fleet, stay put
/// when targets are added, and are roughly even.
@Suite struct FleetShardTests {
  /// Labels as fleets name targets, over two servers.
  static let labels = (0..<6400).map { "127.0.0.1:\(5432 + $0 % 2)/tenant_\($0)" }

  @Test("every N ≤ 64: each target is in exactly one shard, and the shards cover the fleet")
  func disjointAndCovering() {
    for n in 1...64 {
      var sizes = Array(repeating: 0, count: n + 1)
      // Every shard asked about every target (as N processes would) for a tenth of them;
      // the owner computed directly for all, for the sizes.
      for label in Self.labels.prefix(640) {
        let owners = (1...n).filter { FleetShard(index: $0, count: n)!.contains(label) }
        #expect(owners.count == 1, "N=\(n) \(label) is in shards \(owners)")
      }
      for label in Self.labels { sizes[FleetShard.shard(of: label, count: n)] += 1 }
      #expect(sizes.reduce(0, +) == Self.labels.count, "N=\(n)")
      // Even enough that no CI job idles: within half to one and a half times its share.
      let share = Double(Self.labels.count) / Double(n)
      for k in 1...n {
        #expect(
          Double(sizes[k]) > share * 0.5 && Double(sizes[k]) < share * 1.5,
          "N=\(n) shard \(k): \(sizes[k])")
      }
    }
  }

  @Test("adding targets moves none of the others, for every N ≤ 64")
  func stableWhenTargetsAreAdded() {
    let before = Self.labels.prefix(1000)
    for n in 1...64 {
      let assigned = before.map { FleetShard.shard(of: $0, count: n) }
      // The function reads only the target: recomputed after more targets exist, it agrees.
      let grown = Array(before) + (0..<300).map { "10.0.0.9:5432/new_\($0)" }
      let after = grown.prefix(1000).map { FleetShard.shard(of: $0, count: n) }
      #expect(assigned == after, "N=\(n)")
    }
  }

  @Test("going from N to N+1 shards moves about 1/(N+1) of the targets, all into the new shard")
  func growingNMovesOnlyToTheNewShard() {
    for n in 1..<64 {
      var moved = 0
      for label in Self.labels {
        let old = FleetShard.shard(of: label, count: n)
        let new = FleetShard.shard(of: label, count: n + 1)
        if old != new {
          moved += 1
          #expect(new == n + 1, "N=\(n) \(label) moved to \(new)")
        }
      }
      let expected = Double(Self.labels.count) / Double(n + 1)
      #expect(Double(moved) < expected * 1.5, "N=\(n): \(moved) moved")
    }
  }

  @Test("K/N is read strictly: 1 ≤ K ≤ N, both whole numbers")
  func parsing() {
    #expect(FleetShard(parsing: "2/4") == FleetShard(index: 2, count: 4))
    #expect(FleetShard(parsing: "1/1")?.description == "1/1")
    for bad in ["0/4", "5/4", "4", "a/b", "1/0", "-1/4", "1/4/2", "", "/", "2/ 4"] {
      #expect(FleetShard(parsing: bad) == nil, "\(bad)")
    }
  }
}

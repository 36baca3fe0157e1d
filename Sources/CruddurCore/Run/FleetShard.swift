/// `--shard K/N`: which part of a fleet one process runs, by rendezvous (highest random
/// weight) hashing: each target goes to the shard whose (target, shard) hash is highest.
/// So for every N the shards are disjoint and cover the fleet, every machine computes the
/// same split from the target alone (no list to agree on), and adding a target moves no
/// other target (removing one moves none either); only changing N moves about 1/N of them.
public struct FleetShard: Sendable, Hashable, CustomStringConvertible {
  /// 1-based, as people count shards (`--shard 1/4` … `--shard 4/4`).
  public let index: Int
  public let count: Int

  public init?(index: Int, count: Int) {
    guard count >= 1, index >= 1, index <= count else { return nil }
    self.index = index
    self.count = count
  }

  /// "2/4"; nil for anything else (the caller says what is wrong).
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
    self.init(index: k, count: n)
  }

  public var description: String { "\(index)/\(count)" }

  public func contains(_ key: String) -> Bool { Self.shard(of: key, count: count) == index }

  /// The 1-based shard `key` belongs to among `count`.
  public static func shard(of key: String, count: Int) -> Int {
    let base = fnv1a(key)
    var best = (weight: UInt64(0), shard: 1)
    for shard in 1...count {
      let weight = mix(base ^ mix(UInt64(shard)))
      if shard == 1 || weight > best.weight { best = (weight, shard) }
    }
    return best.shard
  }

  /// FNV-1a over the UTF-8 bytes: fixed, unlike Swift's per-process seeded `Hasher`.
  static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// splitmix64's finaliser: spreads nearby inputs over the whole range.
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}

import Testing

@testable import AxiomCore

@Suite struct Fingerprints {
    /// Shards with overlapping keys: the owner of a key is the first shard holding it; an
    /// exclusion refuses exactly the keys earlier shards own.
    @Test func ownersAreTheFirstShardHoldingAKey() {
        var rng = SeededRNG(seed: 11)
        // Keys from a small range, so shards share many, spread over every top byte (the
        // table sorts by it first).
        let shards = (0..<6).map { _ in
            (0..<400).map { _ in UInt64(rng.below(900)) &* 0x9E37_79B9_7F4A_7C15 }
        }
        var expected: [UInt64: Int] = [:]
        for (k, keys) in shards.enumerated() { for key in keys where expected[key] == nil { expected[key] = k } }
        let owners = FingerprintOwners(shards: shards.count) { shards[$0] }
        for key in Set(shards.joined()) { #expect(owners.owner(key) == expected[key]) }
        #expect(owners.owner(12_345) == nil)
        var set = FingerprintSet()
        set.exclusion = .owned(owners, before: 3)
        for (key, owner) in expected { #expect(set.contains(key) == (owner < 3)) }
        // A key the exclusion refuses is not stored; others are.
        let refused = expected.first { $0.value == 0 }!.key
        #expect(!set.insert(refused) && set.count == 0)
        #expect(set.insert(12_345) && !set.insert(12_345) && set.count == 1)
    }
}

/// An open-addressing set of 64-bit fingerprints (for duplicate detection in the hot loop):
/// inserting is a multiply, a mask and a probe or two, with no hashing of its own.
public struct FingerprintSet: Sendable {
    private var slots: [UInt64]
    private var occupied: [Bool]
    public private(set) var count = 0
    /// Fingerprints that count as present without being stored (another shard's texts): kept
    /// by `removeAll`.
    public var exclusion: FingerprintExclusion?
    /// When non-nil, every fingerprint asked about (`contains`, `insert`) is appended: the keys
    /// whose answer an `exclusion` could have changed. Kept by `removeAll`.
    public var queried: [UInt64]?

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        occupied = Array(repeating: false, count: size)
    }

    public mutating func removeAll() {
        if count == 0 { return }
        for i in occupied.indices { occupied[i] = false }
        count = 0
    }

    /// Whether `key` is present.
    public mutating func contains(_ key: UInt64) -> Bool {
        queried?.append(key)
        if let exclusion, exclusion.excludes(key) { return true }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while occupied[i] {
            if slots[i] == key { return true }
            i = (i + 1) & mask
        }
        return false
    }

    /// Inserts `key`; `false` when it was already present.
    public mutating func insert(_ key: UInt64) -> Bool {
        queried?.append(key)
        if let exclusion, exclusion.excludes(key) { return false }
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while occupied[i] {
            if slots[i] == key { return false }
            i = (i + 1) & mask
        }
        occupied[i] = true
        slots[i] = key
        count += 1
        return true
    }

    private mutating func grow() {
        let old = zip(slots, occupied).filter(\.1).map(\.0)
        slots = Array(repeating: 0, count: slots.count * 2)
        occupied = Array(repeating: false, count: slots.count)
        count = 0
        for k in old { _ = insert(k) }
    }
}

/// Which shard of a split owns each fingerprint: the first (lowest-numbered) shard whose
/// records include it. Built from every shard's fingerprints; a sorted array, so a lookup is a
/// binary search and the table costs 16 bytes per distinct fingerprint.
public struct FingerprintOwners: Sendable {
    struct Entry: Comparable {
        var key: UInt64
        var shard: UInt32
        static func < (a: Entry, b: Entry) -> Bool { (a.key, a.shard) < (b.key, b.shard) }
    }
    private var entries: [Entry] = []

    /// The owners of the fingerprints of shards `0..<count`, read one shard at a time;
    /// `capacity`: the total they hold, or more (the table is allocated once).
    public init(shards count: Int, capacity: Int = 0, fingerprints: (_ shard: Int) throws -> [UInt64]) rethrows {
        entries.reserveCapacity(capacity)
        for shard in 0..<count {
            let keys = try fingerprints(shard)
            for k in keys { entries.append(Entry(key: k, shard: UInt32(shard))) }
        }
        Self.sortInPlace(&entries)
        // Keep the first entry of each run of equal keys: its shard is the owner. (Repeats are
        // rare: the few slots they leave are not worth a copy of the table.)
        var kept = 0
        for i in entries.indices where kept == 0 || entries[kept - 1].key != entries[i].key {
            entries[kept] = entries[i]
            kept += 1
        }
        entries.removeLast(entries.count - kept)
    }

    /// Sorts by key, then shard, without a second table: entries are moved into 256 buckets by
    /// their key's top byte in place (American flag sort), then each bucket is sorted on its
    /// own (whose scratch space is a 256th of the whole).
    static func sortInPlace(_ entries: inout [Entry]) {
        var counts = [Int](repeating: 0, count: 256)
        for e in entries { counts[Int(e.key >> 56)] += 1 }
        var starts = [Int](repeating: 0, count: 257)
        for b in 0..<256 { starts[b + 1] = starts[b] + counts[b] }
        var next = Array(starts[..<256])
        for b in 0..<256 {
            while next[b] < starts[b + 1] {
                let e = entries[next[b]]
                let home = Int(e.key >> 56)
                if home == b {
                    next[b] += 1
                } else {
                    entries.swapAt(next[b], next[home])
                    next[home] += 1
                }
            }
        }
        for b in 0..<256 where counts[b] > 1 { entries[starts[b]..<starts[b + 1]].sort() }
    }

    /// The shard owning `key`, or nil when no shard holds it.
    public func owner(_ key: UInt64) -> Int? {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].key < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < entries.count && entries[lo].key == key ? Int(entries[lo].shard) : nil
    }
}

/// The fingerprints a shard may not use: the texts of the earlier shards of its split.
public indirect enum FingerprintExclusion: Sendable {
    /// Those owned by a shard before `shard`.
    case owned(FingerprintOwners, before: Int)
    /// Those of a set.
    case set(FingerprintSet)

    public func excludes(_ key: UInt64) -> Bool {
        switch self {
        case let .owned(owners, shard):
            guard let owner = owners.owner(key) else { return false }
            return owner < shard
        case var .set(earlier):
            return earlier.contains(key)
        }
    }
}

/// The 64-bit FNV-1a hash, the one byte fingerprint used across axiomc (stream names,
/// duplicate texts, names, reserved words, prompts).
public struct FNV1a: Sendable {
    @usableFromInline var state: UInt64 = 0xCBF2_9CE4_8422_2325
    public var value: UInt64 { state }

    public init() {}

    @inlinable
    public mutating func combine(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    @inlinable
    public mutating func combine<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes { combine(b) }
    }

    /// The hash of `bytes`.
    @inlinable
    public static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var h = FNV1a()
        h.combine(bytes)
        return h.value
    }
}

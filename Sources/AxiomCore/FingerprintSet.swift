/// An open-addressing set of 64-bit fingerprints (for duplicate detection in the hot loop):
/// inserting is a multiply, a mask and a probe or two, with no hashing of its own.
public struct FingerprintSet: Sendable {
    private var slots: [UInt64]
    private var occupied: [Bool]
    public private(set) var count = 0

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
    public func contains(_ key: UInt64) -> Bool {
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

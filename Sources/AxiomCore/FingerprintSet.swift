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

/// Names (byte strings) to numbers, for the few names of one record: an open-addressing table
/// keyed by FNV-1a of the bytes. A lookup reads the bytes where they lie (an array, or a slice
/// of a text) and neither copies them nor runs the standard library's seeded hasher, which
/// hashed a `[UInt8]` key byte by byte and was 13% of `check`'s time.
///
/// It behaves as `[[UInt8]: Int]` filled in order: setting a name again replaces its number.
public struct NameIndex: Sendable {
    /// Every name's bytes, one after another; entry k is `bytes[starts[k]..<starts[k + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var values: [Int] = []
    /// Entry numbers by hash (−1: empty); the capacity is a power of two, at least twice the
    /// entries.
    private var slots = [Int32](repeating: -1, count: 16)

    public init() {}

    /// `names[i]` to `i` (a repeated name to its last place).
    public init(_ names: [String]) {
        for (i, name) in names.enumerated() {
            var name = name
            name.withUTF8 { set($0, i) }
        }
    }

    public var count: Int { values.count }

    public subscript(name: [UInt8]) -> Int? {
        name.withUnsafeBufferPointer { find($0).map { values[$0] } }
    }

    public subscript(name: ArraySlice<UInt8>) -> Int? {
        name.withUnsafeBufferPointer { find($0).map { values[$0] } }
    }

    /// Sets `name`'s number.
    public mutating func set(_ name: [UInt8], _ value: Int) {
        name.withUnsafeBufferPointer { set($0, value) }
    }

    public mutating func set(_ name: UnsafeBufferPointer<UInt8>, _ value: Int) {
        if let entry = find(name) {
            values[entry] = value
            return
        }
        if 2 * (values.count + 1) > slots.count { grow() }
        bytes.append(contentsOf: name)
        starts.append(bytes.count)
        values.append(value)
        place(values.count - 1)
    }

    private static func hash(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The entry holding `name`, if any.
    private func find(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        let mask = slots.count - 1
        var i = Self.hash(name) & mask
        while true {
            let entry = Int(slots[i])
            if entry < 0 { return nil }
            let (s, e) = (starts[entry], starts[entry + 1])
            if e - s == name.count
                && bytes.withUnsafeBufferPointer({ all in
                    name.isEmpty || memcmpEqual(all.baseAddress! + s, name.baseAddress!, name.count)
                })
            {
                return entry
            }
            i = (i + 1) & mask
        }
    }

    private mutating func place(_ entry: Int) {
        let mask = slots.count - 1
        var i =
            bytes.withUnsafeBufferPointer { all in
                Self.hash(UnsafeBufferPointer(rebasing: all[starts[entry]..<starts[entry + 1]]))
            } & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(entry)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for entry in values.indices { place(entry) }
    }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for k in 0..<count where a[k] != b[k] { return false }
    return true
}

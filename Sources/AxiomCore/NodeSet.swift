/// Bit-parallel helpers over rows of `UInt64` words: a node set for a graph of `n` nodes is
/// `(n + 63) / 64` words, stored inline in a larger flat array at some offset.
@usableFromInline
enum Bits {
    @inlinable
    static func words(for nodeCount: Int) -> Int { (nodeCount + 63) >> 6 }

    @inlinable
    static func test(_ a: UnsafePointer<UInt64>, _ i: Int) -> Bool {
        a[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    @inlinable
    static func set(_ a: UnsafeMutablePointer<UInt64>, _ i: Int) {
        a[i >> 6] |= 1 << UInt64(i & 63)
    }

    /// `next = ⋃ rows[v] for v in set`: one breadth-first step over bit rows (children or
    /// parents), the loop every graph search here is built on.
    @inlinable
    static func unionOfRows(
        _ rows: UnsafePointer<UInt64>,
        of set: UnsafePointer<UInt64>,
        words: Int,
        into next: UnsafeMutablePointer<UInt64>
    ) {
        for k in 0..<words { next[k] = 0 }
        for k in 0..<words {
            var word = set[k]
            while word != 0 {
                let row = (k << 6 | word.trailingZeroBitCount) * words
                word &= word &- 1
                for j in 0..<words { next[j] |= rows[row + j] }
            }
        }
    }
}

extension Array where Element == UInt64 {
    @inlinable
    func testBit(_ i: Int) -> Bool { self[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    @inlinable
    mutating func setBit(_ i: Int) { self[i >> 6] |= 1 << UInt64(i & 63) }

    @inlinable
    func testBit(row: Int, words: Int, _ i: Int) -> Bool {
        self[row &* words &+ (i >> 6)] & (1 << UInt64(i & 63)) != 0
    }

    @inlinable
    mutating func setBit(row: Int, words: Int, _ i: Int) {
        self[row &* words &+ (i >> 6)] |= 1 << UInt64(i & 63)
    }

    /// Resets to `count` zero words, keeping capacity.
    @inlinable
    mutating func resetZero(count: Int) {
        if self.count == count {
            for i in 0..<count { self[i] = 0 }
        } else {
            removeAll(keepingCapacity: true)
            append(contentsOf: repeatElement(0, count: count))
        }
    }
}

/// Calls `body` with each set bit index in a row of `words` words starting at `offset`.
@inlinable
func forEachBit(_ bits: [UInt64], offset: Int, words: Int, _ body: (Int) -> Void) {
    for w in 0..<words {
        var word = bits[offset + w]
        while word != 0 {
            let t = word.trailingZeroBitCount
            body(w << 6 | t)
            word &= word &- 1
        }
    }
}

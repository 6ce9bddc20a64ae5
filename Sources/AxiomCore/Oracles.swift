/// The second, independent algorithms that cross-check the rule engine.
///
/// They share nothing with `RuleEngine` but the graph: transitivity by a bit-parallel
/// breadth-first search from the cause, d-separation by separation in the moralized ancestral
/// graph (Lauritzen's criterion), not by active trails.
public struct Oracles: Sendable {
    private var scratch: [UInt64] = []

    public init() {}

    private var sourceRow: [UInt64] = []
    private var sourceScratch: [UInt64] = []
    private var source = -1

    /// Forgets the descendants cached by `causes(from:to:in:)`; call when the graph changes.
    public mutating func forgetSource() { source = -1 }

    /// Whether a directed path `x → … → y` exists in `graph`, by a breadth-first search from `x`
    /// over bit rows, cached for further questions about the same `x` (until `forgetSource`).
    ///
    /// - Complexity: O(nodes reached × words) for a new `x`, O(1) after.
    public mutating func causes(from x: Int, to y: Int, in graph: CausalGraph) -> Bool {
        if source != x {
            graph.descendants(of: x, into: &sourceRow, scratch: &sourceScratch)
            source = x
        }
        return x != y && sourceRow.testBit(y)
    }

    /// `dSeparated` for graphs of at most 64 nodes: every node set is one word.
    static func dSeparatedSmall(_ graph: CausalGraph, _ x: Int, _ y: Int, given z: some Sequence<Int>) -> Bool {
        graph.parentBits.withUnsafeBufferPointer { parents in
            graph.childBits.withUnsafeBufferPointer { children in
                var zset: UInt64 = 0
                for v in z { zset |= 1 << UInt64(v) }
                // Ancestral set of {x, y} ∪ z.
                var anc = zset | 1 << UInt64(x) | 1 << UInt64(y)
                var frontier = anc
                while frontier != 0 {
                    var next: UInt64 = 0
                    var f = frontier
                    while f != 0 {
                        next |= parents[f.trailingZeroBitCount]
                        f &= f &- 1
                    }
                    frontier = next & ~anc
                    anc |= frontier
                }
                // Undirected search in the moral graph of anc, z removed.
                let target: UInt64 = 1 << UInt64(y)
                var visited: UInt64 = 1 << UInt64(x)
                frontier = visited
                while frontier != 0 {
                    var next: UInt64 = 0
                    var f = frontier
                    while f != 0 {
                        let v = f.trailingZeroBitCount
                        f &= f &- 1
                        let kids = children[v] & anc
                        next |= parents[v] | kids
                        var k = kids
                        while k != 0 {
                            next |= parents[k.trailingZeroBitCount]
                            k &= k &- 1
                        }
                    }
                    frontier = next & anc & ~zset & ~visited
                    visited |= frontier
                    if visited & target != 0 { return false }
                }
                return true
            }
        }
    }

    /// Whether `x` and `y` are d-separated given `z` in `graph` (moralized ancestral graph).
    ///
    /// `x`, `y` must not be in `z`. Allocation-free after the first call for a graph size.
    public mutating func dSeparated(_ graph: CausalGraph, _ x: Int, _ y: Int, given z: some Sequence<Int>) -> Bool {
        let w = graph.words
        if w == 1 { return Oracles.dSeparatedSmall(graph, x, y, given: z) }
        // scratch layout: [anc | zset | visited | frontier | next]
        scratch.resetZero(count: 5 * w)
        return scratch.withUnsafeMutableBufferPointer { buf -> Bool in
            let anc = buf.baseAddress!
            let zset = anc + w
            let visited = zset + w
            let frontier = visited + w
            let next = frontier + w
            return graph.parentBits.withUnsafeBufferPointer { parentsBuf -> Bool in
                graph.childBits.withUnsafeBufferPointer { childrenBuf -> Bool in
                    let parents = parentsBuf.baseAddress!
                    let children = childrenBuf.baseAddress!
                    for v in z { Bits.set(zset, v) }
                    // Ancestral set of {x, y} ∪ z.
                    Bits.set(anc, x)
                    Bits.set(anc, y)
                    for k in 0..<w {
                        anc[k] |= zset[k]
                        frontier[k] = anc[k]
                    }
                    while true {
                        var any = false
                        Bits.unionOfRows(parents, of: frontier, words: w, into: next)
                        for k in 0..<w {
                            let fresh = next[k] & ~anc[k]
                            anc[k] |= fresh
                            frontier[k] = fresh
                            if fresh != 0 { any = true }
                        }
                        if !any { break }
                    }
                    // Undirected search in the moral graph of anc, with z removed.
                    for k in 0..<w {
                        visited[k] = 0
                        frontier[k] = 0
                    }
                    Bits.set(visited, x)
                    Bits.set(frontier, x)
                    while true {
                        var any = false
                        for k in 0..<w { next[k] = 0 }
                        for k in 0..<w {
                            var word = frontier[k]
                            while word != 0 {
                                let v = k << 6 | word.trailingZeroBitCount
                                word &= word &- 1
                                let row = v * w
                                for j in 0..<w { next[j] |= parents[row + j] | (children[row + j] & anc[j]) }
                                // Married co-parents: parents of each child of v inside the ancestral set.
                                for j in 0..<w {
                                    var cw = children[row + j] & anc[j]
                                    while cw != 0 {
                                        let c = j << 6 | cw.trailingZeroBitCount
                                        cw &= cw &- 1
                                        for i in 0..<w { next[i] |= parents[c * w + i] }
                                    }
                                }
                            }
                        }
                        for k in 0..<w {
                            let fresh = next[k] & anc[k] & ~zset[k] & ~visited[k]
                            visited[k] |= fresh
                            frontier[k] = fresh
                            if fresh != 0 { any = true }
                        }
                        if Bits.test(UnsafePointer(visited), y) { return false }
                        if !any { return true }
                    }
                }
            }
        }
    }
}

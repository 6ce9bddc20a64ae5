/// Graph identity up to renaming nodes: a Weisfeiler–Lehman hash to bucket graphs, and an exact
/// backtracking test for graphs whose hashes agree.
public enum Isomorphism {
    /// A hash equal for isomorphic graphs (and, rarely, for some non-isomorphic ones).
    public static func hash(_ g: CausalGraph) -> UInt64 {
        let colors = refinedColors(g)
        return mixAll(colors.sorted(), seed: UInt64(g.nodeCount) &* 31 &+ UInt64(g.edges.count))
    }

    /// Node colors after three rounds of refinement by in- and out-neighbour colors.
    static func refinedColors(_ g: CausalGraph) -> [UInt64] {
        let n = g.nodeCount
        var colors = (0..<n).map { v in
            UInt64(g.parents(of: v).count) << 32 | UInt64(g.children(of: v).count)
        }
        let parents = (0..<n).map(g.parents(of:))
        let children = (0..<n).map(g.children(of:))
        for _ in 0..<3 {
            colors = (0..<n).map { v in
                let up = mixAll(parents[v].map { colors[$0] }.sorted(), seed: 0x51)
                let down = mixAll(children[v].map { colors[$0] }.sorted(), seed: 0x52)
                return mixAll([colors[v], up, down], seed: 0x53)
            }
        }
        return colors
    }

    static func mixAll(_ values: [UInt64], seed: UInt64) -> UInt64 {
        var h = seed
        for v in values { h = SeededRNG.derive(h, v, 0x1F) }
        return h
    }

    /// Whether `a` and `b` are the same graph up to renaming nodes.
    public static func isomorphic(_ a: CausalGraph, _ b: CausalGraph) -> Bool {
        guard a.nodeCount == b.nodeCount, a.edges.count == b.edges.count else { return false }
        let ca = refinedColors(a)
        let cb = refinedColors(b)
        guard ca.sorted() == cb.sorted() else { return false }
        let n = a.nodeCount
        var map = [Int](repeating: -1, count: n)
        var used = [Bool](repeating: false, count: n)
        // Map nodes of a in order of rarest color first.
        let frequency = Dictionary(ca.map { ($0, 1) }, uniquingKeysWith: +)
        let order = (0..<n).sorted { (frequency[ca[$0]]!, $0) < (frequency[ca[$1]]!, $1) }
        func extend(_ k: Int) -> Bool {
            if k == n { return true }
            let v = order[k]
            for w in 0..<n where !used[w] && cb[w] == ca[v] {
                var ok = true
                for j in 0..<k {
                    let u = order[j]
                    let mu = map[u]
                    if a.hasEdge(u, v) != b.hasEdge(mu, w) || a.hasEdge(v, u) != b.hasEdge(w, mu) {
                        ok = false
                        break
                    }
                }
                guard ok else { continue }
                map[v] = w
                used[w] = true
                if extend(k + 1) { return true }
                map[v] = -1
                used[w] = false
            }
            return false
        }
        return extend(0)
    }
}

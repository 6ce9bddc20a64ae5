@testable import AxiomCore

/// Definition-level answers by exhaustive path enumeration, sharing no code with the engine
/// or the oracles: plain edge lists, recursion, no bitsets.
enum BruteForce {
    static func causes(_ edges: [(Int, Int)], _ n: Int, _ x: Int, _ y: Int) -> Bool {
        guard x != y else { return false }
        var seen = Set<Int>()
        func visit(_ v: Int) -> Bool {
            if v == y { return true }
            if !seen.insert(v).inserted { return false }
            return edges.contains { $0.0 == v && visit($0.1) }
        }
        return visit(x)
    }

    static func descendantsOrSelf(_ edges: [(Int, Int)], _ v: Int) -> Set<Int> {
        var out: Set<Int> = [v]
        var stack = [v]
        while let u = stack.popLast() {
            for e in edges where e.0 == u && out.insert(e.1).inserted { stack.append(e.1) }
        }
        return out
    }

    /// D-separated iff no simple undirected path from x to y is active given z.
    static func dSeparated(_ edges: [(Int, Int)], _ n: Int, _ x: Int, _ y: Int, _ z: [Int]) -> Bool {
        let zset = Set(z)
        func edge(_ a: Int, _ b: Int) -> Bool { edges.contains { $0 == (a, b) } }
        var path = [x]
        func active() -> Bool {
            for i in 1..<(path.count - 1) {
                let (a, v, b) = (path[i - 1], path[i], path[i + 1])
                if edge(a, v) && edge(b, v) {
                    if descendantsOrSelf(edges, v).isDisjoint(with: zset) { return false }
                } else if zset.contains(v) {
                    return false
                }
            }
            return true
        }
        func search() -> Bool {
            let v = path.last!
            if v == y { return active() }
            for u in 0..<n where !path.contains(u) && (edge(v, u) || edge(u, v)) {
                path.append(u)
                if search() { return true }
                path.removeLast()
            }
            return false
        }
        return !search()
    }
}

/// All DAGs on `n` nodes up to relabeling: every subset of the forward pairs i < j.
func allDAGs(_ n: Int) -> [[(Int, Int)]] {
    var pairs: [(Int, Int)] = []
    for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { pairs.append((i, j)) } }
    return (0..<(1 << pairs.count)).map { mask in
        pairs.indices.filter { mask & (1 << $0) != 0 }.map { pairs[$0] }
    }
}

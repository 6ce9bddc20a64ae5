/// The second algorithm of `CorrelationToCausation`, kept apart from the rule side
/// (`MarkovClass`): it shares no code with it.
extension CorrelationToCausation {
    /// Enumerates every orientation of the skeleton (adjacent: no statement names the pair) that
    /// is acyclic and has exactly the unshielded colliders the statements imply (m is a collider
    /// of a – m – c iff no statement separating a and c holds m), and tests each relation in each
    /// by search over the orientation's edge rows.
    ///
    /// - Complexity: 2^|skeleton edges| orientations.
    static func classLabels(_ model: IndependenceModel) -> [Bool] {
        let n = model.nodeCount
        let (separated, holdsM) = separations(model)
        func adjacent(_ a: Int, _ b: Int) -> Bool { a != b && !separated.contains(min(a, b) * n + max(a, b)) }
        var edges: [(Int, Int)] = []
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) where !separated.contains(a * n + b) { edges.append((a, b)) }
        }
        // Every unshielded triple a – m – c (a < c), and whether the statements make m a collider.
        var triples: [(a: Int, m: Int, c: Int, collider: Bool)] = []
        for m in 0..<n {
            for a in 0..<n where adjacent(a, m) {
                for c in (a + 1)..<max(a + 1, n) where adjacent(c, m) && !adjacent(a, c) {
                    triples.append((a, m, c, !holdsM.contains((a * n + c) * n + m)))
                }
            }
        }
        var out = [Bool](repeating: true, count: 6 * n * n)
        precondition(edges.count <= 30, "a skeleton of \(edges.count) edges is too large to enumerate")
        var children = [UInt64](repeating: 0, count: n)
        var parents = [UInt64](repeating: 0, count: n)
        for mask in 0..<(1 << edges.count) {
            for v in 0..<n {
                children[v] = 0
                parents[v] = 0
            }
            for (i, e) in edges.enumerated() {
                let (f, t) = mask & (1 << i) == 0 ? e : (e.1, e.0)
                children[f] |= 1 << UInt64(t)
                parents[t] |= 1 << UInt64(f)
            }
            // Colliders first (cheap), then acyclicity.
            guard
                triples.allSatisfy({ t in
                    (parents[t.m] >> UInt64(t.a) & 1 == 1 && parents[t.m] >> UInt64(t.c) & 1 == 1) == t.collider
                }),
                isAcyclic(parents: parents)
            else { continue }
            clearFalseRelations(children: children, parents: parents, in: &out)
        }
        return out
    }

    /// The pairs some statement separates (a·n + b, a < b), and (a, c, m) as (a·n + c)·n + m
    /// where m is in some set separating a and c.
    private static func separations(_ model: IndependenceModel) -> (pairs: Set<Int>, holding: Set<Int>) {
        let n = model.nodeCount
        var separated = Set<Int>()
        var holdsM = Set<Int>()
        for s in model.independencies {
            separated.insert(s.a * n + s.b)
            for m in 0..<n where s.given >> UInt64(m) & 1 == 1 { holdsM.insert((s.a * n + s.b) * n + m) }
        }
        return (separated, holdsM)
    }

    /// Whether peeling nodes without remaining parents empties the graph.
    private static func isAcyclic(parents: [UInt64]) -> Bool {
        let n = parents.count
        var left: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
        var peeled = true
        while left != 0 && peeled {
            peeled = false
            var m = left
            while m != 0 {
                let v = m.trailingZeroBitCount
                m &= m - 1
                if parents[v] & left == 0 {
                    left &= ~(1 << UInt64(v))
                    peeled = true
                }
            }
        }
        return left == 0
    }

    /// Marks false, in `out`, each relation (r, x, y) that this member of the class does not
    /// have: parent, ancestor, child, descendant, common effect, common cause.
    private static func clearFalseRelations(children: [UInt64], parents: [UInt64], in out: inout [Bool]) {
        let n = children.count
        for x in 0..<n {
            let down = reach(x, avoiding: -1, children)
            for y in 0..<n where x != y {
                let bx: UInt64 = 1 << UInt64(x)
                let by: UInt64 = 1 << UInt64(y)
                let parent = children[x] & by != 0
                let child = children[y] & bx != 0
                let others = ~(bx | by)
                let values = [
                    parent,
                    !parent && down & by != 0,
                    child,
                    !child && reach(y, avoiding: -1, children) & bx != 0,
                    reach(x, avoiding: y, children) & reach(y, avoiding: x, children) & others != 0,
                    reach(x, avoiding: y, parents) & reach(y, avoiding: x, parents) & others != 0,
                ]
                for r in 0..<6 where !values[r] { out[(r * n + x) * n + y] = false }
            }
        }
    }

    /// Nodes reachable from `from` along `rows` in at least one step, never entering `avoiding`.
    private static func reach(_ from: Int, avoiding: Int, _ rows: [UInt64]) -> UInt64 {
        let blocked: UInt64 = avoiding >= 0 ? 1 << UInt64(avoiding) : 0
        var found = rows[from] & ~blocked
        var grew = true
        while grew {
            grew = false
            var next = found
            var m = found
            while m != 0 {
                next |= rows[m.trailingZeroBitCount] & ~blocked
                m &= m - 1
            }
            if next != found {
                found = next
                grew = true
            }
        }
        return found
    }
}

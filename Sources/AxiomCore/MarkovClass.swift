/// The Markov equivalence class of a hidden DAG, inferred from its independence statements the
/// way the PC algorithm does: skeleton, unshielded colliders, Meek's rules R1–R4 to a CPDAG,
/// then every consistent extension (the class's members). The rule engine of
/// `CorrelationToCausation`; every inference is logged as a step for proofs.
///
/// Masks are `UInt64` rows, so at most 64 variables.
public struct MarkovClass: Sendable {
    /// One logged inference (see `Rule`).
    public struct Step: Sendable, Hashable {
        public var rule: Rule
        public var a: Int, b: Int, c: Int, d: Int
        /// The separating set of a `.separated` step.
        public var given: UInt64
    }

    public enum Rule: Int, Sendable, Hashable {
        /// a and b are independent given `given` (the premise's first statement for the pair), so not adjacent.
        case separated
        /// No independence separates a and b, so they are adjacent.
        case adjacent
        /// a – b – c unshielded, b not in the set separating a and c: a → b ← c.
        case collider
        /// Meek R1: c → a, a – b, c and b not adjacent ⇒ a → b.
        case meek1
        /// Meek R2: a → c → b, a – b ⇒ a → b.
        case meek2
        /// Meek R3: a – c → b, a – d → b, a – b, c and d not adjacent ⇒ a → b.
        case meek3
        /// Meek R4: c → d → b, a – b, a adjacent to c and d, c and b not adjacent ⇒ a → b.
        case meek4
    }

    public private(set) var nodeCount = 0
    /// Skeleton rows: bit b of `adjacent[a]`.
    public private(set) var adjacent: [UInt64] = []
    /// CPDAG orientations: bit b of `directed[a]` is a → b.
    public private(set) var directed: [UInt64] = []
    /// Every inference, in order: skeleton facts, colliders, Meek orientations.
    public private(set) var steps: [Step] = []
    /// The class's members: `nodeCount` child rows each.
    public private(set) var members: [UInt64] = []
    public var memberCount: Int { nodeCount == 0 ? 0 : members.count / nodeCount }

    public init() {}

    /// Infers the class from `model`'s statements (never from a graph).
    public init(_ model: IndependenceModel) {
        let n = model.nodeCount
        nodeCount = n
        adjacent = [UInt64](repeating: 0, count: n)
        directed = [UInt64](repeating: 0, count: n)
        // The first listed separating set of each pair (the smallest).
        var sepset = [UInt64?](repeating: nil, count: n * n)
        for s in model.independencies where sepset[s.a * n + s.b] == nil {
            sepset[s.a * n + s.b] = s.given
            sepset[s.b * n + s.a] = s.given
        }
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) {
                if let z = sepset[a * n + b] {
                    steps.append(Step(rule: .separated, a: a, b: b, c: 0, d: 0, given: z))
                } else {
                    adjacent[a] |= 1 << UInt64(b)
                    adjacent[b] |= 1 << UInt64(a)
                    steps.append(Step(rule: .adjacent, a: a, b: b, c: 0, d: 0, given: 0))
                }
            }
        }
        // Unshielded colliders.
        for m in 0..<n {
            for a in 0..<n where isAdjacent(a, m) {
                for c in (a + 1)..<max(a + 1, n) where isAdjacent(c, m) && !isAdjacent(a, c) {
                    guard let z = sepset[a * n + c], z & (1 << UInt64(m)) == 0 else { continue }
                    directed[a] |= 1 << UInt64(m)
                    directed[c] |= 1 << UInt64(m)
                    steps.append(Step(rule: .collider, a: a, b: m, c: c, d: 0, given: 0))
                }
            }
        }
        applyMeek()
        enumerateMembers()
    }

    public func isAdjacent(_ a: Int, _ b: Int) -> Bool { adjacent[a] & (1 << UInt64(b)) != 0 }
    public func isDirected(_ a: Int, _ b: Int) -> Bool { directed[a] & (1 << UInt64(b)) != 0 }
    public func isUndirected(_ a: Int, _ b: Int) -> Bool { isAdjacent(a, b) && !isDirected(a, b) && !isDirected(b, a) }

    private mutating func orient(_ a: Int, _ b: Int, _ rule: Rule, _ c: Int, _ d: Int = -1) {
        directed[a] |= 1 << UInt64(b)
        steps.append(Step(rule: rule, a: a, b: b, c: c, d: d, given: 0))
    }

    /// Meek's rules to a fixpoint.
    private mutating func applyMeek() {
        let n = nodeCount
        var changed = true
        while changed {
            changed = false
            for a in 0..<n {
                for b in 0..<n where a != b && isUndirected(a, b) {
                    if let c = (0..<n).first(where: { isDirected($0, a) && $0 != b && !isAdjacent($0, b) }) {
                        orient(a, b, .meek1, c)
                        changed = true
                        continue
                    }
                    if let c = (0..<n).first(where: { isDirected(a, $0) && isDirected($0, b) }) {
                        orient(a, b, .meek2, c)
                        changed = true
                        continue
                    }
                    var r3: (Int, Int)?
                    search: for c in 0..<n where isUndirected(a, c) && isDirected(c, b) {
                        for d in (c + 1)..<max(c + 1, n)
                        where isUndirected(a, d) && isDirected(d, b) && !isAdjacent(c, d) {
                            r3 = (c, d)
                            break search
                        }
                    }
                    if let (c, d) = r3 {
                        orient(a, b, .meek3, c, d)
                        changed = true
                        continue
                    }
                    var r4: (Int, Int)?
                    search4: for d in 0..<n where isDirected(d, b) && isAdjacent(a, d) {
                        for c in 0..<n where c != a && isDirected(c, d) && isAdjacent(a, c) && !isAdjacent(c, b) {
                            r4 = (c, d)
                            break search4
                        }
                    }
                    if let (c, d) = r4 {
                        orient(a, b, .meek4, c, d)
                        changed = true
                    }
                }
            }
        }
    }

    /// Every orientation of the CPDAG's undirected edges that is acyclic and makes no new
    /// unshielded collider, by backtracking.
    private mutating func enumerateMembers() {
        let n = nodeCount
        var undirected: [(Int, Int)] = []
        for a in 0..<n { for b in (a + 1)..<max(a + 1, n) where isUndirected(a, b) { undirected.append((a, b)) } }
        var rows = directed
        func reaches(_ from: Int, _ to: Int) -> Bool {
            var seen: UInt64 = 1 << UInt64(from)
            var stack = seen
            while stack != 0 {
                let v = stack.trailingZeroBitCount
                stack &= stack &- 1
                if v == to { return true }
                let next = rows[v] & ~seen
                seen |= next
                stack |= next
            }
            return false
        }
        func parents(_ v: Int) -> UInt64 {
            var p: UInt64 = 0
            for u in 0..<n where rows[u] & (1 << UInt64(v)) != 0 { p |= 1 << UInt64(u) }
            return p
        }
        func go(_ i: Int) {
            if i == undirected.count {
                members.append(contentsOf: rows)
                return
            }
            for flip in [false, true] {
                let (a, b) = flip ? (undirected[i].1, undirected[i].0) : undirected[i]
                // a → b must close no cycle and meet no other arrow into b from a node not adjacent to a.
                if reaches(b, a) { continue }
                if parents(b) & ~adjacent[a] & ~(1 << UInt64(a)) != 0 { continue }
                rows[a] |= 1 << UInt64(b)
                go(i + 1)
                rows[a] &= ~(1 << UInt64(b))
            }
        }
        go(0)
    }

    /// One member as a graph (for reading text back: a DAG with exactly these statements when
    /// they are faithful to some DAG).
    public func member(_ k: Int) -> CausalGraph {
        var g = CausalGraph(nodeCount: nodeCount)
        for a in 0..<nodeCount {
            var row = members[k * nodeCount + a]
            while row != 0 {
                g.addEdge(a, row.trailingZeroBitCount)
                row &= row &- 1
            }
        }
        return g
    }
}

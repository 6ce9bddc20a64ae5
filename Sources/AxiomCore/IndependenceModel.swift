/// Every statistical relation a DAG implies among its variables, as Corr2Cause lists them: the
/// pairs that correlate (not marginally independent), then every (conditional) independence
/// `a ⊥ b | S` for every conditioning set S of the other variables.
///
/// Statements are computed by d-separation (moralized ancestral graph, `UInt64` masks), so a
/// model holds at most 64 variables; the number of statements grows as n² · 2^(n-2).
public struct IndependenceModel: Sendable, Equatable {
    /// One independence `a ⊥ b | given` (a < b; `given` a bit mask of nodes).
    public struct Statement: Sendable, Hashable {
        public var a: Int
        public var b: Int
        public var given: UInt64
        public init(_ a: Int, _ b: Int, given: UInt64) {
            self.a = min(a, b)
            self.b = max(a, b)
            self.given = given
        }
    }

    public private(set) var nodeCount: Int
    /// Pairs (a < b) that are not marginally independent, ascending.
    public private(set) var correlated: [(Int, Int)] = []
    /// Independence statements: by pair (ascending), then by |given|, then by mask.
    public private(set) var independencies: [Statement] = []

    public init(nodeCount: Int = 0) { self.nodeCount = nodeCount }

    /// The statements `graph` implies by d-separation.
    ///
    /// - Complexity: O(n² · 2^(n-2) · n) word operations.
    public init(_ graph: CausalGraph) {
        precondition(graph.nodeCount <= 64, "an independence model holds at most 64 variables")
        nodeCount = graph.nodeCount
        let n = graph.nodeCount
        var parents = [UInt64](repeating: 0, count: n)
        for e in graph.edges { parents[e.to] |= 1 << UInt64(e.from) }
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) {
                let others = (0..<n).filter { $0 != a && $0 != b }
                var found: [UInt64] = []
                for sub in 0..<(1 << others.count) {
                    var mask: UInt64 = 0
                    for (i, v) in others.enumerated() where sub & (1 << i) != 0 { mask |= 1 << UInt64(v) }
                    if Self.separated(a, b, given: mask, parents: parents) { found.append(mask) }
                }
                if !found.contains(0) { correlated.append((a, b)) }
                found.sort(by: Self.precedes)
                for m in found { independencies.append(Statement(a, b, given: m)) }
            }
        }
    }

    /// Builds a model from stated relations (read back from text); `canonical` order is restored.
    public init(nodeCount: Int, independencies: [Statement]) {
        self.nodeCount = nodeCount
        let set = Set(independencies)
        let sorted = set.sorted { l, r in
            (l.a, l.b) != (r.a, r.b) ? (l.a, l.b) < (r.a, r.b) : Self.precedes(l.given, r.given)
        }
        self.independencies = sorted
        for a in 0..<nodeCount {
            for b in (a + 1)..<max(a + 1, nodeCount) where !set.contains(Statement(a, b, given: 0)) {
                correlated.append((a, b))
            }
        }
    }

    /// Smaller sets first; among sets of one size, by their members in ascending order.
    static func precedes(_ l: UInt64, _ r: UInt64) -> Bool {
        if l.nonzeroBitCount != r.nonzeroBitCount { return l.nonzeroBitCount < r.nonzeroBitCount }
        let d = l ^ r
        return d != 0 && l & (d & (0 &- d)) != 0
    }

    /// A mask's members packed low to high, for ordering masks of equal size by their smallest nodes.
    public static func ranks(_ mask: UInt64) -> [Int] {
        var out: [Int] = []
        var m = mask
        while m != 0 {
            out.append(m.trailingZeroBitCount)
            m &= m &- 1
        }
        return out
    }

    /// d-separation of a and b given `z`: disconnected in the moral graph of the ancestors of
    /// {a, b} ∪ z, after removing z.
    static func separated(_ a: Int, _ b: Int, given z: UInt64, parents: [UInt64]) -> Bool {
        var anc: UInt64 = (1 << UInt64(a)) | (1 << UInt64(b)) | z
        var frontier = anc
        while frontier != 0 {
            let v = frontier.trailingZeroBitCount
            frontier &= frontier &- 1
            let new = parents[v] & ~anc
            anc |= new
            frontier |= new
        }
        // Moral graph neighbours within `anc`, minus z.
        var reached: UInt64 = 1 << UInt64(a)
        var stack: UInt64 = reached
        let allowed = anc & ~z
        while stack != 0 {
            let v = stack.trailingZeroBitCount
            stack &= stack &- 1
            var nb = parents[v]
            // children of v within anc, and their other parents (married)
            var m = anc
            while m != 0 {
                let c = m.trailingZeroBitCount
                m &= m &- 1
                if parents[c] & (1 << UInt64(v)) != 0 { nb |= (1 << UInt64(c)) | parents[c] }
            }
            nb &= allowed & ~reached
            reached |= nb
            stack |= nb
        }
        return reached & (1 << UInt64(b)) == 0
    }

    public static func == (l: IndependenceModel, r: IndependenceModel) -> Bool {
        l.nodeCount == r.nodeCount && l.independencies == r.independencies
    }

    /// The model with nodes renamed by `map` (old index → new index).
    public func relabeled(_ map: [Int], nodeCount: Int) -> IndependenceModel {
        let statements = independencies.map { s -> Statement in
            var m: UInt64 = 0
            for v in Self.ranks(s.given) { m |= 1 << UInt64(map[v]) }
            return Statement(map[s.a], map[s.b], given: m)
        }
        return IndependenceModel(nodeCount: nodeCount, independencies: statements)
    }
}

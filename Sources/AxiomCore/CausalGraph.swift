/// A directed acyclic causal graph over nodes `0..<nodeCount`; an edge `a → b` reads "a causes b".
///
/// Nodes are indices; names belong to the grammar layer. Edges keep the order in which they were
/// added (the "graph order" a premise can be listed in). Parent and child sets are bit rows, so
/// membership and set algebra cost one word per 64 nodes. `reset(nodeCount:)` reuses storage, so
/// a generator can refill one graph value without allocating.
public struct CausalGraph: Sendable, Equatable {
    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        public init(_ from: Int, _ to: Int) {
            self.from = from
            self.to = to
        }
    }

    public private(set) var nodeCount: Int
    public private(set) var edges: [Edge]
    /// Words per node set: `(nodeCount + 63) / 64`.
    public private(set) var words: Int
    /// Row `v` (at `v * words`) holds the children of `v`.
    public private(set) var childBits: [UInt64]
    /// Row `v` (at `v * words`) holds the parents of `v`.
    public private(set) var parentBits: [UInt64]

    public init(nodeCount: Int = 0) {
        self.nodeCount = 0
        self.edges = []
        self.words = 0
        self.childBits = []
        self.parentBits = []
        reset(nodeCount: nodeCount)
    }

    /// Creates a graph from an edge list; the edges must be valid (see `validate`).
    public init(nodeCount: Int, edges: [(Int, Int)]) {
        self.init(nodeCount: nodeCount)
        for (a, b) in edges { addEdge(a, b) }
    }

    /// Empties the graph and resizes it to `nodeCount` nodes, keeping allocated capacity.
    public mutating func reset(nodeCount: Int) {
        precondition(nodeCount >= 0)
        self.nodeCount = nodeCount
        self.words = Bits.words(for: nodeCount)
        edges.removeAll(keepingCapacity: true)
        childBits.resetZero(count: nodeCount * words)
        parentBits.resetZero(count: nodeCount * words)
    }

    /// Adds `from → to`. Duplicate edges are ignored; self-loops are a programming error.
    public mutating func addEdge(_ from: Int, _ to: Int) {
        precondition(from != to && from >= 0 && to >= 0 && from < nodeCount && to < nodeCount)
        if childBits.testBit(row: from, words: words, to) { return }
        childBits.setBit(row: from, words: words, to)
        parentBits.setBit(row: to, words: words, from)
        edges.append(Edge(from, to))
    }

    /// Puts the edge list in random order; the edge set is unchanged.
    public mutating func shuffleEdgeOrder(using rng: inout SeededRNG) {
        rng.shuffle(&edges)
    }

    @inlinable
    public func hasEdge(_ from: Int, _ to: Int) -> Bool {
        childBits.testBit(row: from, words: words, to)
    }

    /// Whether `v` has an edge, so that a premise listing the edges mentions it.
    public func isMentioned(_ v: Int) -> Bool {
        let row = v * words
        for k in 0..<words where childBits[row + k] | parentBits[row + k] != 0 { return true }
        return false
    }

    /// `true` when `a → b` or `b → a`.
    @inlinable
    public func adjacent(_ a: Int, _ b: Int) -> Bool { hasEdge(a, b) || hasEdge(b, a) }

    /// How many stated effects `v` has.
    public func outDegree(of v: Int) -> Int {
        var d = 0
        for k in 0..<words { d += childBits[v * words + k].nonzeroBitCount }
        return d
    }

    /// How many stated causes `v` has.
    public func inDegree(of v: Int) -> Int {
        var d = 0
        for k in 0..<words { d += parentBits[v * words + k].nonzeroBitCount }
        return d
    }

    public func children(of v: Int) -> [Int] {
        var out: [Int] = []
        forEachBit(childBits, offset: v * words, words: words) { out.append($0) }
        return out
    }

    public func parents(of v: Int) -> [Int] {
        var out: [Int] = []
        forEachBit(parentBits, offset: v * words, words: words) { out.append($0) }
        return out
    }

    /// A topological order, or `nil` when the edges contain a cycle (Kahn's algorithm).
    public func topologicalOrder() -> [Int]? {
        var order: [Int] = []
        var indegree: [Int] = []
        topologicalOrder(into: &order, scratch: &indegree)
        return order.count == nodeCount ? order : nil
    }

    /// Writes a topological order into `order`, reusing storage; on a cycle `order` holds fewer
    /// than `nodeCount` nodes.
    public func topologicalOrder(into order: inout [Int], scratch indegree: inout [Int]) {
        indegree.removeAll(keepingCapacity: true)
        indegree.append(contentsOf: repeatElement(0, count: nodeCount))
        for e in edges { indegree[e.to] += 1 }
        order.removeAll(keepingCapacity: true)
        for v in 0..<nodeCount where indegree[v] == 0 { order.append(v) }
        var head = 0
        while head < order.count {
            let v = order[head]
            head += 1
            forEachBit(childBits, offset: v * words, words: words) { c in
                indegree[c] -= 1
                if indegree[c] == 0 { order.append(c) }
            }
        }
    }

    /// A directed cycle as a node sequence (first node repeated at the end), or `nil` if acyclic.
    public func findCycle() -> [Int]? {
        // 0 = unvisited, 1 = on stack, 2 = done.
        var state = [UInt8](repeating: 0, count: nodeCount)
        var parent = [Int](repeating: -1, count: nodeCount)
        for root in 0..<nodeCount where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                let kids = children(of: top.node)
                if top.next < kids.count {
                    stack[stack.count - 1].next += 1
                    let c = kids[top.next]
                    if state[c] == 1 {
                        var cycle = [c]
                        var v = top.node
                        while v != c {
                            cycle.append(v)
                            v = parent[v]
                        }
                        cycle.append(c)
                        return cycle.reversed()
                    }
                    if state[c] == 0 {
                        state[c] = 1
                        parent[c] = top.node
                        stack.append((c, 0))
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
        return nil
    }

    /// Shortest directed path length from `x` to `y` in edges, or `nil` when there is none.
    ///
    /// - Complexity: O(nodes × words) with bit-parallel frontiers.
    public func shortestPathLength(from x: Int, to y: Int, scratch: inout [UInt64]) -> Int? {
        if x == y { return 0 }
        // scratch: [visited | frontier | next]
        scratch.resetZero(count: 3 * words)
        return scratch.withUnsafeMutableBufferPointer { buf -> Int? in
            childBits.withUnsafeBufferPointer { children -> Int? in
                let visited = buf.baseAddress!
                let frontier = visited + words
                let next = frontier + words
                Bits.set(visited, x)
                Bits.set(frontier, x)
                var hops = 0
                while true {
                    hops += 1
                    Bits.unionOfRows(children.baseAddress!, of: frontier, words: words, into: next)
                    var any = false
                    for w in 0..<words {
                        let fresh = next[w] & ~visited[w]
                        frontier[w] = fresh
                        visited[w] |= fresh
                        if fresh != 0 { any = true }
                    }
                    if Bits.test(UnsafePointer(visited), y) { return hops }
                    if !any { return nil }
                }
            }
        }
    }

    /// Writes the descendants of `x` (excluding `x`) into `row` (`words` words), by a
    /// breadth-first search over bit rows; `scratch` is reused storage.
    ///
    /// - Complexity: O(nodes reached × words).
    public func descendants(of x: Int, into row: inout [UInt64], scratch: inout [UInt64]) {
        row.resetZero(count: words)
        scratch.resetZero(count: 2 * words)
        row.withUnsafeMutableBufferPointer { reached in
            scratch.withUnsafeMutableBufferPointer { buf in
                childBits.withUnsafeBufferPointer { children in
                    let frontier = buf.baseAddress!
                    let next = frontier + words
                    Bits.set(frontier, x)
                    var any = true
                    while any {
                        Bits.unionOfRows(children.baseAddress!, of: frontier, words: words, into: next)
                        any = false
                        for k in 0..<words {
                            let fresh = next[k] & ~reached[k]
                            reached[k] |= fresh
                            frontier[k] = fresh
                            if fresh != 0 { any = true }
                        }
                    }
                }
            }
        }
    }

    public static func == (lhs: CausalGraph, rhs: CausalGraph) -> Bool {
        lhs.nodeCount == rhs.nodeCount && lhs.childBits == rhs.childBits
    }
}

extension CausalGraph {
    /// Calls `body` with each child of `v`, in ascending order, without allocating.
    @inlinable
    public func forEachChild(of v: Int, _ body: (Int) -> Void) {
        Self.forEach(childBits, row: v * words, words: words, body)
    }

    /// Calls `body` with each parent of `v`, in ascending order, without allocating.
    @inlinable
    public func forEachParent(of v: Int, _ body: (Int) -> Void) {
        Self.forEach(parentBits, row: v * words, words: words, body)
    }

    @inlinable
    static func forEach(_ bits: [UInt64], row: Int, words: Int, _ body: (Int) -> Void) {
        for k in 0..<words {
            var w = bits[row + k]
            while w != 0 {
                body(k * 64 + w.trailingZeroBitCount)
                w &= w - 1
            }
        }
    }
}

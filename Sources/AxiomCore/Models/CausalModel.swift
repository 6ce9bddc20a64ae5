/// A variable taking a value: `X = 1` is `Literal(x, true)`.
public struct Literal: Sendable, Hashable {
    public var node: Int
    public var value: Bool
    public init(_ node: Int, _ value: Bool) {
        self.node = node
        self.value = value
    }
}

/// A causal Bayesian network on a DAG: every node is a binary variable with a conditional
/// probability table, `P(v = 1 | parents)`, stated in hundredths (two decimals, as a premise
/// writes them).
///
/// Every entry lies strictly between 0 and 1 (1…99 hundredths), so every event has positive
/// probability and every conditional the formulas need is defined.
public struct CausalModel: Sendable, Equatable {
    public let graph: CausalGraph
    /// Each node's parents, ascending: bit `k` of a table row index is the value of `parents[v][k]`.
    public let parents: [[Int]]
    /// `tables[v][row]`: P(v = 1 | the parents' values in `row`), in hundredths.
    public let tables: [[Int]]

    /// The most nodes a model may have (the joint holds 2ⁿ states, the twin network up to 3ⁿ).
    public static let maxNodes = 12

    /// What is wrong with a model's tables.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// A model from its tables; throws when a table has the wrong number of rows or an entry
    /// outside 1…99 hundredths, or when the graph has a cycle or too many nodes.
    public init(graph: CausalGraph, tables: [[Int]]) throws(Invalid) {
        guard graph.nodeCount <= Self.maxNodes else {
            throw Invalid(description: "a causal model has at most \(Self.maxNodes) nodes, not \(graph.nodeCount)")
        }
        guard graph.topologicalOrder() != nil else { throw Invalid(description: "the graph has a cycle") }
        guard tables.count == graph.nodeCount else {
            throw Invalid(description: "\(tables.count) tables for \(graph.nodeCount) nodes")
        }
        let parents = (0..<graph.nodeCount).map { graph.parents(of: $0).sorted() }
        for v in 0..<graph.nodeCount {
            let rows = 1 << parents[v].count
            guard tables[v].count == rows else {
                throw Invalid(
                    description: "node \(v) has \(parents[v].count) parents, so \(rows) rows, not \(tables[v].count)"
                )
            }
            if let bad = tables[v].firstIndex(where: { !(1...99).contains($0) }) {
                throw Invalid(
                    description: "node \(v), row \(bad): \(tables[v][bad]) is not a probability in hundredths (1…99)"
                )
            }
        }
        self.graph = graph
        self.parents = parents
        self.tables = tables
    }

    /// A model with every entry drawn uniformly from `entries` (within 1…99).
    public static func random(
        on graph: CausalGraph,
        entries: ClosedRange<Int> = 1...99,
        using rng: inout SeededRNG
    ) -> CausalModel {
        precondition(entries.lowerBound >= 1 && entries.upperBound <= 99, "table entries lie in 1…99 hundredths")
        let tables = (0..<graph.nodeCount).map { v in
            (0..<(1 << graph.parents(of: v).count)).map { _ in rng.int(in: entries) }
        }
        do {
            return try CausalModel(graph: graph, tables: tables)
        } catch {
            preconditionFailure("random(on:) needs an acyclic graph of at most \(maxNodes) nodes: \(error)")
        }
    }

    /// The same graph with every entry drawn afresh, exactly as `random(on:entries:using:)` draws
    /// them (the same draws in the same order), without validating the graph again or rebuilding
    /// its parent lists: a twin search tries many tables on one graph.
    public func redrawn(entries: ClosedRange<Int> = 1...99, using rng: inout SeededRNG) -> CausalModel {
        precondition(entries.lowerBound >= 1 && entries.upperBound <= 99, "table entries lie in 1…99 hundredths")
        let tables = parents.map { ps in (0..<(1 << ps.count)).map { _ in rng.int(in: entries) } }
        return CausalModel(validated: graph, parents: parents, tables: tables)
    }

    private init(validated graph: CausalGraph, parents: [[Int]], tables: [[Int]]) {
        self.graph = graph
        self.parents = parents
        self.tables = tables
    }

    public var nodeCount: Int { graph.nodeCount }

    /// The model of no variable.
    public static let empty = CausalModel(validated: CausalGraph(nodeCount: 0), parents: [], tables: [])

    /// A model from tables in the model document's order (`docs/causal-models.md`): entry i of
    /// node v's table is for its parents (ascending) taking the binary digits of i, the first
    /// parent the most significant. Records' `graph.tables` are written so.
    public init(graph: CausalGraph, documentTables: [[Int]]) throws(Invalid) {
        let tables = documentTables.enumerated().map { v, table in
            let k = v < graph.nodeCount ? graph.parents(of: v).count : 0
            return table.count == 1 << k ? table.indices.map { table[Self.documentRow($0, parents: k)] } : table
        }
        try self.init(graph: graph, tables: tables)
    }

    /// Node v's table in the model document's order (see `init(graph:documentTables:)`).
    public func documentTable(_ v: Int) -> [Int] {
        let k = parents[v].count
        return tables[v].indices.map { tables[v][Self.documentRow($0, parents: k)] }
    }

    /// The row with the `parents` low bits of `row` reversed: a table row's index in the other
    /// order (the map is its own inverse).
    public static func documentRow(_ row: Int, parents k: Int) -> Int {
        var out = 0
        for bit in 0..<k where row & (1 << bit) != 0 { out |= 1 << (k - 1 - bit) }
        return out
    }

    /// The tables with node v renamed `map[v]` (a permutation of the nodes): each table moved to
    /// its new node, its rows reordered for the parents' new ascending order. Nil when `map` is
    /// no permutation.
    public func relabeled(_ map: [Int]) -> [[Int]]? {
        let n = nodeCount
        guard map.count == n, Set(map) == Set(0..<n) else { return nil }
        var out = [[Int]](repeating: [], count: n)
        for v in 0..<n {
            let renamed = parents[v].map { map[$0] }
            let sorted = renamed.sorted()
            // New bit position of each old parent's value.
            let position = renamed.map { sorted.firstIndex(of: $0)! }
            var table = [Int](repeating: 0, count: tables[v].count)
            for row in tables[v].indices {
                var newRow = 0
                for (k, p) in position.enumerated() where row & (1 << k) != 0 { newRow |= 1 << p }
                table[newRow] = tables[v][row]
            }
            out[map[v]] = table
        }
        return out
    }

    /// The table row of `v` under a full assignment (bit `u` of `assignment` is node u's value).
    @inlinable
    public func row(of v: Int, in assignment: UInt64) -> Int {
        // An index loop, not `enumerated()`: this is the innermost step of every enumeration, and
        // unoptimized (debug) builds spend most of their time in the iterator's generic metadata.
        let ps = parents[v]
        var r = 0
        var k = 0
        while k < ps.count {
            if assignment & (1 << UInt64(ps[k])) != 0 { r |= 1 << k }
            k += 1
        }
        return r
    }

    /// P(v = 1 | its parents' values in `assignment`), in hundredths.
    @inlinable
    public func hundredthsOfOne(_ v: Int, in assignment: UInt64) -> Int { tables[v][row(of: v, in: assignment)] }
}

/// The observational distribution of a model: the probability of every full assignment, as an
/// exact integer over the common denominator 100ⁿ (a product of n table entries).
public struct JointDistribution: Sendable {
    public let nodeCount: Int
    /// `weights[a]`: 100ⁿ · P(assignment a), bit u of a the value of node u.
    public let weights: [UInt128]
    /// 100ⁿ.
    public let total: UInt128

    /// The joint of `model`, every node drawn from its table (no intervention).
    public init(_ model: CausalModel) {
        nodeCount = model.nodeCount
        var total: UInt128 = 1
        for _ in 0..<model.nodeCount { total *= 100 }
        self.total = total
        weights = (0..<(UInt64(1) << UInt64(model.nodeCount))).map { a in
            var w: UInt128 = 1
            for v in 0..<model.nodeCount {
                let p = model.hundredthsOfOne(v, in: a)
                w *= UInt128(a & (1 << UInt64(v)) != 0 ? p : 100 - p)
            }
            return w
        }
    }

    /// 100ⁿ · P(every literal of `event` holds).
    public func weight(_ event: [Literal]) -> UInt128 {
        var mask: UInt64 = 0
        var want: UInt64 = 0
        for l in event {
            let bit: UInt64 = 1 << UInt64(l.node)
            if mask & bit != 0, (want & bit != 0) != l.value { return 0 }
            mask |= bit
            if l.value { want |= bit }
        }
        var sum: UInt128 = 0
        for (a, w) in weights.enumerated() where UInt64(a) & mask == want { sum += w }
        return sum
    }

    /// P(event | given), exactly; `given` must have positive probability (always, for a
    /// `CausalModel`). Contradictory literals give 0.
    public func probability(_ event: [Literal], given: [Literal] = []) -> Rational {
        let both = weight(event + given)
        let condition = given.isEmpty ? total : weight(given)
        return Rational(BigInt(both), BigInt(condition))
    }
}

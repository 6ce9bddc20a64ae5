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

    public var nodeCount: Int { graph.nodeCount }

    /// The table row of `v` under a full assignment (bit `u` of `assignment` is node u's value).
    @inlinable
    public func row(of v: Int, in assignment: UInt64) -> Int {
        var r = 0
        for (k, p) in parents[v].enumerated() where assignment & (1 << UInt64(p)) != 0 { r |= 1 << k }
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

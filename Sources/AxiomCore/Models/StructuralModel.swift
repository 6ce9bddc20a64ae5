/// A linear structural causal model on whole numbers: every node is fixed by its causes and a
/// constant of its own, `v = c_v + Σ_k w_{v,k} · parents[v][k]` (+ a noise term per run, where
/// the caller adds one). Exact: every value is an integer.
///
/// Experiment-then-exploit episodes hide one of these; its deterministic mechanisms are also the
/// setting of deterministic counterfactuals (every exogenous term is known).
public struct StructuralModel: Sendable, Equatable {
    public let graph: CausalGraph
    /// Each node's parents, ascending.
    public let parents: [[Int]]
    /// `weights[v][k]`: the coefficient of `parents[v][k]` in `v`'s mechanism, never 0.
    public let weights: [[Int]]
    /// Each node's constant term.
    public let constants: [Int]
    /// A topological order of the nodes (every parent before its children).
    public let order: [Int]

    /// What is wrong with a model's mechanisms.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// A model from its mechanisms; throws when the graph has a cycle, a weight list does not
    /// match the node's parents, or a weight is 0 (an edge whose weight is 0 is no cause).
    public init(graph: CausalGraph, weights: [[Int]], constants: [Int]) throws(Invalid) {
        guard let order = graph.topologicalOrder() else { throw Invalid(description: "the graph has a cycle") }
        guard weights.count == graph.nodeCount, constants.count == graph.nodeCount else {
            throw Invalid(
                description:
                    "\(weights.count) weight lists and \(constants.count) constants for \(graph.nodeCount) nodes"
            )
        }
        let parents = (0..<graph.nodeCount).map { graph.parents(of: $0).sorted() }
        for v in 0..<graph.nodeCount {
            guard weights[v].count == parents[v].count else {
                throw Invalid(
                    description: "node \(v) has \(parents[v].count) parents, not \(weights[v].count) weights"
                )
            }
            if let k = weights[v].firstIndex(of: 0) {
                throw Invalid(description: "node \(v): the weight of parent \(parents[v][k]) is 0")
            }
        }
        self.graph = graph
        self.parents = parents
        self.weights = weights
        self.constants = constants
        self.order = order
    }

    /// A model on `graph` with every weight drawn uniformly from `weights` without 0, and every
    /// constant from `constants`: weights node by node (parents ascending), then the constants.
    public static func random(
        on graph: CausalGraph,
        weights: ClosedRange<Int>,
        constants: ClosedRange<Int>,
        using rng: inout SeededRNG
    ) -> StructuralModel {
        let nonzero = weights.filter { $0 != 0 }
        precondition(!nonzero.isEmpty, "the weight range needs a value other than 0")
        let w = (0..<graph.nodeCount).map { v in
            graph.parents(of: v).map { _ in nonzero[rng.below(nonzero.count)] }
        }
        let c = (0..<graph.nodeCount).map { _ in rng.int(in: constants) }
        do {
            return try StructuralModel(graph: graph, weights: w, constants: c)
        } catch {
            preconditionFailure("random(on:) needs an acyclic graph: \(error)")
        }
    }

    /// Every node's value when `node` is set to `value` (`node` -1: no intervention), with
    /// `noise[v]` added to each mechanism that runs (`noise` empty: none). Fills `values`.
    public func solve(setting node: Int = -1, to value: Int = 0, noise: [Int] = [], into values: inout [Int]) {
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(0, count: graph.nodeCount))
        for v in order {
            if v == node {
                values[v] = value
                continue
            }
            var sum = constants[v]
            if !noise.isEmpty { sum += noise[v] }
            for (k, p) in parents[v].enumerated() { sum += weights[v][k] * values[p] }
            values[v] = sum
        }
    }

    /// Convenience: the values of `solve(setting:to:noise:into:)` as a new array.
    public func values(setting node: Int = -1, to value: Int = 0) -> [Int] {
        var out: [Int] = []
        solve(setting: node, to: value, into: &out)
        return out
    }

    /// How much `y` changes per unit of `x` under `do(x)`: the sum, over every directed path from
    /// x to y, of the product of its weights (0 when y is no descendant of x, or the paths
    /// cancel). An algorithm of its own (path enumeration), independent of `solve`.
    public func totalEffect(from x: Int, to y: Int) -> Int {
        if x == y { return 1 }
        var total = 0
        func walk(_ v: Int, _ product: Int) {
            if v == y {
                total += product
                return
            }
            graph.forEachChild(of: v) { c in
                guard let k = parents[c].firstIndex(of: v) else { return }
                walk(c, product * weights[c][k])
            }
        }
        walk(x, 1)
        return total
    }
}

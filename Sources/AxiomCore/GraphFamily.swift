/// The graph families axiomc generates, with their parameters.
public enum GraphFamily: Sendable, Hashable {
    /// `n` nodes in a line, every edge forward: 0 → 1 → … → n-1.
    case chain
    /// A chain whose edges are each reversed independently with probability `flipProbability`.
    case flippedChain(flipProbability: Double)
    /// A random DAG over a random topological order with `round(b · n)` edges (`floor(b · n)`
    /// with `edges: .floor`, as the paper's `int(b · n)`), capped at n(n-1)/2; `connected` first
    /// lays a random spanning tree (oriented by the topological order, so a connected graph may
    /// have several sources).
    case branching(factor: Double, connected: Bool, edges: EdgeRounding = .nearest)
    /// Erdős–Rényi DAG: each forward pair of a random order is an edge with probability `p`.
    case random(edgeProbability: Double)

    /// The family's name as recipes and records spell it.
    public var name: String {
        switch self {
        case .chain: "chain"
        case .flippedChain: "flipped-chain"
        case .branching: "branching"
        case .random: "random"
        }
    }

    /// The inclusive range of edge counts a graph of `n` nodes of this family can have.
    public func edgeCountRange(nodes n: Int) -> ClosedRange<Int> {
        let full = n * (n - 1) / 2
        switch self {
        case .chain, .flippedChain:
            return max(0, n - 1)...max(0, n - 1)
        case let .branching(factor, connected, rounding):
            let product = factor * Double(n)
            let m = min(
                full,
                max(connected ? n - 1 : 0, Int(rounding == .floor ? product.rounded(.down) : product.rounded()))
            )
            return m...m
        case .random:
            return 0...full
        }
    }
}

/// How a branching graph's edge count `b · n` becomes a whole number.
public enum EdgeRounding: String, Sendable, Hashable, CaseIterable {
    /// To the nearest whole number, halves away from zero (`round`; n = 12, b = 1.4: 17 edges).
    case nearest = "round"
    /// Down, as Python's `int(b * n)` in the paper's generator (n = 12, b = 1.4: 16 edges).
    case floor
}

/// What a generator reports about the graph it made, beside the graph.
public struct GraphInfo: Sendable, Equatable {
    /// Number of reversed chain edges (flipped chains), else 0.
    public var flips: Int = 0
    /// Chains (flipped or not) number their nodes from the start of the chain, so a smaller
    /// index is nearer the start.
    public var isChain = false
    public init() {}
}

/// Seeded generators for every `GraphFamily`.
public enum GraphGenerator {
    /// Fills `graph` with a fresh graph of `family` with `nodes` nodes.
    ///
    /// Node indices are a random permutation away from the structure for branching and random
    /// graphs, and in chain order for chains (names are drawn at random later, so indices carry
    /// no information into the text).
    public static func generate(
        _ family: GraphFamily,
        nodes n: Int,
        into graph: inout CausalGraph,
        info: inout GraphInfo,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        graph.reset(nodeCount: n)
        info.flips = 0
        info.isChain = false
        switch family {
        case .chain:
            info.isChain = true
            for i in 0..<max(0, n - 1) { graph.addEdge(i, i + 1) }
        case let .flippedChain(p):
            info.isChain = true
            for i in 0..<max(0, n - 1) {
                if rng.chance(p) {
                    graph.addEdge(i + 1, i)
                    info.flips += 1
                } else {
                    graph.addEdge(i, i + 1)
                }
            }
        case let .branching(_, connected, _):
            let m = family.edgeCountRange(nodes: n).lowerBound
            randomOrder(n, into: &scratch, using: &rng)
            var added = 0
            if connected {
                // A random spanning tree, grown in an attachment order of its own and oriented by
                // the topological order `scratch`: weakly connected, with as many sources as the
                // orientation gives (a tree grown along the topological order has one root).
                var position = [Int](repeating: 0, count: n)
                for (p, v) in scratch.enumerated() { position[v] = p }
                var attach = Array(0..<n)
                rng.shuffle(&attach)
                for j in 1..<max(1, n) {
                    let a = attach[rng.below(j)]
                    let b = attach[j]
                    if position[a] < position[b] { graph.addEdge(a, b) } else { graph.addEdge(b, a) }
                    added += 1
                }
            }
            // Draw the remaining edges uniformly among the missing forward pairs.
            let full = n * (n - 1) / 2
            var remaining = m - added
            if remaining > 0 {
                // Selection sampling over forward pairs in a fixed enumeration order.
                var missing = full - added
                for i in 0..<n {
                    for j in (i + 1)..<max(i + 1, n) {
                        if remaining == 0 { break }
                        let a = scratch[i]
                        let b = scratch[j]
                        if graph.hasEdge(a, b) { continue }
                        if rng.below(missing) < remaining {
                            graph.addEdge(a, b)
                            remaining -= 1
                        }
                        missing -= 1
                    }
                }
            }
            shuffleEdges(&graph, using: &rng)
        case let .random(p):
            randomOrder(n, into: &scratch, using: &rng)
            for i in 0..<n {
                for j in (i + 1)..<max(i + 1, n) where rng.chance(p) {
                    graph.addEdge(scratch[i], scratch[j])
                }
            }
            shuffleEdges(&graph, using: &rng)
        }
    }

    /// Convenience for tests and one-off use: a new graph of `family`.
    public static func make(_ family: GraphFamily, nodes n: Int, using rng: inout SeededRNG) -> (CausalGraph, GraphInfo)
    {
        var g = CausalGraph()
        var info = GraphInfo()
        var scratch: [Int] = []
        generate(family, nodes: n, into: &g, info: &info, scratch: &scratch, using: &rng)
        return (g, info)
    }

    static func randomOrder(_ n: Int, into order: inout [Int], using rng: inout SeededRNG) {
        order.removeAll(keepingCapacity: true)
        for i in 0..<n { order.append(i) }
        rng.shuffle(&order)
    }

    /// Puts the edge list in random order (the "graph order" of a branching DAG carries no
    /// hint of the topological order).
    static func shuffleEdges(_ graph: inout CausalGraph, using rng: inout SeededRNG) {
        graph.shuffleEdgeOrder(using: &rng)
    }
}

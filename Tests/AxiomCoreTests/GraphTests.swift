import Testing

@testable import AxiomCore

@Suite struct Generators {
    static let families: [GraphFamily] = [
        .chain, .flippedChain(flipProbability: 0.5), .branching(factor: 1.4, connected: true),
        .branching(factor: 2.0, connected: false), .random(edgeProbability: 0.2),
    ]

    @Test(arguments: families)
    func deterministicAcyclicAndSized(family: GraphFamily) {
        for n in [1, 2, 3, 5, 8, 12, 50] {
            var a = SeededRNG(seed: 7, stream: 1, index: UInt64(n))
            var b = SeededRNG(seed: 7, stream: 1, index: UInt64(n))
            let (g1, i1) = GraphGenerator.make(family, nodes: n, using: &a)
            let (g2, i2) = GraphGenerator.make(family, nodes: n, using: &b)
            #expect(g1 == g2 && g1.edges == g2.edges && i1 == i2)
            #expect(g1.nodeCount == n)
            #expect(g1.findCycle() == nil)
            #expect(g1.topologicalOrder() != nil)
            #expect(family.edgeCountRange(nodes: n).contains(g1.edges.count), "\(family) n=\(n) m=\(g1.edges.count)")
        }
    }

    @Test func branchingMatchesThePapersEdgeCounts() {
        var rng = SeededRNG(seed: 1)
        for (n, b, m) in [(5, 1.4, 7), (8, 1.4, 11), (10, 2.0, 20), (12, 2.0, 24), (5, 2.0, 10)] {
            let (g, _) = GraphGenerator.make(.branching(factor: b, connected: true), nodes: n, using: &rng)
            #expect(g.edges.count == m)
            // Connected as an undirected graph.
            var seen: Set<Int> = [0]
            var stack = [0]
            while let v = stack.popLast() {
                for u in g.children(of: v) + g.parents(of: v) where seen.insert(u).inserted { stack.append(u) }
            }
            #expect(seen.count == n)
        }
    }

    /// Connected branching graphs are random DAGs conditioned on weak connectivity, not trees
    /// hanging from one root: a single source made "x is a source" decide transitivity and
    /// emptied the d-separation stratum with Z = ∅ (the old generator gave 1 source always).
    @Test func connectedBranchingGraphsHaveSeveralSources() {
        var rng = SeededRNG(seed: 4)
        var sourceCounts: [Int: Int] = [:]
        for _ in 0..<300 {
            let (g, _) = GraphGenerator.make(.branching(factor: 1.4, connected: true), nodes: 12, using: &rng)
            let sources = (0..<12).filter { g.inDegree(of: $0) == 0 }.count
            sourceCounts[sources, default: 0] += 1
        }
        #expect((sourceCounts[1] ?? 0) < 150, "\(sourceCounts)")
        #expect(sourceCounts.keys.contains { $0 >= 3 }, "\(sourceCounts)")
    }

    @Test func flipsAreCountedAndNearTheProbability() {
        var rng = SeededRNG(seed: 3)
        var flips = 0
        var edges = 0
        for _ in 0..<2000 {
            let (g, info) = GraphGenerator.make(.flippedChain(flipProbability: 0.5), nodes: 6, using: &rng)
            let reversed = g.edges.filter { $0.from > $0.to }.count
            #expect(reversed == info.flips)
            flips += info.flips
            edges += g.edges.count
        }
        let rate = Double(flips) / Double(edges)
        #expect(rate > 0.47 && rate < 0.53)
    }

    @Test func adjacentSeedsAreNotShiftedCopies() {
        var a = SeededRNG(seed: 41)
        var b = SeededRNG(seed: 42)
        let sa = (0..<64).map { _ in a.next() }
        let sb = (0..<64).map { _ in b.next() }
        #expect(Set(sa).isDisjoint(with: Set(sb)))
        #expect(SeededRNG.derive(1, 0, 1) != SeededRNG.derive(1, 1, 0))
        #expect(SeededRNG.derive(1, 0, 1) != SeededRNG.derive(2, 0, 0))
    }

    @Test func belowIsUniformEnough() {
        var rng = SeededRNG(seed: 5)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[rng.below(7)] += 1 }
        for c in counts { #expect(c > 9_500 && c < 10_500) }
    }

    @Test func thousandNodeGraphsWork() {
        var rng = SeededRNG(seed: 1000)
        let (g, _) = GraphGenerator.make(.branching(factor: 1.5, connected: true), nodes: 1000, using: &rng)
        var reasoner = Reasoner()
        var oracles = Oracles()
        reasoner.prepare(g)
        for _ in 0..<50 {
            let x = rng.below(1000)
            let y = rng.below(1000)
            #expect(reasoner.answer(Query(.transitivity, x, y)) == oracles.causes(from: x, to: y, in: g))
            guard x != y else { continue }
            let z = (0..<3).map { _ in rng.below(1000) }.filter { $0 != x && $0 != y }
            let zs = Array(Set(z)).sorted()
            #expect(reasoner.answer(Query(.dSeparation, x, y, given: zs)) == oracles.dSeparated(g, x, y, given: zs))
        }
    }
}

@Suite struct QueryEnumeration {
    @Test func countsMatchCombinatorics() {
        #expect(Array(QuerySpace(.transitivity, nodeCount: 5)).count == 20)
        // pairs C(5,2)=10, Z from 3 others with |Z| ≤ 2: 1 + 3 + 3 = 7.
        let d = Array(QuerySpace(.dSeparation, nodeCount: 5, givenSizes: 0...2))
        #expect(d.count == 70)
        #expect(Set(d).count == 70)
        #expect(
            d.allSatisfy {
                $0.x < $0.y && !$0.given.contains($0.x) && !$0.given.contains($0.y) && $0.given == $0.given.sorted()
            }
        )
        #expect(Array(QuerySpace(.dSeparation, nodeCount: 4, givenSizes: 1...1)).count == 12)
    }
}

@Suite struct EdgeListParsing {
    @Test func readsEdgesAndQuestions() throws {
        let g = try NamedGraph.parse(edges: "A->B, B->C; D -> C")
        #expect(g.names == ["A", "B", "C", "D"])
        #expect(g.graph.edges.count == 3)
        #expect(try g.parse(question: "A cause C") == Query(.transitivity, 0, 2))
        #expect(try g.parse(question: "Does A cause C?") == Query(.transitivity, 0, 2))
        #expect(try g.parse(question: "A and D d-separated given {C, B}") == Query(.dSeparation, 0, 3, given: [1, 2]))
    }

    @Test func rejectsBadInput() {
        #expect(throws: SyntaxError("the edges contain a cycle: A -> B -> A")) {
            try NamedGraph.parse(edges: "A->B, B->A")
        }
        #expect(throws: SyntaxError("edge 'A->A' is a self-loop")) { try NamedGraph.parse(edges: "A->A") }
        #expect(throws: SyntaxError("edge 'A=>B' needs the form 'A->B'")) { try NamedGraph.parse(edges: "A=>B") }
        let g = try! NamedGraph.parse(edges: "A->B")
        #expect(throws: SyntaxError.self) { try g.parse(question: "A cause Q") }
    }
}

@Suite struct GraphIdentity {
    @Test func relabelledGraphsAreIsomorphic() {
        var rng = SeededRNG(seed: 31)
        for _ in 0..<200 {
            let n = 3 + rng.below(8)
            let (g, _) = GraphGenerator.make(.random(edgeProbability: 0.35), nodes: n, using: &rng)
            var perm = Array(0..<n)
            rng.shuffle(&perm)
            let h = CausalGraph(nodeCount: n, edges: g.edges.map { (perm[$0.from], perm[$0.to]) })
            #expect(Isomorphism.hash(g) == Isomorphism.hash(h))
            #expect(Isomorphism.isomorphic(g, h))
        }
    }

    @Test func differentGraphsAreNot() {
        // Same degree sequences, different structure: a 6-cycle-like DAG vs two triangles.
        let a = CausalGraph(nodeCount: 6, edges: [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (0, 5)])
        let b = CausalGraph(nodeCount: 6, edges: [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)])
        #expect(!Isomorphism.isomorphic(a, b))
        // A chain and its reversal are isomorphic; a chain and a fork are not.
        let chain = CausalGraph(nodeCount: 3, edges: [(0, 1), (1, 2)])
        let reversed = CausalGraph(nodeCount: 3, edges: [(2, 1), (1, 0)])
        let fork = CausalGraph(nodeCount: 3, edges: [(1, 0), (1, 2)])
        #expect(Isomorphism.isomorphic(chain, reversed))
        #expect(!Isomorphism.isomorphic(chain, fork))
        #expect(Isomorphism.hash(chain) != Isomorphism.hash(fork))
    }
}

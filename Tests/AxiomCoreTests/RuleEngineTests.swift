import Testing

@testable import AxiomCore

@Suite struct RuleEngineAgreesWithBruteForce {
    /// Every DAG of up to 5 nodes (up to relabeling), every query of both axioms.
    @Test(arguments: 2...5)
    func everyQueryOnEverySmallGraph(n: Int) {
        var reasoner = Reasoner()
        var oracles = Oracles()
        var checked = 0
        for edges in allDAGs(n) {
            let graph = CausalGraph(nodeCount: n, edges: edges)
            reasoner.prepare(graph)
            oracles.forgetSource()
            for q in QuerySpace(.transitivity, nodeCount: n) {
                let truth = BruteForce.causes(edges, n, q.x, q.y)
                #expect(reasoner.answer(q) == truth, "causes \(q) in \(edges)")
                #expect(oracles.causes(from: q.x, to: q.y, in: graph) == truth)
                checked += 1
            }
            for q in QuerySpace(.dSeparation, nodeCount: n, givenSizes: 0...(n - 2)) {
                let truth = BruteForce.dSeparated(edges, n, q.x, q.y, q.given)
                #expect(reasoner.answer(q) == truth, "d-sep \(q) in \(edges)")
                #expect(oracles.dSeparated(graph, q.x, q.y, given: q.given) == truth)
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    /// Every DAG of 6 nodes for transitivity; d-separation on a seeded sample of its queries,
    /// with labels shuffled so that node order carries no structure.
    @Test func sixNodeGraphs() {
        var reasoner = Reasoner()
        var rng = SeededRNG(seed: 6)
        for edges0 in allDAGs(6) {
            var perm = Array(0..<6)
            rng.shuffle(&perm)
            let edges = edges0.map { (perm[$0.0], perm[$0.1]) }
            let graph = CausalGraph(nodeCount: 6, edges: edges)
            reasoner.prepare(graph)
            for q in QuerySpace(.transitivity, nodeCount: 6) {
                #expect(reasoner.answer(q) == BruteForce.causes(edges, 6, q.x, q.y))
            }
            for _ in 0..<2 {
                let x = rng.below(6)
                var y = rng.below(5)
                if y >= x { y += 1 }
                let z = (0..<6).filter { $0 != x && $0 != y && rng.chance(0.4) }
                let q = Query(.dSeparation, x, y, given: z)
                #expect(reasoner.answer(q) == BruteForce.dSeparated(edges, 6, x, y, z), "\(q) in \(edges)")
            }
        }
    }

    @Test(arguments: [
        GraphFamily.branching(factor: 1.4, connected: true), .branching(factor: 2.0, connected: false),
        .random(edgeProbability: 0.3), .flippedChain(flipProbability: 0.5),
    ])
    func seededGraphsUpToTwelveNodes(family: GraphFamily) {
        var reasoner = Reasoner()
        var oracles = Oracles()
        var rng = SeededRNG(seed: 12)
        for round in 0..<40 {
            let n = 7 + round % 6
            let (graph, _) = GraphGenerator.make(family, nodes: n, using: &rng)
            let edges = graph.edges.map { ($0.from, $0.to) }
            reasoner.prepare(graph)
            oracles.forgetSource()
            for q in QuerySpace(.transitivity, nodeCount: n) {
                let truth = BruteForce.causes(edges, n, q.x, q.y)
                #expect(reasoner.answer(q) == truth)
                #expect(oracles.causes(from: q.x, to: q.y, in: graph) == truth)
            }
            for _ in 0..<15 {
                let x = rng.below(n)
                var y = rng.below(n - 1)
                if y >= x { y += 1 }
                let z = (0..<n).filter { $0 != x && $0 != y && rng.chance(0.25) }
                let q = Query(.dSeparation, x, y, given: z)
                let truth = BruteForce.dSeparated(edges, n, x, y, z)
                #expect(reasoner.answer(q) == truth, "\(q) in \(edges)")
                #expect(oracles.dSeparated(graph, x, y, given: z) == truth)
            }
        }
    }
}

@Suite struct ProofsReplay {
    /// Every proof is checked against the definitions: a Yes for transitivity is a directed
    /// path from x to y; a No lists exactly x's descendants; an active trail is simple and
    /// active; "blocked" lists the nodes reachable by active trails, without y.
    @Test(arguments: 3...5)
    func everyProofOnSmallGraphs(n: Int) {
        var reasoner = Reasoner()
        var proof = Proof()
        var trails = 0
        for edges in allDAGs(n) {
            let graph = CausalGraph(nodeCount: n, edges: edges)
            reasoner.prepare(graph)
            for q in QuerySpace(.transitivity, nodeCount: n) {
                reasoner.explain(q, into: &proof)
                if reasoner.answer(q) {
                    #expect(proof.kind == .causalChain)
                    #expect(proof.nodes.first == q.x && proof.nodes.last == q.y)
                    #expect(Trails.isDirectedPath(proof.nodes, in: graph))
                } else {
                    #expect(proof.kind == .noCausalChain)
                    let descendants = (0..<n).filter { BruteForce.causes(edges, n, q.x, $0) }
                    #expect(proof.nodes == descendants)
                }
            }
            for q in QuerySpace(.dSeparation, nodeCount: n, givenSizes: 0...2) {
                reasoner.explain(q, into: &proof)
                if reasoner.answer(q) {
                    #expect(proof.kind == .allTrailsBlocked)
                    #expect(!proof.nodes.contains(q.y))
                    for v in proof.nodes where !q.given.contains(v) {
                        #expect(!BruteForce.dSeparated(edges, n, q.x, v, q.given), "\(v) reachable from \(q)")
                    }
                } else {
                    #expect(proof.kind == .activeTrail)
                    #expect(proof.nodes.first == q.x && proof.nodes.last == q.y)
                    #expect(
                        Trails.isActive(proof.nodes, in: graph, given: q.given),
                        "\(proof.nodes) for \(q) in \(edges)"
                    )
                    trails += 1
                }
            }
        }
        #expect(trails > 0)
    }

    @Test func derivationsNameTheirRules() {
        let graph = CausalGraph(nodeCount: 3, edges: [(0, 1), (1, 2)])
        var reasoner = Reasoner()
        reasoner.prepare(graph)
        let engine = reasoner.causalFacts(from: 0)
        let d = engine.derivation(of: Fact(Transitivity.causes, 0, 2))
        #expect(d?.rule.map { Transitivity.program.rules[$0].name } == "transitivity")
        #expect(d?.premises == [Fact(Transitivity.causes, 0, 1), Fact(Transitivity.edge, 1, 2)])
        let first = engine.derivation(of: Fact(Transitivity.causes, 0, 1))
        #expect(first?.rule.map { Transitivity.program.rules[$0].name } == "stated")
        #expect(engine.derivation(of: Fact(Transitivity.causes, 2, 0)) == nil)
        // Only the asked cause's effects are derived.
        #expect(engine.derivation(of: Fact(Transitivity.causes, 1, 2)) == nil)
        #expect(engine.derivation(of: Fact(Transitivity.edge, 0, 1))?.rule == nil)
    }

    @Test func symmetry() {
        var rng = SeededRNG(seed: 99)
        var reasoner = Reasoner()
        for _ in 0..<200 {
            let (graph, _) = GraphGenerator.make(.random(edgeProbability: 0.35), nodes: 8, using: &rng)
            reasoner.prepare(graph)
            let x = rng.below(8)
            var y = rng.below(7)
            if y >= x { y += 1 }
            let z = (0..<8).filter { $0 != x && $0 != y && rng.chance(0.3) }
            #expect(
                reasoner.answer(Query(.dSeparation, x, y, given: z))
                    == reasoner.answer(Query(.dSeparation, y, x, given: z))
            )
        }
    }

    @Test func programsAreValidatedAtConstruction() {
        #expect(throws: RuleProgram.Invalid.self) {
            try RuleProgram(
                predicates: [Predicate("p", arity: 2)],
                rules: [Rule("bad", [Atom(0, 0, 1)], Atom(0, 0, 2))]
            )
        }
        #expect(throws: RuleProgram.Invalid.self) {
            try RuleProgram(predicates: [Predicate("p", arity: 2)], rules: [Rule("arity", [Atom(0, 0)], Atom(0, 0, 0))])
        }
    }

    /// A third axiom is rules, not engine code: "x and y share a cause" as a program.
    @Test func newAxiomIsJustRules() throws {
        let program = try RuleProgram(
            predicates: [
                Predicate("edge", arity: 2), Predicate("causes", arity: 2), Predicate("common-cause", arity: 2),
            ],
            rules: [
                Rule("stated", [Atom(0, 0, 1)], Atom(1, 0, 1)),
                Rule("transitivity", [Atom(1, 0, 1), Atom(1, 1, 2)], Atom(1, 0, 2)),
                Rule("confounded", [Atom(1, 0, 1), Atom(1, 0, 2)], Atom(2, 1, 2)),
            ]
        )
        var engine = RuleEngine(program: program)
        engine.begin(nodeCount: 4)
        for (a, b) in [(0, 1), (1, 2), (0, 3)] { engine.state(0, a, b) }
        engine.run()
        #expect(engine.holds(2, 2, 3))
        #expect(engine.holds(2, 1, 3))
        #expect(!engine.holds(2, 0, 1))
    }
}

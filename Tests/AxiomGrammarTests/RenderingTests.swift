import AxiomCore
import Testing

@testable import AxiomGrammar

@Suite struct PaperGolden {
    let names = bytes(["A", "B", "C", "D"])
    let chain = CausalGraph(nodeCount: 4, edges: [(0, 1), (1, 2), (2, 3)])

    func render(_ q: Query, order: PremiseOrder = .graph) throws -> (String, String) {
        var r = Renderer(grammar: try shipped("paper"))
        var rng = SeededRNG(seed: 1)
        var p: [UInt8] = []
        var h: [UInt8] = []
        r.appendPremise(chain, names: names, order: order, into: &p, using: &rng)
        r.appendQuestion(q, names: names, into: &h, using: &rng)
        return (text(p), text(h))
    }

    @Test func transitivity() throws {
        let (p, h) = try render(Query(.transitivity, 0, 2))
        #expect(p == "A causes B. B causes C. C causes D.")
        #expect(h == "Does A cause C?")
        let (reversed, _) = try render(Query(.transitivity, 0, 2), order: .reversed)
        #expect(reversed == "C causes D. B causes C. A causes B.")
    }

    @Test func dSeparationOrdersPairAndSetByASCII() throws {
        #expect(try render(Query(.dSeparation, 3, 0)).1 == "Are A and D d-separated?")
        #expect(try render(Query(.dSeparation, 3, 0, given: [2, 1])).1 == "Are A and D d-separated given {B, C}?")
        var r = Renderer(grammar: try shipped("paper"))
        var rng = SeededRNG(seed: 1)
        var h: [UInt8] = []
        // ASCII order puts upper case before lower case and digits first.
        r.appendQuestion(
            Query(.dSeparation, 0, 1, given: [2, 3]),
            names: bytes(["b", "B", "a", "9"]),
            into: &h,
            using: &rng
        )
        #expect(text(h) == "Are B and b d-separated given {9, a}?")
    }

    @Test func promptWrapper() throws {
        let g = try shipped("paper")
        var rng = SeededRNG(seed: 1)
        var out: [UInt8] = []
        Renderer(grammar: g).appendPrompt(
            premise: Array("A causes B.".utf8)[...],
            hypothesis: Array("Does A cause B?".utf8)[...],
            into: &out,
            using: &rng
        )
        #expect(
            text(out)
                == "Answer the following question with ONLY 'Yes' or 'No'.\n\nPremise: A causes B. Does A cause B?"
        )
        #expect(text(g.yes) == "Yes" && text(g.no) == "No")
    }

    @Test func englishExplanationsFollowTheProof() throws {
        let g = try shipped("en")
        var r = Renderer(grammar: g)
        var reasoner = Reasoner()
        reasoner.prepare(chain)
        var proof = Proof()
        var rng = SeededRNG(seed: 1)
        var out: [UInt8] = []
        let q = Query(.transitivity, 0, 3)
        reasoner.explain(q, into: &proof)
        r.appendExplanation(q, proof: proof, graph: chain, names: names, into: &out, using: &rng)
        #expect(
            text(out) == "The premise says 'A causes B', so A causes B. The premise says 'B causes C', so B causes C. "
                + "A causes B and B causes C, so A causes C. The premise says 'C causes D', so C causes D. A causes C and C causes D, so A causes D."
        )
        out = []
        let d = Query(.dSeparation, 0, 3, given: [1])
        reasoner.explain(d, into: &proof)
        r.appendExplanation(d, proof: proof, graph: chain, names: names, into: &out, using: &rng)
        #expect(
            text(out)
                == "Given {B}, the search for trails starts at A and reaches B. B is in {B}, so trails from its parent A stop at B "
                + "before its children. The search never reaches D, so given {B} every trail between A and D is blocked."
        )
    }
}

@Suite struct RoundTrip {
    static let families: [GraphFamily] = [
        .chain, .flippedChain(flipProbability: 0.5), .branching(factor: 1.4, connected: true),
        .random(edgeProbability: 0.3),
    ]

    /// Render → parse gives back the graph, the names and the query, for thousands of seeded
    /// graphs and queries, in both grammars, in every premise order and through the prompt.
    @Test(arguments: ["paper", "en"])
    func renderThenParse(grammarName: String) throws {
        let g = try shipped(grammarName)
        var renderer = Renderer(grammar: g)
        var namer = try NameGenerator(style: .paper, reserved: g.reservedWords)
        var rng = SeededRNG(seed: 2024)
        var names: [[UInt8]] = []
        for i in 0..<3000 {
            let family = Self.families[i % Self.families.count]
            let n = 2 + rng.below(11)
            let (graph, _) = GraphGenerator.make(family, nodes: n, using: &rng)
            if graph.edges.isEmpty { continue }
            namer.draw(n, into: &names, using: &rng)
            let folded = Set(names.map { text($0).lowercased() })
            #expect(folded.count == n, "names collide: \(names.map(text))")
            #expect(folded.isDisjoint(with: g.reservedWords))
            // Only nodes the premise mentions can be asked about.
            let mentioned = (0..<n).filter(graph.isMentioned)
            let x = mentioned[rng.below(mentioned.count)]
            let others = mentioned.filter { $0 != x }
            let y = others[rng.below(others.count)]
            let axiom: Axiom = i % 2 == 0 ? .transitivity : .dSeparation
            let given = axiom == .dSeparation ? others.filter { $0 != y && rng.chance(0.3) }.sorted() : []
            let q = Query(axiom, x, y, given: given)
            var p: [UInt8] = []
            var h: [UInt8] = []
            renderer.appendPremise(graph, names: names, order: PremiseOrder.allCases[i % 3], into: &p, using: &rng)
            renderer.appendQuestion(q, names: names, into: &h, using: &rng)
            var prompt: [UInt8] = []
            renderer.appendPrompt(premise: p[...], hypothesis: h[...], into: &prompt, using: &rng)
            for parsed in [try g.parse(premise: text(p), hypothesis: text(h)), try g.parse(prompt: text(prompt))] {
                // Map parsed indices back to generator indices through the names.
                let back = parsed.names.map { name in names.firstIndex { text($0) == name }! }
                let edges = Set(parsed.graph.edges.map { CausalGraph.Edge(back[$0.from], back[$0.to]) })
                #expect(edges == Set(graph.edges), "\(text(p))")
                var pq = Query(
                    parsed.query.axiom,
                    back[parsed.query.x],
                    back[parsed.query.y],
                    given: parsed.query.given.map { back[$0] }.sorted()
                )
                if axiom == .dSeparation && pq.x != q.x { swap(&pq.x, &pq.y) }
                #expect(pq == q, "\(text(h))")
            }
        }
    }
}

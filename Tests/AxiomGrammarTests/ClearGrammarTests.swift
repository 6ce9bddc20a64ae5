import AxiomCore
import Testing

@testable import AxiomGrammar

/// The clear grammar reads CLEAR's own text and writes it back in the same format.
@Suite struct ClearGrammarTests {
    static let description =
        "Given a DAG (directed acyclic graph) with nodes Z, J, C, V and directed edges J->C, J->V, C->V, Z->J, Z->C."

    @Test func readsClearsDescriptionAndQuestions() throws {
        let g = try shipped("clear")
        let cases: [(String, Axiom)] = [
            ("Are node Z and node V d-separated by nodeset {'J', 'C'}?", .dSeparation),
            ("Are node Z and node V d-separated by nodeset set()?", .dSeparation),
            ("Is {'J', 'C'} the markov blanket of node V?", .markovBlanket),
            ("Is {'J'} a valid backdoor adjustment set for treatment C and outcome V?", .backdoor),
            ("Is {'C'} a valid frontdoor adjustment set for treatment J and outcome V?", .frontdoor),
            ("Does nodes {J, V, Z} form a v-structure in this graph?", .collider),
            ("Is there a directed path from Z to V?", .transitivity),
        ]
        for (question, axiom) in cases {
            let parsed = try g.parse(prompt: Self.description + "\n" + question)
            #expect(parsed.names == ["Z", "J", "C", "V"])
            #expect(
                Set(parsed.graph.edges)
                    == Set([CausalGraph.Edge(1, 2), .init(1, 3), .init(2, 3), .init(0, 1), .init(0, 2)])
            )
            #expect(parsed.query.axiom == axiom)
        }
        let dsep = try g.parse(prompt: Self.description + "\n" + cases[0].0)
        #expect(dsep.query.x == 0 && dsep.query.y == 3 && dsep.query.given == [1, 2])
    }

    @Test func writesTheDescriptionSentence() throws {
        let g = try shipped("clear")
        var r = Renderer(grammar: g)
        var rng = SeededRNG(seed: 3)
        var out: [UInt8] = []
        let graph = CausalGraph(nodeCount: 4, edges: [(0, 1), (0, 2), (1, 2), (3, 0), (3, 1)])
        r.appendPremise(graph, names: bytes(["J", "C", "V", "Z"]), order: .graph, into: &out, using: &rng)
        #expect(
            text(out)
                == "Given a DAG (directed acyclic graph) with nodes J, C, V, Z and directed edges J->C, J->V, C->V, Z->J, Z->C."
        )
        out.removeAll()
        r.appendSet([0, 1], names: bytes(["J", "C"]), into: &out)
        #expect(text(out) == "{'C', 'J'}")
        #expect(text(g.yes) == "Yes." && text(g.no) == "No.")
    }
}

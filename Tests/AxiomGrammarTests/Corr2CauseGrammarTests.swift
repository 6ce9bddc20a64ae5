import AxiomCore
import Testing

@testable import AxiomGrammar

/// The corr2cause grammar against Corr2Cause's wording (INTEROP.md): the premise of a collider
/// A → C ← B, and each relation's hypothesis in the original and the paraphrased template.
@Suite struct Corr2CauseGrammarTests {
    let names = bytes(["A", "B", "C"])
    let collider = CausalGraph(nodeCount: 3, edges: [(0, 2), (1, 2)])

    @Test func premiseWording() throws {
        let g = try shipped("corr2cause")
        var r = Renderer(grammar: g)
        var rng = SeededRNG(seed: 1)
        var out: [UInt8] = []
        r.appendStatistics(IndependenceModel(collider), names: names, order: .graph, into: &out, using: &rng)
        #expect(
            text(out)
                == "Suppose there is a closed system of 3 variables, A, B and C. All the statistical relations among these 3 variables are as follows: A correlates with C. B correlates with C. However, A is independent of B."
        )
        out.removeAll()
        let chain = CausalGraph(nodeCount: 4, edges: [(0, 1), (1, 2), (2, 3)])
        r.appendStatistics(
            IndependenceModel(chain),
            names: bytes(["A", "B", "C", "D"]),
            order: .graph,
            into: &out,
            using: &rng
        )
        #expect(
            text(out).hasSuffix(
                "However, A and C are independent given B. A and C are independent given B and D. A and D are independent given B. A and D are independent given C. A and D are independent given B and C. B and D are independent given C. B and D are independent given A and C."
            )
        )
    }

    static let original = [
        "A directly causes C.", "A causes something else which causes C.", "C directly causes A.",
        "C is a cause for A, but not a direct one.",
        "There exists at least one collider (i.e., common effect) of A and C.",
        "There exists at least one confounder (i.e., common cause) of A and C.",
    ]
    static let paraphrased = [
        "A directly affects C.", "A influences C through some mediator(s).", "C directly affects A.",
        "C influences A through some mediator(s).", "A and C together cause some other variable(s).",
        "Some variable(s) cause(s) both A and C.",
    ]

    /// One hypothesis per relation and template set, rendered and read back (child and
    /// non-child-descendant read as parent and non-parent-ancestor with x, y swapped: the same text).
    @Test(arguments: [0, 1]) func hypothesisWording(set: Int) throws {
        let full = try shipped("corr2cause")
        let task = CorrelationToCausation()
        let premise =
            "Suppose there is a closed system of 3 variables, A, B and C. All the statistical relations among these 3 variables are as follows: A correlates with C. B correlates with C. However, A is independent of B."
        for r in 0..<6 {
            var g = full
            let key = Grammar.TemplateKey(Axiom.correlationToCausation.rawValue, given: false, relation: r)
            g.questions[key] = Alternatives([full.questions[key]!.templates[set]])
            var renderer = Renderer(grammar: g)
            var rng = SeededRNG(seed: 2)
            var out: [UInt8] = []
            let q = Query(.correlationToCausation, 0, 2, relation: r)
            renderer.appendQuestion(q, shape: task.shape, names: names, into: &out, using: &rng)
            #expect(text(out) == (set == 0 ? Self.original : Self.paraphrased)[r])
            let parsed = try full.parse(premise: premise, hypothesis: text(out))
            #expect(parsed.statistical)
            let back = Query(.correlationToCausation, parsed.query.x, parsed.query.y, relation: parsed.query.relation)
            // Names in the premise's order A, B, C are nodes 0, 1, 2 of the parsed instance.
            #expect(task.normalized(back) == task.normalized(q))
            #expect(full.readQuestion(text(out))?.relation == parsed.query.relation)
        }
    }

    /// Text that no DAG implies is refused.
    @Test func unfaithfulPremiseIsRefused() throws {
        let g = try shipped("corr2cause")
        let bad =
            "Suppose there is a closed system of 3 variables, A, B and C. All the statistical relations among these 3 variables are as follows: A correlates with B. A correlates with C. B correlates with C. However, A is independent of B."
        #expect(throws: TextError.self) { try g.parse(premise: bad, hypothesis: "A directly causes C.") }
    }
}

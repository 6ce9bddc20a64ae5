import AxiomCore
import Foundation
import Testing

@testable import AxiomGrammar

/// The explanations of the questions about causal models (association, intervention,
/// treated-effect): the formula, each summand with its numbers, the sum. Rendered by the
/// `models` grammar, read back and replayed against the model, every one holds; a wrong number,
/// a wrong set, a missing summand or a conclusion against the sum fails; and every step before
/// the conclusion is the same whatever the answer.
@Suite struct ModelExplanations {
    static let names = ["A", "B", "C", "D", "EF", "G", "HK"]

    /// Every (task, question) of seeded random models of 2–7 variables, with its explanation's
    /// text and what the replay says of it.
    struct Case {
        var task: any CausalTask
        var model: CausalModel
        var query: Query
        var label: Bool
        var text: String
    }

    static func cases(rounds: Int = 40) throws -> [Case] {
        let grammar = try shipped("models")
        var renderer = Renderer(grammar: grammar)
        var rng = SeededRNG(seed: 20_261_207)
        var out: [Case] = []
        for round in 0..<rounds {
            let n = 2 + round % 6
            let (graph, _) = GraphGenerator.make(.random(edgeProbability: 0.5), nodes: n, using: &rng)
            let model = CausalModel.random(on: graph, using: &rng)
            for var task in [Association(), Intervention(), TreatedEffect()] as [any CausalTask] {
                task.prepare(model)
                for query in task.questions(nodeCount: n, givenSizes: 0...0) {
                    let label = task.answer(query)
                    var proof = Proof()
                    var steps = Explanation()
                    task.prove(query, into: &proof)
                    task.explain(query, proof: proof, into: &steps)
                    var rendered: [UInt8] = []
                    renderer.appendExplanation(
                        steps,
                        graph: graph,
                        names: bytes(Array(names.prefix(n))),
                        into: &rendered,
                        using: &rng
                    )
                    out.append(Case(task: task, model: model, query: query, label: label, text: text(rendered)))
                }
            }
        }
        return out
    }

    static func problems(_ c: Case, _ text: String, label: Bool? = nil) throws -> [String] {
        let grammar = try shipped("models")
        let names = Array(Self.names.prefix(c.model.nodeCount))
        let steps: [ParsedStep]
        do {
            steps = try grammar.parseExplanation(text, kinds: c.task.allExplanationForms.map(\.kind), names: names)
        } catch {
            return ["the explanation cannot be read back: \(error)"]
        }
        var replay = ExplanationReplay(
            sentences: { nil },
            names: names,
            graph: c.model.graph,
            query: c.query,
            label: label ?? c.label,
            model: c.model
        )
        return replay.problems(of: steps)
    }

    @Test func everyExplanationReplays() throws {
        let cases = try Self.cases()
        var labels: [String: [Int]] = [:]
        for c in cases {
            #expect(try Self.problems(c, c.text).isEmpty, "\(c.query) \(c.text)")
            labels[c.task.axiom.rawValue, default: [0, 0]][c.label ? 0 : 1] += 1
        }
        // Both answers of every task were explained.
        #expect(labels.count == 3 && labels.values.allSatisfy { $0[0] > 20 && $0[1] > 20 }, "\(labels)")
    }

    /// The explanation of "does setting node 0 to 1 make node 1 = 1 more likely?" in `model`, as
    /// the `models` grammar writes it.
    static func interventionText(_ model: CausalModel, names: [String]) throws -> String {
        var task = Intervention()
        task.prepare(model)
        var steps = Explanation()
        task.explain(Query(.intervention, 0, 1), proof: Proof(), into: &steps)
        var renderer = Renderer(grammar: try shipped("models"))
        var rng = SeededRNG(seed: 1)
        var out: [UInt8] = []
        renderer.appendExplanation(steps, graph: model.graph, names: bytes(names), into: &out, using: &rng)
        return text(out)
    }

    /// The numbers are the model's: P(B = 1 | A = 1) and P(B = 1 | A = 0) of a two-variable
    /// model, by hand: 0.70 and 0.20, the association 0.5, the effect the same (no confounder).
    @Test func numbersAreTheModelsByHand() throws {
        var graph = CausalGraph(nodeCount: 2)
        graph.addEdge(0, 1)
        let model = try CausalModel(graph: graph, tables: [[30], [20, 70]])
        #expect(
            try Self.interventionText(model, names: ["A", "B"])
                == "No backdoor path runs from A to B, so the average effect of A on B is P(B = 1 | A = 1) - P(B = 1 | A = 0). "
                + "P(B = 1 | A = 1) = 0.7000 and P(B = 1 | A = 0) = 0.2000. "
                + "The average effect of A on B is 0.5000, which is positive, so setting A to 1 rather than 0 makes B = 1 more likely."
        )
    }

    /// A confounder: Z → X, Z → Y, X → Y with P(Z=1) = 0.5, P(X=1 | Z) = 0.2 / 0.8 and
    /// P(Y=1 | X, Z) = 0.1 (0,0), 0.3 (1,0), 0.6 (0,1), 0.8 (1,1) (Y's parents X then Z, so row
    /// bits are X, Z). Each stratum adds 0.5 · 0.2 = 0.1: the effect is 0.2000.
    @Test func confoundedEffectIsAdjustedByHand() throws {
        var graph = CausalGraph(nodeCount: 3)
        graph.addEdge(2, 0)
        graph.addEdge(2, 1)
        graph.addEdge(0, 1)
        let model = try CausalModel(graph: graph, tables: [[20, 80], [10, 30, 60, 80], [50]])
        let t = try Self.interventionText(model, names: ["X", "Y", "Z"])
        #expect(t.hasPrefix("Adjusting for {Z} blocks every backdoor path from X to Y"), "\(t)")
        #expect(
            t.contains(
                "P(Z = 0) = 0.5000, P(Y = 1 | X = 1, Z = 0) = 0.3000 and P(Y = 1 | X = 0, Z = 0) = 0.1000, which adds 0.1000."
            ),
            "\(t)"
        )
        #expect(
            t.contains(
                "P(Z = 1) = 0.5000, P(Y = 1 | X = 1, Z = 1) = 0.8000 and P(Y = 1 | X = 0, Z = 1) = 0.6000, which adds 0.1000."
            ),
            "\(t)"
        )
        #expect(
            t.hasSuffix(
                "The average effect of X on Y is 0.2000, which is positive, so setting X to 1 rather than 0 makes Y = 1 more likely."
            ),
            "\(t)"
        )
    }

    /// Changing one number, the set, a summand, the pair, the decimals or the label is caught.
    @Test func wrongExplanationsFail() throws {
        let cases = try Self.cases(rounds: 16)
        var tried = [0, 0, 0, 0, 0, 0]
        let number = try NSRegularExpression(pattern: "-?[0-9]+\\.[0-9]{4}")
        let anyNumber = try NSRegularExpression(pattern: "-?[0-9]+\\.[0-9]+")
        for c in cases {
            let range = NSRange(c.text.startIndex..., in: c.text)
            // One number off by 0.0100.
            if let m = number.matches(in: c.text, range: range).dropFirst(tried[0] % 3).first,
                let r = Range(m.range, in: c.text)
            {
                let written = Double(c.text[r])!
                let changed = c.text.replacingCharacters(in: r, with: String(format: "%.4f", written + 0.01))
                #expect(!(try Self.problems(c, changed)).isEmpty, "\(changed)")
                tried[0] += 1
            }
            // The other label: the conclusion no longer matches it.
            #expect(!(try Self.problems(c, c.text, label: !c.label)).isEmpty)
            tried[1] += 1
            // A summand dropped (the formula needs one per value of the set).
            var sentences = c.text.components(separatedBy: ". ")
            if sentences.count > 3 {
                sentences.remove(at: sentences.count - 2)
                #expect(
                    !(try Self.problems(c, sentences.joined(separator: ". "))).isEmpty,
                    "\(sentences.joined(separator: ". "))"
                )
                tried[2] += 1
            }
            // An effect of x added to the adjustment set (everywhere the sentence names it).
            let names = Array(Self.names.prefix(c.model.nodeCount))
            if c.text.hasPrefix("Adjusting for {"), let close = c.text.firstIndex(of: "}"),
                let effect = c.model.graph.children(of: c.query.x).first(where: { $0 != c.query.y })
            {
                let set = String(c.text[c.text.startIndex...close].dropFirst("Adjusting for ".count))
                let inside = set.dropFirst().dropLast()
                let changed = c.text.replacingOccurrences(of: set, with: "{\(inside), \(names[effect])}")
                let found = try Self.problems(c, changed)
                #expect(found.contains { $0.contains("no valid adjustment set") }, "\(changed): \(found)")
                tried[3] += 1
            }
            // A summand twice (the first in place of the second).
            if c.text.hasPrefix("Adjusting for {") {
                var sentences = c.text.components(separatedBy: ". ")
                sentences[2] = sentences[1]
                let found = try Self.problems(c, sentences.joined(separator: ". "))
                #expect(found.contains { $0.contains("a second summand") }, "\(found)")
                tried[4] += 1
            }
            // The question's x and y swapped: the steps name the other pair.
            var swapped = c
            swapped.query = Query(c.query.axiom, c.query.y, c.query.x)
            #expect(!(try Self.problems(swapped, c.text)).isEmpty)
            // The sum with two decimals: at least four are required.
            if let m = anyNumber.matches(in: c.text, range: range).last, let r = Range(m.range, in: c.text) {
                let two = String(format: "%.2f", Double(c.text[r])!)
                let found = try Self.problems(c, c.text.replacingCharacters(in: r, with: two))
                #expect(found.contains { $0.contains("not at least 4") }, "\(found)")
                tried[5] += 1
            }
        }
        #expect(tried.allSatisfy { $0 > 10 }, "\(tried)")
    }

    /// A template whose `<value/>` slots are not the step's numbers is refused when the grammar
    /// loads, with its line: a conclusion without its sum, a summand with one number too many.
    @Test func templatesMustHoldTheStepsNumbers() throws {
        let xml = try String(contentsOfFile: repoRoot + "/Grammars/models.xml", encoding: .utf8)
        let noSum = xml.replacingOccurrences(
            of: "The average effect of <x/> on <y/> is <value/>, which is positive",
            with: "The average effect of <x/> on <y/> is positive"
        )
        #expect(noSum != xml)
        #expect(loadError(noSum)?.contains("a 'effect-raises' template holds 1 <value/> slot(s)") == true)
        let extra = xml.replacingOccurrences(
            of: "P(<y/> = 1 | <x/> = 0) = <value/>.</t>\n  </explain>\n  <explain proof=\"association-more\">",
            with:
                "P(<y/> = 1 | <x/> = 0) = <value/> (<value/>).</t>\n  </explain>\n  <explain proof=\"association-more\">"
        )
        #expect(extra != xml)
        #expect(loadError(extra)?.contains("holds 2 <value/> slot(s)") == true)
    }

    /// Label-neutral: two models on the same graph whose answers differ give explanations with
    /// the same steps up to the conclusion (kinds, nodes and sets; only the numbers differ).
    @Test func stepsBeforeTheConclusionDoNotDependOnTheAnswer() throws {
        var rng = SeededRNG(seed: 5)
        var compared = 0
        for round in 0..<30 {
            let n = 3 + round % 4
            let (graph, _) = GraphGenerator.make(.random(edgeProbability: 0.5), nodes: n, using: &rng)
            for var task in [Association(), Intervention(), TreatedEffect()] as [any CausalTask] {
                for query in task.questions(nodeCount: n, givenSizes: 0...0) {
                    var shapes: [Bool: [String]] = [:]
                    for _ in 0..<8 {
                        let model = CausalModel.random(on: graph, using: &rng)
                        task.prepare(model)
                        var steps = Explanation()
                        task.explain(query, proof: Proof(), into: &steps)
                        let shape = steps.steps.dropLast().map { s in
                            "\(s.kind) \(s.conditioned) \(s.x) \(s.y) \(steps.nodes[s.set]) \(steps.literals[s.values].map { "\($0.node)=\($0.value)" })"
                        }
                        shapes[task.answer(query)] = shape
                    }
                    if let yes = shapes[true], let no = shapes[false] {
                        #expect(yes == no, "\(task.axiom) \(query)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 50)
    }
}

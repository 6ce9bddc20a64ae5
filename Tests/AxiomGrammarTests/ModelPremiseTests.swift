import AxiomCore
import Testing

@testable import AxiomGrammar

/// A causal model's premise (the `models` grammar): edges, then one sentence per table row, in
/// probability notation or words; read back to the same tables.
@Suite struct ModelPremises {
    static func premise(
        _ model: CausalModel,
        names: [String],
        order: PremiseOrder,
        seed: UInt64,
        grammar: Grammar
    ) -> String {
        var renderer = Renderer(grammar: grammar)
        var rng = SeededRNG(seed: seed)
        var out: [UInt8] = []
        renderer.appendModel(model, names: bytes(names), order: order, into: &out, using: &rng)
        return text(out)
    }

    @Test func everyOrderReadsBackToTheSameTables() throws {
        let grammar = try shipped("models")
        var rng = SeededRNG(seed: 7)
        let letters = ["A", "B", "C", "D", "EF", "G", "HK", "M", "N"]
        for round in 0..<60 {
            let n = 2 + round % 8
            let (graph, _) = GraphGenerator.make(.random(edgeProbability: 0.5), nodes: n, using: &rng)
            let model = CausalModel.random(on: graph, using: &rng)
            let names = Array(letters.prefix(n))
            for order in PremiseOrder.allCases {
                let premise = Self.premise(model, names: names, order: order, seed: UInt64(round), grammar: grammar)
                let question = "Does setting \(names[0]) to 1 instead of 0 make \(names[n - 1]) = 1 more likely?"
                let parsed = try grammar.parse(premise: premise, hypothesis: question)
                let back = parsed.names.map { names.firstIndex(of: $0)! }
                let stated = try #require(parsed.model, "\(premise)")
                #expect(stated.relabeled(back) == model.tables, "\(premise)")
                #expect(parsed.query.axiom == .intervention)
                #expect(back[parsed.query.x] == 0 && back[parsed.query.y] == n - 1)
            }
        }
    }

    @Test func rowsAreWrittenWithTwoDecimalsAndTheParentsValues() throws {
        let grammar = try shipped("models")
        var graph = CausalGraph(nodeCount: 3)
        graph.addEdge(0, 2)
        graph.addEdge(1, 2)
        let model = try CausalModel(graph: graph, tables: [[5], [60], [1, 20, 30, 99]])
        for seed in 0..<8 as Range<UInt64> {
            let premise = Self.premise(model, names: ["A", "B", "C"], order: .graph, seed: seed, grammar: grammar)
            // Each row whole, in either wording: the values beside the right entry.
            func states(_ values: String, _ p: String) -> Bool {
                premise.contains("P(C = 1 | \(values)) = \(p).")
                    || premise.contains("When \(values), C is 1 with probability \(p).")
            }
            #expect(states("A = 0, B = 0", "0.01") && states("A = 1, B = 0", "0.20"), "\(premise)")
            #expect(states("A = 0, B = 1", "0.30") && states("A = 1, B = 1", "0.99"), "\(premise)")
            #expect(premise.contains("P(A = 1) = 0.05.") || premise.contains("A is 1 with probability 0.05."))
            #expect(premise.contains("P(B = 1) = 0.60.") || premise.contains("B is 1 with probability 0.60."))
        }
    }

    /// A table with a row missing, a row stated twice or a row naming other parents is no model.
    @Test func incompleteOrWrongTablesAreLocatedErrors() throws {
        let grammar = try shipped("models")
        let question = "Does setting A to 1 instead of 0 make B = 1 more likely?"
        func error(_ premise: String) -> String? {
            do {
                _ = try grammar.parse(premise: premise, hypothesis: question)
                return nil
            } catch { return "\(error)" }
        }
        let good = "A causes B. P(A = 1) = 0.30. P(B = 1 | A = 0) = 0.20. P(B = 1 | A = 1) = 0.70."
        #expect(error(good) == nil)
        #expect(error("A causes B. P(A = 1) = 0.30. P(B = 1 | A = 0) = 0.20.")?.contains("lacks its row A=1") == true)
        #expect(
            error(good + " P(B = 1 | A = 1) = 0.50.")?.contains("stated twice") == true
        )
        #expect(
            error("A causes B. P(A = 1) = 0.30. P(B = 1) = 0.20.")?.contains("must give the values of its parents")
                == true
        )
        #expect(
            error("A causes B. P(B = 1 | A = 0) = 0.20. P(B = 1 | A = 1) = 0.70.")?.contains("table of 'A'") == true
        )
        #expect(error("A causes B. P(A = 1) = 0.00. P(B = 1 | A = 0) = 0.20. P(B = 1 | A = 1) = 0.70.") != nil)
        // More variables than a model may have: refused before any table is built.
        let many = (0..<13).map { "P(V\($0) = 1) = 0.50." }.joined(separator: " ")
        #expect(error("A causes B. " + many)?.contains("at most 12 variables") == true)
    }

    /// The grammar file's own rules for `<mechanisms>`.
    @Test func mechanismsAreCheckedWhenTheGrammarLoads() throws {
        let xml = try String(contentsOfFile: repoRoot + "/Grammars/models.xml", encoding: .utf8)
        let described = xml.replacingOccurrences(
            of: "  <question axiom=\"intervention\">",
            with:
                "  <description><t>Nodes <set/>, edges <edges/>.</t></description>\n  <question axiom=\"intervention\">"
        )
        #expect(loadError(described)?.contains("<description> and <mechanisms> exclude each other") == true)
        let glued = xml.replacingOccurrences(of: #"separator=", ""#, with: #"separator="and""#)
        #expect(loadError(glued)?.contains("start with no name character") == true)
    }
}

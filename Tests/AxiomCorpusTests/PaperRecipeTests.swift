import AxiomCore
import AxiomGrammar
import Foundation
import Testing

@testable import AxiomCorpus

/// The recipe options behind the paper's branching files: `edges: floor`, `nodes: {set: […]}`,
/// `order: by-source`, `premise_end: none`.
@Suite struct PaperRecipeOptions {
    static let branching = """
        name: t
        seed: 1
        grammar: paper
        splits:
          - name: eval_branching
            role: eval
            axioms: d-separation
            family: branching
            branching_factor: 1.4
            edges: floor
            connected: false
            nodes: {set: [12, 5, 8, 10]}
            order: by-source
            premise_end: none
            given_size: [0, 3]
            count: 200
        """

    @Test func theOptionsDecode() throws {
        let s = try inRepo { try Recipe.decode(Self.branching, file: "r.yaml", grammars: .standard()) }.splits[0]
        #expect(s.family == .branching(factor: 1.4, connected: false, edges: .floor))
        #expect(s.nodeCounts == [5, 8, 10, 12] && s.nodes == 5...12)
        #expect(s.orders == [.bySource] && s.premiseEnd == .bare)
        #expect(s.shapes == [[5, 7], [8, 11], [10, 14], [12, 16]])
        // Defaults: every count of a range, rounding, a final period.
        let plain = try inRepo { try Recipe.decode(RecipeDecoding.valid, file: "r.yaml", grammars: .standard()) }
            .splits[0]
        #expect(plain.nodeCounts == [3, 4, 5, 6] && plain.nodeSet == nil && plain.premiseEnd == .period)
    }

    @Test func badValuesAreLocated() {
        func error(_ from: String, _ to: String) -> String? {
            decodeError(Self.branching.replacingOccurrences(of: from, with: to))
        }
        #expect(
            error("edges: floor", "edges: ceil")
                == "r.yaml:10:12: error: 'edges' has no value 'ceil' (choose from round, floor)"
        )
        #expect(
            error("premise_end: none", "premise_end: dot")
                == "r.yaml:14:18: error: 'premise_end' has no value 'dot' (choose from period, none)"
        )
        #expect(
            error("nodes: {set: [12, 5, 8, 10]}", "nodes: {set: [5, 5]}")
                == "r.yaml:12:22: error: 'nodes' set holds 5 twice"
        )
        #expect(
            error("nodes: {set: [12, 5, 8, 10]}", "nodes: {list: [5]}")?.contains("unknown key 'list' in 'nodes'")
                == true
        )
        #expect(
            error("nodes: {set: [12, 5, 8, 10]}", "nodes: {set: []}")
                == "r.yaml:12:12: error: 'nodes' must be a number, [min, max] or {set: [n, …]}"
        )
        #expect(
            decodeError(
                RecipeDecoding.valid.replacingOccurrences(of: "count: 10", with: "count: 10\n    edges: floor")
            )?
            .contains("'edges' does not apply to family 'flipped-chain'") == true
        )
    }

    /// A compiled split has the paper's statistics: int(1.4 n) edges on exactly 5, 8, 10 and 12
    /// nodes, an equal share each (within two records), sentences grouped by cause and no period before the question.
    @Test func aCompiledSplitHasThePapersStatistics() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try inRepo {
            try Recipe.decode(
                Self.branching.replacingOccurrences(of: "count: 200", with: "count: 200\n    prompt: true"),
                file: "r.yaml",
                grammars: .standard()
            )
        }
        _ = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir, jobs: 1).compile(worker: 0, of: 1) }
        let text = try String(
            contentsOfFile: dir + "/eval_branching/eval_branching-00000-of-00001.jsonl",
            encoding: .utf8
        )
        var perCount: [Int: Int] = [:]
        var solver = Solver(grammar: try inRepo { try GrammarCatalog.standard().grammar("paper") })
        for line in text.split(separator: "\n") {
            let r = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let meta = r["meta"] as! [String: Any]
            let graph = r["graph"] as! [String: Any]
            let n = meta["nodes"] as! Int
            let edges = graph["edges"] as! [[Int]]
            perCount[n, default: 0] += 1
            #expect(edges.count == Int(1.4 * Double(n)))
            let premise = r["premise"] as! String
            #expect(
                !premise.hasSuffix(".")
                    && (r["prompt"] as! String).hasSuffix(premise + " " + (r["hypothesis"] as! String))
            )
            // By source: the premise lists edges sorted by (cause, effect) node index.
            let names = graph["nodes"] as! [String]
            let sorted = edges.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
            #expect(premise == sorted.map { "\(names[$0[0]]) causes \(names[$0[1]])" }.joined(separator: ". "))
            guard case let .answered(yes, label, _, _) = solver.solve(line: String(line)) else {
                Issue.record("unread: \(line)")
                continue
            }
            #expect(yes == label)
        }
        // Each count gets its share (the generator keeps shares within a record or two here).
        #expect(perCount.keys.sorted() == [5, 8, 10, 12] && perCount.values.reduce(0, +) == 200)
        #expect(perCount.values.allSatisfy { abs($0 - 50) <= 2 })
    }
}

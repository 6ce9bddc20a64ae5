import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// Corr2Cause-style corpora compile, balance every relation and pass `check` (labels by the
/// second algorithm, text read back to the same Markov equivalence class, cues from the text),
/// in the benchmark's wording and in en with explanations.
@Suite(.serialized) struct Corr2CauseCorpus {
    static func recipe(grammar: String, explanations: Bool) -> String {
        """
        name: c2c_test
        seed: 5
        grammar: \(grammar)
        names: {alphabet: A-Z, length: [1, 1], case_sensitive: true}
        defaults:
          axioms: [correlation-to-causation]
          family: random
          edge_probability: 0.5
          prompt: true
          explanations: \(explanations)
          queries_per_graph: 1
          question_types: {parent-yes: 1, parent-no: 1, non-parent-ancestor-yes: 1, non-parent-ancestor-no: 1,
                           child-yes: 1, child-no: 1, non-child-descendant-yes: 1, non-child-descendant-no: 1,
                           common-effect-yes: 1, common-effect-no: 1, common-cause-yes: 1, common-cause-no: 1}
        splits:
          - name: train
            role: train
            nodes: [4, 5]
            count: 240
          - name: eval_6
            role: eval
            nodes: [6, 6]
            names: {sequential: true}
            count: 120
        """
    }

    @Test(arguments: [("corr2cause", false), ("en", true)])
    func compilesBalancedAndChecks(grammar: String, explanations: Bool) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try inRepo {
            try Recipe.decode(
                Self.recipe(grammar: grammar, explanations: explanations),
                file: "c2c.yaml",
                grammars: .standard()
            )
        }
        _ = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir).compile() }
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.violations == [])
        #expect(report.checked["round trip"] == 360)
        // Every relation: as many Yes as No records, and one sixth of the split (within one).
        for split in ["train", "eval_6"] {
            let file = try #require(
                try FileManager.default.contentsOfDirectory(atPath: dir + "/" + split).first { $0.hasSuffix(".jsonl") }
            )
            var yes: [String: Int] = [:]
            var all: [String: Int] = [:]
            for line in try String(contentsOfFile: dir + "/" + split + "/" + file, encoding: .utf8).split(
                separator: "\n"
            ) {
                let r = try JSONValue.parse(Array(line.utf8))
                let relation = try #require(r["query"]?["relation"]?.string)
                all[relation, default: 0] += 1
                if r["label"]?.string == "Yes" { yes[relation, default: 0] += 1 }
                if split == "eval_6" {
                    #expect(
                        r["graph"]?["nodes"]?.array?.compactMap(\.string).sorted() == ["A", "B", "C", "D", "E", "F"]
                    )
                }
            }
            // Within one record: a draw that misses its wanted type after 32 tries takes another.
            let count = split == "train" ? 40 : 20
            #expect(all.keys.sorted() == CausalRelation.allCases.map(\.name).sorted())
            for relation in CausalRelation.allCases.map(\.name) {
                #expect(abs((all[relation] ?? 0) - count) <= 1, "\(split) \(relation): \(all)")
                #expect(abs((yes[relation] ?? 0) - count / 2) <= 1, "\(split) \(relation): \(yes)")
            }
        }
    }
}

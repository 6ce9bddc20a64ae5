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
        // Both grammars explain now, and check replays every explanation.
        #expect(report.checked["explanations"] == (explanations ? 360 : 0))
        if explanations { try tamperedExplanationsFail(dir: dir, recipe: recipe) }
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

    /// A conclusion turned around, or an independence the premise does not state, is caught.
    func tamperedExplanationsFail(dir: String, recipe: Recipe) throws {
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: dir + "/train").first { $0.hasSuffix(".jsonl") }
        )
        let lines = try String(contentsOfFile: dir + "/train/" + file, encoding: .utf8).split(separator: "\n")
        var state = RecordCheck(grammar: recipe.grammar, spec: recipe.splits[0], recipeName: recipe.name)
        func problems(_ text: String) -> [String] {
            Array(text.utf8).withUnsafeBufferPointer { state.check($0, split: "train") }.map(\.check)
        }
        var turned = 0
        var unstated = 0
        for line in lines.prefix(60) {
            let text = String(line)
            #expect(problems(text).isEmpty)
            let holds = "holds, so it follows."
            let fails = "does not hold, so it does not follow from them."
            let flipped =
                text.contains(holds)
                ? text.replacingOccurrences(of: "in each of them the hypothesis", with: "in one of them the hypothesis")
                    .replacingOccurrences(
                        of:
                            "These steps fix the edges every graph that fits these relations shares, and in one of them the",
                        with: "In a graph that fits these relations, oriented as above, the"
                    ).replacingOccurrences(of: holds, with: fails)
                : text
            if flipped != text {
                turned += 1
                #expect(problems(flipped).contains("explanations"), "\(flipped)")
            }
            // "No independence separates A and B, so they are adjacent." → "A and B are independent".
            if let r = text.range(
                of: #"No independence separates ([A-Z]) and ([A-Z]), so they are adjacent\."#,
                options: .regularExpression
            ) {
                let pair = text[r].dropFirst("No independence separates ".count).prefix(7)
                let forged = text.replacingCharacters(in: r, with: pair + " are independent, so they are not adjacent.")
                unstated += 1
                #expect(problems(forged).contains("explanations"), "\(forged)")
            }
        }
        #expect(turned > 5 && unstated > 5, "\(turned) turned, \(unstated) forged")
        // A common effect (cause) named that is not one: x itself in its place.
        var witnesses = 0
        for line in lines {
            let text = String(line)
            let pattern = #"In every graph that fits these relations, ([A-Z]) (is reached from|reaches) ([A-Z]) "#
            guard let r = text.range(of: pattern, options: .regularExpression) else { continue }
            let sentence = text[r.lowerBound...].prefix { $0 != "." }
            let words = sentence.split(separator: " ")
            let (witness, x) = (String(words[7]), String(words[words[8] == "is" ? 11 : 9]))
            let forged = text.replacingOccurrences(
                of: sentence,
                with: sentence.replacingOccurrences(of: " \(witness) ", with: " \(x) ")
                    .replacingOccurrences(of: "so \(witness) is", with: "so \(x) is")
            )
            witnesses += 1
            #expect(forged != text && problems(forged).contains("explanations"), "\(forged)")
        }
        #expect(witnesses > 3, "\(witnesses) named common effects or causes")
    }
}

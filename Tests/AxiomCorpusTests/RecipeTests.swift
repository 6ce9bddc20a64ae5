import AxiomGrammar
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

@Suite struct RecipeDecoding {
    static let valid = """
        name: t
        seed: 1
        grammar: paper
        splits:
          - name: train
            role: train
            axioms: transitivity
            family: flipped-chain
            flip_probability: 0.5
            nodes: [3, 6]
            count: 10
        """

    @Test func shippedRecipesDecode() throws {
        for name in ["smoke", "default", "paper-transitivity", "paper-d-separation", "causal-suite"] {
            let r = try inRepo { try Recipe.resolve(name, grammars: .standard()) }
            #expect(r.splits.contains { $0.role == .train })
            #expect(r.splits.contains { $0.role == .eval })
        }
    }

    @Test func validRecipeDecodesWithDefaults() throws {
        let r = try inRepo { try Recipe.decode(Self.valid, file: "r.yaml", grammars: .standard()) }
        let s = r.splits[0]
        #expect(s.nodes == 3...6 && s.count == 10 && s.queriesPerGraph == 1 && s.orders == [.graph])
        #expect(s.family == .flippedChain(flipProbability: 0.5))
    }

    @Test func aGrammarLackingASplitsTaskIsALocatedError() throws {
        let paper = try String(contentsOfFile: repoRoot + "/Grammars/paper.xml", encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-no-transitivity.xml").path
        try paper.replacingOccurrences(
            of: "<question axiom=\"transitivity\"><t>Does <x/> cause <y/>?</t></question>",
            with: ""
        )
        .write(toFile: path, atomically: true, encoding: .utf8)
        let e = decodeError(Self.valid.replacingOccurrences(of: "grammar: paper", with: "grammar: \(path)"))
        #expect(e == "r.yaml:7:13: error: grammar 'paper' has no question templates for task 'transitivity'")
    }

    /// A grammar that does not load: one message (the grammar's own location inside it), and the
    /// grammar's error kept beneath the recipe's as `underlying`.
    @Test func aGrammarThatDoesNotLoadIsTheUnderlyingCause() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-broken-\(getpid()).xml").path
        try "<grammar name=\"broken\" version=\"1\">\n  <answers/>\n".write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let yaml = Self.valid.replacingOccurrences(of: "grammar: paper", with: "grammar: \(path)")
        let error = try #require(
            throws: RecipeError.self,
            performing: { try inRepo { try Recipe.decode(yaml, file: "r.yaml", grammars: .standard()) } }
        )
        let grammar = try #require(error.underlying as? GrammarError)
        #expect(grammar.file == path && grammar.line > 0)
        #expect(error.description.hasPrefix("r.yaml:3:10: error: grammar '\(path)': \(path):"))
        #expect(error.isLocated && (error as any UserError).underlying != nil)
    }

    @Test func unknownKeyIsLocatedWithASuggestion() {
        let e = decodeError(Self.valid.replacingOccurrences(of: "flip_probability", with: "flip_prob"))
        #expect(e == "r.yaml:9:5: error: unknown key 'flip_prob' in a split (did you mean 'flip_probability'?)")
    }

    @Test func wrongTypeIsLocated() {
        let e = decodeError(Self.valid.replacingOccurrences(of: "count: 10", with: "count: many"))
        #expect(e == "r.yaml:11:12: error: 'count' must be a whole number, not 'many'")
    }

    @Test func impossibleSettingsAreRefused() {
        #expect(
            decodeError(Self.valid.replacingOccurrences(of: "nodes: [3, 6]", with: "nodes: [6, 3]"))
                == "r.yaml:10:12: error: 'nodes' range [6, 3] runs backwards"
        )
        #expect(
            decodeError(Self.valid.replacingOccurrences(of: "flip_probability: 0.5", with: "flip_probability: 1.5"))
                == "r.yaml:9:23: error: 'flip_probability' must be between 0.0 and 1.0, not 1.5"
        )
        #expect(
            decodeError(
                Self.valid.replacingOccurrences(
                    of: "axioms: transitivity",
                    with: "axioms: d-separation\n    given_size: [2, 3]"
                )
            )?
            .contains("'given_size' 2 leaves no room for x and y in graphs of 3 nodes") == true
        )
        #expect(
            decodeError(
                Self.valid.replacingOccurrences(
                    of: "    nodes: [3, 6]",
                    with: "    nodes: [3, 6]\n    branching_factor: 2"
                )
            )?
            .contains("'branching_factor' does not apply to family 'flipped-chain'") == true
        )
        #expect(
            decodeError(Self.valid.replacingOccurrences(of: "grammar: paper", with: "grammar: klingon"))?
                .contains("no grammar named 'klingon'") == true
        )
        #expect(
            decodeError(Self.valid.replacingOccurrences(of: "name: train", with: "name: Train-1"))?
                .contains("split name 'Train-1'") == true
        )
        #expect(
            decodeError(Self.valid + "\nnames:\n  length: 1\n  alphabet: ab\n")?
                .contains("too few for graphs of 6 nodes") == true
        )
        #expect(
            decodeError(
                Self.valid.replacingOccurrences(of: "    count: 10", with: "    control_slack: 0.1\n    count: 10")
            )
                == "r.yaml:11:20: error: 'control_slack' needs 'control'"
        )
        #expect(
            decodeError(
                Self.valid.replacingOccurrences(
                    of: "    count: 10",
                    with: "    control: all\n    control_slack: 0.7\n    count: 10"
                )
            )?
            .contains("'control_slack' must be between 0.0 and 0.5, not 0.7") == true
        )
    }

    @Test func controlSlackIsReadPerSplit() throws {
        let yaml = Self.valid.replacingOccurrences(
            of: "    count: 10",
            with: "    control: all\n    control_slack: 0.15\n    count: 10"
        )
        let r = try inRepo { try Recipe.decode(yaml, file: "r.yaml", grammars: .standard()) }
        #expect(r.splits[0].controlSlack == 0.15)
        let plain = try inRepo { try Recipe.decode(Self.valid, file: "r.yaml", grammars: .standard()) }
        #expect(plain.splits[0].controlSlack == 0)
    }

    @Test func duplicateKeysAndBadYAMLAreLocated() {
        #expect(
            decodeError(Self.valid.replacingOccurrences(of: "seed: 1", with: "seed: 1\nseed: 2"))
                == "r.yaml:3:1: error: key 'seed' appears twice in the same mapping"
        )
        #expect(
            decodeError(Self.valid.replacingOccurrences(of: "nodes: [3, 6]", with: "nodes: [3, 6"))?.hasPrefix(
                "r.yaml:"
            ) == true
        )
    }

    @Test func evalSplitsThatCouldRepeatTrainingGraphsAreRefused() {
        let leaky =
            Self.valid + """

                  - name: eval
                    role: eval
                    axioms: transitivity
                    family: chain
                    nodes: [5, 8]
                    count: 10
                """
        #expect(
            decodeError(leaky)?.contains("eval split 'eval' can produce graphs of 5 nodes and 4 edges, as training can")
                == true
        )
        #expect(decodeError(leaky + "\n    leakage: text") == nil)
    }

    @Test func planIsPureAndCoversEveryRecord() throws {
        let plan = Plan(recipe: try smokeRecipe())
        #expect(
            plan.jobs.map(\.path).prefix(3) == [
                "train/train-00000-of-00003.jsonl", "train/train-00001-of-00003.jsonl",
                "train/train-00002-of-00003.jsonl",
            ]
        )
        #expect(plan.jobs.reduce(0) { $0 + $1.records } == 540)
        let workers = (0..<3).flatMap { plan.jobs(worker: $0, of: 3) }
        #expect(Set(workers) == Set(plan.jobs) && workers.count == plan.jobs.count)
    }
}

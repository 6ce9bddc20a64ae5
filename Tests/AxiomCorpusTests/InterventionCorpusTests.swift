import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// Interventions (rung 2) end to end: a recipe compiles with model twins, `check` recomputes
/// every label from `graph.tables` and reads the tables back from the text, and a table changed
/// after the fact is caught.
@Suite struct InterventionCorpus {
    static let recipe = """
        name: interventions-test
        seed: 11
        grammar: models
        names:
          alphabet: A-Z
          length: [1, 2]
        defaults:
          tasks: [intervention]
          family: random
          edge_probability: 0.5
          prompt: true
          control: all
          twins: all
          order: [graph, shuffled]
        splits:
          - name: train
            role: train
            nodes: [4, 6]
            count: 300
            shard_size: 100
          - name: eval
            role: eval
            nodes: [7, 7]
            count: 200
        """

    static func compile(_ text: String = recipe) throws -> String {
        let dir = temporaryDirectory()
        let recipe = try inRepo { try Recipe.decode(text, file: "interventions-test.yaml", grammars: .standard()) }
        try Compiler(recipe: recipe, outputDirectory: dir, jobs: 2).compile()
        return dir
    }

    static func records(_ dir: String, split: String) throws -> [JSONValue] {
        let manifest = try Manifest.read(directory: dir)
        return try manifest.splits[split]!.shards.flatMap { shard in
            try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8).split(separator: "\n").map {
                try JSONValue.parse(Array($0.utf8))
            }
        }
    }

    @Test func compilesTwinnedAndPassesCheck() throws {
        let dir = try Self.compile()
        var checker = Checker(directory: dir, grammars: .standard())
        checker.jobs = 2
        let report = try inRepo { try checker.run() }
        #expect(report.passed, "\(report.violations.prefix(5))")
        #expect(report.checked["twins"] == 500)
        for split in ["train", "eval"] {
            let records = try Self.records(dir, split: split)
            var byID: [String: JSONValue] = [:]
            for r in records { byID[r["id"]!.string!] = r }
            var associationByLabel = [0, 0]
            for r in records {
                let yes = r["label"]?.string == "Yes"
                let twin = try #require(byID[r["meta"]?["twin"]?.string ?? ""])
                // Twins: the same graph and question, other tables, the other label.
                #expect(twin["graph"]?["edges"] == r["graph"]?["edges"])
                #expect(twin["hypothesis"] == r["hypothesis"])
                #expect(twin["graph"]?["tables"] != r["graph"]?["tables"])
                #expect((twin["label"]?.string == "Yes") != yes)
                let cues = r["meta"]?["cues"]?.array?.compactMap(\.string) ?? []
                if cues.contains("association-positive") { associationByLabel[yes ? 0 : 1] += 1 }
                // Only a question with a directed path x ⇝ y can have a twin of the other label.
                #expect((r["meta"]?["hops"]?.int ?? -1) >= 1)
            }
            // The association's sign is kept by every twin, so it is as common among Yes as No.
            #expect(associationByLabel[0] == associationByLabel[1])
            #expect(associationByLabel[0] > 0)
        }
    }

    /// The three rungs over the same kind of premise: each task appears with both labels in
    /// every split, and every twin keeps the signs of the two quantities not asked, so each is as
    /// common among a task's Yes records as among its No records.
    @Test func threeRungsCompileBalancedAndPassCheck() throws {
        let text = Self.recipe.replacingOccurrences(
            of: "tasks: [intervention]",
            with: "tasks: [association, intervention, treated-effect]"
        ).replacingOccurrences(of: "  prompt: true\n", with: "  prompt: true\n  explanations: true\n")
        let dir = try Self.compile(text)
        var checker = Checker(directory: dir, grammars: .standard())
        checker.jobs = 2
        let report = try inRepo { try checker.run() }
        #expect(report.passed, "\(report.violations.prefix(5))")
        // Every explanation read back and replayed against its record's model.
        #expect(report.checked["explanations"] == 500)
        let controlled = [
            "association": ["effect-positive", "treated-effect-positive"],
            "intervention": ["association-positive", "treated-effect-positive"],
            "treated-effect": ["association-positive", "effect-positive"],
        ]
        for split in ["train", "eval"] {
            var labels: [String: [Int]] = [:]
            var cued: [String: [Int]] = [:]
            let records = try Self.records(dir, split: split)
            var byID: [String: JSONValue] = [:]
            for r in records { byID[r["id"]!.string!] = r }
            for r in records {
                let task = try #require(r["axiom"]?.string)
                let yes = r["label"]?.string == "Yes"
                labels[task, default: [0, 0]][yes ? 0 : 1] += 1
                let twin = try #require(byID[r["meta"]?["twin"]?.string ?? ""])
                #expect(twin["meta"]?["cues"] == r["meta"]?["cues"])
                #expect(twin["label"] != r["label"])
                let cues = r["meta"]?["cues"]?.array?.compactMap(\.string) ?? []
                for cue in try #require(controlled[task]) where cues.contains(cue) {
                    cued[task + "/" + cue, default: [0, 0]][yes ? 0 : 1] += 1
                }
            }
            for task in controlled.keys {
                #expect((labels[task]?.min() ?? 0) > 0, "\(split) \(task) \(labels)")
            }
            for (cell, counts) in cued { #expect(counts[0] == counts[1], "\(split) \(cell)") }
            // Every controlled cue is set somewhere in the training split: the balance is not
            // met by leaving a cue's cells empty.
            if split == "train" {
                for (task, names) in controlled {
                    for cue in names { #expect((cued[task + "/" + cue]?[0] ?? 0) > 0, "\(task) \(cue)") }
                }
            }
        }
    }

    /// One table entry changed: the text no longer states the record's tables.
    @Test func aChangedTableIsCaught() throws {
        let dir = try Self.compile(Self.recipe.replacingOccurrences(of: "count: 200", with: "count: 20"))
        let manifest = try Manifest.read(directory: dir)
        let file = dir + "/" + manifest.splits["eval"]!.shards[0].file
        var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let r = try JSONValue.parse(Array(lines[0].utf8))
        let tables = try #require(r["graph"]?["tables"]?.array)
        let first = try #require(tables[0].array?.first?.int)
        let old = "\"tables\":[[\(first)"
        let new = "\"tables\":[[\(first == 50 ? 51 : 50)"
        #expect(lines[0].contains(old))
        lines[0] = lines[0].replacingOccurrences(of: old, with: new)
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(
            report.violations.contains {
                $0.check == "round trip" && $0.message.contains("does not state the probability tables")
            }
        )
    }

    /// One number of one explanation changed: its replay against the model fails.
    @Test func aChangedNumberInAnExplanationIsCaught() throws {
        let dir = try Self.compile(
            Self.recipe.replacingOccurrences(of: "count: 200", with: "count: 20")
                .replacingOccurrences(of: "  prompt: true\n", with: "  prompt: true\n  explanations: true\n")
        )
        let manifest = try Manifest.read(directory: dir)
        let file = dir + "/" + manifest.splits["eval"]!.shards[0].file
        var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let r = try JSONValue.parse(Array(lines[0].utf8))
        let explanation = try #require(r["explanation"]?.string)
        let number = try #require(explanation.range(of: "= 0\\.[0-9]{4}", options: .regularExpression))
        let digit = explanation.index(before: number.upperBound)
        let changed = explanation.replacingCharacters(
            in: digit...digit,
            // Five units of the last place off: no rounding of the exact value writes it.
            with: String((Int(String(explanation[digit]))! + 5) % 10)
        )
        lines[0] = lines[0].replacingOccurrences(of: explanation, with: changed)
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(
            report.violations.contains { $0.check == "explanations" && $0.message.contains("where the model gives") },
            "\(report.violations.prefix(3))"
        )
    }

    @Test func recipesThatCannotHoldAModelAreRefused() {
        let large = Self.recipe.replacingOccurrences(of: "nodes: [7, 7]", with: "nodes: [10, 13]")
        #expect(decodeError(large)?.contains("at most 12 variables") == true)
        let bare = Self.recipe.replacingOccurrences(
            of: "  prompt: true\n",
            with: "  prompt: true\n  premise_end: none\n"
        )
        #expect(decodeError(bare)?.contains("'premise_end: none' is for premises of edges") == true)
        let en = Self.recipe.replacingOccurrences(of: "grammar: models", with: "grammar: en")
        #expect(decodeError(en)?.contains("no question templates for task 'intervention'") == true)
    }
}

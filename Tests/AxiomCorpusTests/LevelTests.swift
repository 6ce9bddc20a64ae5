import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// `tasks:` (weights, the `axioms:` alias) and `level:` (difficulty as split keys).
@Suite struct TaskWeightsAndLevels {
    static func recipe(_ split: String) -> String {
        """
        name: t
        seed: 4
        grammar: en
        names: {alphabet: A-Za-z, length: [1, 2]}
        splits:
          - name: train
            role: train
        \(split.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    static func decode(_ split: String) throws -> SplitSpec {
        try inRepo { try Recipe.decode(recipe(split), file: "r.yaml", grammars: .standard()) }.splits[0]
    }

    @Test func tasksIsTheDocumentedNameAndAxiomsItsAlias() throws {
        let a = try Self.decode("tasks: [transitivity, mediator]\nfamily: chain\nnodes: 5\ncount: 10")
        let b = try Self.decode("axioms: [transitivity, mediator]\nfamily: chain\nnodes: 5\ncount: 10")
        #expect(a.axioms == [.transitivity, .mediator] && a.axioms == b.axioms && a.taskWeights == nil)
        #expect(
            decodeError(Self.recipe("axioms: transitivity\ntasks: mediator\nfamily: chain\nnodes: 5\ncount: 10"))
                == "r.yaml:8:5: error: 'axioms' and 'tasks' name the same list; give one ('axioms' is the older name)"
        )
        #expect(
            decodeError(Self.recipe("tasks: [mediator, mediator]\nfamily: chain\nnodes: 5\ncount: 10"))
                == "r.yaml:8:23: error: 'tasks' names task 'mediator' twice"
        )
        #expect(
            decodeError(Self.recipe("tasks: {mediator: 0}\nfamily: chain\nnodes: 5\ncount: 10"))
                == "r.yaml:8:23: error: 'tasks.mediator' must be above 0 (leave a task out instead)"
        )
        #expect(
            decodeError(Self.recipe("tasks: {transitivty: 1}\nfamily: chain\nnodes: 5\ncount: 10"))?
                .hasPrefix("r.yaml:8:13: error: 'tasks' has no task 'transitivty' (choose from transitivity,") == true
        )
    }

    @Test func aSplitWithoutTasksIsToldTheDocumentedName() {
        #expect(
            decodeError(Self.recipe("family: chain\nnodes: 5\ncount: 10"))?.contains("a split needs 'tasks'") == true
        )
    }

    @Test func weightsSetTheShares() throws {
        let spec = try Self.decode("tasks: {transitivity: 3, mediator: 1}\nfamily: chain\nnodes: 5\ncount: 10")
        #expect(spec.axioms == [.transitivity, .mediator] && spec.taskWeights == [3, 1])
        #expect(spec.taskShare(0) == 0.75 && spec.taskShare(1) == 0.25)
        // Equal weights are equal shares: the same spec (and bytes) as the list.
        #expect(
            try Self.decode("tasks: {transitivity: 2, mediator: 2}\nfamily: chain\nnodes: 5\ncount: 10").taskWeights
                == nil
        )
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = Self.recipe(
            "tasks: {transitivity: 3, d-separation: 1}\nfamily: branching\nbranching_factor: 1.4\nnodes: [5, 7]\ncount: 800"
        )
        let r = try inRepo { try Recipe.decode(yaml, file: "r.yaml", grammars: .standard()) }
        _ = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }
        var axioms: [String: Int] = [:]
        for line in try String(contentsOfFile: dir + "/train/train-00000-of-00001.jsonl", encoding: .utf8).split(
            separator: "\n"
        ) {
            axioms[try JSONValue.parse(Array(line.utf8))["axiom"]!.string!, default: 0] += 1
        }
        #expect(axioms == ["transitivity": 600, "d-separation": 200])
    }

    @Test func aLevelFillsTheKeysTheSplitLeavesOut() throws {
        let hard = try Self.decode("tasks: [d-separation]\nlevel: hard\ncount: 10")
        let table = Difficulty.edges(conditioned: true)
        #expect(hard.nodes == table.nodes[4] && hard.givenSizes == table.givenSize[4])
        #expect(hard.family == .branching(factor: 2.0, connected: true, edges: .nearest))
        #expect(hard.distractors == 4 && hard.orders == [.shuffled] && hard.names.lengths == 3...6)
        #expect(hard.difficulty == 5 && hard.levels["nodes"] == 5)
        // A key of the split wins; so does one of `defaults`.
        let own = try Self.decode("tasks: [d-separation]\nlevel: 2\nnodes: [8, 9]\ncount: 10")
        #expect(own.nodes == 8...9 && own.difficulty == 2 && own.givenSizes == table.givenSize[1])
        // Per attribute: the others are the split's own; meta.difficulty is their mean, rounded up.
        let some = try Self.decode("tasks: [transitivity]\nlevel: {nodes: 4, density: 1}\norder: reversed\ncount: 10")
        #expect(
            some.nodes == table.nodes[3] && some.family == .branching(factor: 1.0, connected: true, edges: .nearest)
        )
        #expect(
            some.orders == [.reversed] && some.distractors == 0 && some.names.lengths == 1...2 && some.difficulty == 3
        )
        // |Z| never more than the smallest graph leaves room for.
        let small = try Self.decode("tasks: [d-separation]\nlevel: {given_size: 5}\nfamily: chain\nnodes: 3\ncount: 10")
        #expect(small.givenSizes == 1...1)
        // A statistical premise has its own table and no premise order or distractors.
        let stats = try Self.decode("tasks: [correlation-to-causation]\nlevel: medium\ncount: 10")
        #expect(stats.nodes == Difficulty.statistics.nodes[2] && stats.family == .random(edgeProbability: 0.5))
        #expect(stats.orders == [.graph] && stats.distractors == 0)
    }

    @Test func badLevelsAreLocatedErrors() {
        #expect(
            decodeError(Self.recipe("tasks: transitivity\nlevel: extreme\ncount: 10"))
                == "r.yaml:9:12: error: 'level' must be easy, medium, hard or a level 1–5, not 'extreme'"
        )
        #expect(
            decodeError(Self.recipe("tasks: transitivity\nlevel: {nodes: 6}\ncount: 10"))
                == "r.yaml:9:20: error: 'level.nodes' must be easy, medium, hard or a level 1–5, not '6'"
        )
        #expect(
            decodeError(Self.recipe("tasks: transitivity\nlevel: {node: 2}\ncount: 10"))
                == "r.yaml:9:13: error: unknown key 'node' in 'level' (did you mean 'nodes'?)"
        )
    }

    @Test func everyRecordCarriesItsLevelAndCheckHoldsItToTheSplit() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = Self.recipe(
            "tasks: [transitivity, collider]\nlevel: easy\ntwins: all\nqueries_per_graph: 2\ncount: 200"
        )
        let r = try inRepo { try Recipe.decode(yaml, file: "r.yaml", grammars: .standard()) }
        _ = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }
        let path = dir + "/train/train-00000-of-00001.jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 200)
        for line in lines {
            let meta = try JSONValue.parse(Array(line.utf8))["meta"]!
            #expect(meta["difficulty"]?.int == 1 && meta["order"]?.string == "graph" && meta["distractors"]?.int == 0)
            #expect((4...6).contains(meta["nodes"]!.int!))
        }
        #expect(try inRepo { try Checker(directory: dir, grammars: .standard()).run() }.violations.isEmpty)
        try text.replacingOccurrences(of: "\"difficulty\":1,", with: "\"difficulty\":3,").write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.violations.contains { $0.message.contains("meta.difficulty 3 is not the split's level (1)") })
    }
}

import AxiomCore
import AxiomGrammar
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus
@testable import AxiomEval

/// A task defined in the test target (`ToyTask.swift`) goes through the whole pipeline —
/// recipe, compile, check, solve, eval — with nothing in Sources naming it: the proof that
/// adding a task is its file(s), a catalog line (here `TaskCatalog.adding`), its grammar blocks
/// and its tests.
@Suite struct ToyTaskPipeline {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/toy-task").path

    /// The toy recipe with its grammar's absolute path (a recipe's grammar path is read from the
    /// working directory, which tests running in parallel should not move).
    static func recipeText() throws -> String {
        try String(contentsOfFile: fixtures + "/toy.yaml", encoding: .utf8)
            .replacingOccurrences(of: "grammar: toy.xml", with: "grammar: \(fixtures)/toy.xml")
    }

    @Test func rulesSecondAlgorithmAndBruteForceAgreeOnEveryDAGUpToFourNodes() throws {
        var task = DirectCause()
        var proof = Proof()
        var steps = Explanation()
        var labels = [0, 0]
        for n in 2...4 {
            for edges in dags(n) {
                let graph = CausalGraph(nodeCount: n, edges: edges)
                task.prepare(graph)
                for query in task.questions(nodeCount: n, givenSizes: 0...0) {
                    let truth = edges.contains { $0 == (query.x, query.y) }
                    #expect(task.answer(query) == truth && task.check(query) == truth, "\(edges) \(query)")
                    task.prove(query, into: &proof)
                    task.explain(query, proof: proof, into: &steps)
                    #expect(steps.steps.last?.kind == (truth ? "direct-yes" : "direct-no"))
                    labels[truth ? 1 : 0] += 1
                }
            }
        }
        #expect(labels[0] > 0 && labels[1] > 0)
    }

    @Test func compileCheckSolveAndEvalRunTheToyTask() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "axiomc-toy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try Self.recipeText()
        // Outside the scope the catalog does not hold the task: the recipe is a located error.
        let outside = try #require(
            throws: RecipeError.self,
            performing: { try Recipe.decode(text, file: "toy.yaml", grammars: .standard()) }
        )
        #expect(outside.description.contains("unknown task 'direct-cause'"), "\(outside)")
        #expect(TaskCatalog.task(.directCause) == nil)

        try TaskCatalog.adding([DirectCause()]) {
            #expect(TaskCatalog.names.last == .directCause)
            let recipe = try Recipe.decode(text, file: "toy.yaml", grammars: .standard())
            let manifest = try #require(try Compiler(recipe: recipe, outputDirectory: dir, jobs: 2).compile())
            #expect(manifest.splits["train"]?.records == 300 && manifest.splits["eval_branching"]?.records == 120)

            // check: every label recomputed by both algorithms, every explanation replayed.
            // Two workers: the catalog scope must reach check's threads too.
            var checker = Checker(directory: dir, grammars: .standard())
            checker.jobs = 2
            let report = try checker.run()
            #expect(report.passed, "\(report.violations)")
            #expect(report.records == 420)

            // solve: every record's text read back and answered, with the same explanation.
            var solver = Solver(grammar: recipe.grammar)
            var yes = 0
            let lines = try manifest.splits.values.flatMap(\.shards).flatMap { shard in
                try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8).split(separator: "\n")
            }
            #expect(lines.count == 420)
            for line in lines {
                let record = try JSONValue.parse(Array(line.utf8))
                guard case .answered(let answer, let label, let explanation, _) = solver.solve(line: String(line))
                else {
                    Issue.record("not solved: \(line)")
                    continue
                }
                #expect(label == answer)
                // The solver explains in the grammar's words; it quotes the first edge template, the
                // record the premise's own sentence, so the conclusions match.
                let stored = try #require(record[RecordField.explanation]?.string)
                #expect(explanation.split(separator: ".").last == stored.split(separator: ".").last)
                yes += answer ? 1 : 0
            }
            #expect(yes > 100 && yes < 320)

            // eval: gold read back from the shards; the gold answers score 1,
            // and the toy's own cue (edge-xy, its label) is named beside the model.
            let gold = try Gold.load(corpus: dir, splits: nil)
            #expect(gold.count == 120)
            let right = Evaluator(gold: gold).score(
                (0..<gold.count).map {
                    Prediction(key: .id(gold.ids[$0]), answer: gold.labels[$0] ? "Yes" : "No", line: $0 + 1)
                },
                file: "gold",
                format: .ids
            )
            #expect(right.overall.n == 120 && right.overall.accuracy == 1)
            let edge = try #require(right.baselines.names.firstIndex(of: "edge-xy"))
            #expect(right.baselines.accuracy(edge, in: right.overall) == 1)

            // A Yes explanation without its quoted sentence is caught by the toy's own replay.
            let shard = dir + "/" + manifest.splits["eval_branching"]!.shards[0].file
            var records = try String(contentsOfFile: shard, encoding: .utf8).split(separator: "\n").map(String.init)
            let i = try #require(records.firstIndex { $0.contains("\"label\":\"Yes\"") })
            let record = try JSONValue.parse(Array(records[i].utf8))
            let explanation = try #require(record[RecordField.explanation]?.string)
            let conclusion = try #require(explanation.range(of: "So ", options: .backwards))
            records[i] = records[i].replacingOccurrences(
                of: explanation,
                with: String(explanation[conclusion.lowerBound...])
            )
            try (records.joined(separator: "\n") + "\n").write(toFile: shard, atomically: true, encoding: .utf8)
            let found = try checker.run().violations.filter {
                $0.check == "explanations"
            }
            #expect(found.count == 1 && found.first?.id == record[RecordField.id]?.string, "\(found)")
            #expect(found.first?.message.contains("no earlier step quotes that") == true, "\(found)")
        }
        #expect(TaskCatalog.task(.directCause) == nil)
    }

    /// Every DAG on `n` labelled nodes, as edge lists (each pair: none, forward, backward; kept
    /// when acyclic).
    func dags(_ n: Int) -> [[(Int, Int)]] {
        let pairs = (0..<n).flatMap { a in ((a + 1)..<n).map { (a, $0) } }
        var out: [[(Int, Int)]] = []
        var choice = [Int](repeating: 0, count: pairs.count)
        while true {
            var edges: [(Int, Int)] = []
            for (i, (a, b)) in pairs.enumerated() where choice[i] > 0 { edges.append(choice[i] == 1 ? (a, b) : (b, a)) }
            if acyclic(n, edges) { out.append(edges) }
            var i = 0
            while i < choice.count && choice[i] == 2 {
                choice[i] = 0
                i += 1
            }
            if i == choice.count { return out }
            choice[i] += 1
        }
    }

    func acyclic(_ n: Int, _ edges: [(Int, Int)]) -> Bool {
        var indegree = [Int](repeating: 0, count: n)
        for (_, b) in edges { indegree[b] += 1 }
        var ready = (0..<n).filter { indegree[$0] == 0 }
        var seen = 0
        while let v = ready.popLast() {
            seen += 1
            for (a, b) in edges where a == v {
                indegree[b] -= 1
                if indegree[b] == 0 { ready.append(b) }
            }
        }
        return seen == n
    }
}

import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// Per-task shortcut scores in the manifest, and limits that `check` holds per task.
@Suite struct TaskShortcuts {
    func compileAndCheck(_ yaml: String) throws -> (Manifest, CheckReport) {
        let r = try inRepo { try Recipe.decode(yaml, file: "t.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        return (m, report)
    }

    /// Two tasks, uncontrolled: each task's scores are there, its cues are its own, and the
    /// split's scores are the per-task ones weighted by records.
    @Test func everyTaskHasItsScoresAndTheyAddUpToTheSplits() throws {
        let (m, report) = try compileAndCheck(
            """
            name: t
            seed: 11
            grammar: en
            splits:
              - name: train
                role: train
                axioms: [transitivity, d-separation]
                family: flipped-chain
                flip_probability: 0.5
                nodes: [4, 7]
                given_size: [0, 2]
                count: 1200
              - name: ev
                role: eval
                axioms: [transitivity, d-separation]
                family: flipped-chain
                flip_probability: 0.5
                nodes: [8, 9]
                given_size: [0, 2]
                max_cue: off
                max_probe: off
                count: 600
            """
        )
        #expect(report.passed, "\(report.violations)")
        for name in ["train", "ev"] {
            let split = try #require(m.splits[name])
            let tasks = try #require(split.tasks)
            #expect(tasks.keys.sorted() == ["d-separation", "transitivity"])
            let counts = split.histograms["axiom"]!
            var linear = 0.0
            var interactions = 0.0
            for (task, scores) in tasks {
                let n = Double(counts[task]!)
                #expect(Set(scores.cues.keys) == Set(TaskCatalog.task(Axiom(task))!.recordCueNames))
                linear += n * scores.probe.crossValidated
                interactions += n * scores.interactions.crossValidated
                #expect((scores.probe.fromTraining != nil) == (name == "ev"))
                #expect((scores.interactions.fromTraining != nil) == (name == "ev"))
                // The interaction probe sees every linear feature too: it does not do much worse.
                #expect(scores.interactions.crossValidated >= scores.probe.crossValidated - 0.03, "\(task)")
            }
            let total = Double(split.records)
            // Rounded to 4 places per task and for the split.
            #expect(abs(linear / total - split.probe!.crossValidated) < 2e-4)
            #expect(abs(interactions / total - split.interactions!.crossValidated) < 2e-4)
            // A cue both tasks have scores no better over the split than in its better task.
            let xFirst = tasks.values.map { $0.cues["x-first"]! }
            #expect(split.cues!["x-first"]! <= xFirst.max()! + 1e-4)
        }
        // Uncontrolled flipped chains: the cues predict transitivity labels, and the probes do.
        let transitivity = m.splits["train"]!.tasks!["transitivity"]!
        #expect(transitivity.probe.crossValidated > 0.8 && transitivity.interactions.crossValidated > 0.8)
    }

    /// An uncontrolled flipped-chain transitivity split held to max_cue: check names the task.
    @Test func aLimitViolationNamesTheTask() throws {
        let (m, report) = try compileAndCheck(
            """
            name: t
            seed: 5
            grammar: en
            splits:
              - name: eval_x
                role: eval
                axioms: transitivity
                family: flipped-chain
                flip_probability: 0.5
                nodes: [6, 9]
                max_cue: 0.55
                max_probe: 0.6
                count: 1000
            """
        )
        let scores = try #require(m.splits["eval_x"]?.tasks?["transitivity"])
        let (cue, accuracy) = try #require(scores.cues.max { $0.value < $1.value })
        #expect(accuracy > 0.55)
        let messages = report.violations.filter { $0.check == "shortcuts" && $0.split == "eval_x" }.map(\.message)
        #expect(
            messages.contains("task 'transitivity': cue '\(cue)' predicts \(accuracy) of labels, above max_cue 0.55")
        )
        // No training split: the probes are held by their cross-validated scores.
        #expect(scores.interactions.fromTraining == nil)
        #expect(
            messages.contains(
                "task 'transitivity': the interaction probe predicts \(scores.interactions.crossValidated) of labels, above max_probe 0.6"
            ),
            "\(messages)"
        )
        #expect(messages.contains { $0.hasPrefix("task 'transitivity': the linear probe predicts ") })
        #expect(!messages.contains { $0.contains("differ from the manifest") })
    }

    /// The same split with transitivity left uncontrolled (`control: {default: all,
    /// transitivity: off}`) beside a controlled d-separation: no violation names transitivity.
    @Test func uncontrolledTasksAreSkipped() throws {
        let (m, report) = try compileAndCheck(
            """
            name: t
            seed: 5
            grammar: en
            splits:
              - name: eval_x
                role: eval
                axioms: [transitivity, d-separation]
                family: flipped-chain
                flip_probability: 0.5
                nodes: [6, 9]
                given_size: [0, 2]
                control: {default: all, transitivity: off}
                twins: all
                max_cue: 0.55
                max_probe: off
                count: 1000
            """
        )
        #expect(m.splits["eval_x"]!.tasks!["transitivity"]!.cues.values.max()! > 0.55)
        #expect(!report.violations.contains { $0.message.contains("task 'transitivity'") }, "\(report.violations)")
    }

    /// check compares the stored per-task and interaction scores with the recomputed ones; a
    /// manifest written before they existed is compared on the scores it has.
    @Test func checkComparesTheStoredScores() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try inRepo { try Compiler(recipe: try smokeRecipe(), outputDirectory: dir).compile() }
        let stored = try Manifest.read(directory: dir)
        /// The shortcut violations of the corpus with its manifest edited.
        func check(_ edit: (inout Manifest) -> Void) throws -> [String] {
            var m = stored
            edit(&m)
            try JSONDocument.encode(m, pretty: true).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
            let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
            return report.violations.filter { $0.check == "shortcuts" }.map { "[\($0.split ?? "")] \($0.message)" }
        }
        #expect(try check { _ in } == [])
        let differ = "[train] the cue and probe scores recomputed from the records differ from the manifest's"
        #expect(
            try check { $0.splits["train"]!.tasks!["transitivity"]!.interactions.crossValidated += 0.01 } == [differ]
        )
        #expect(try check { $0.splits["train"]!.tasks!["d-separation"]!.cues["x-first"]! += 0.01 } == [differ])
        #expect(try check { $0.splits["train"]!.interactions!.crossValidated += 0.01 } == [differ])
        let old = try check { m in
            for name in m.splitOrder {
                m.splits[name]!.tasks = nil
                m.splits[name]!.interactions = nil
            }
        }
        #expect(old == [])
    }
}

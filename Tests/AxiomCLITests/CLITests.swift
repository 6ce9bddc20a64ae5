import ArgumentParser
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCLI

let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Parses and runs argv like the executable; returns the error message, or nil on success.
func run(_ argv: [String]) -> String? {
    let old = FileManager.default.currentDirectoryPath
    _ = FileManager.default.changeCurrentDirectoryPath(repoRoot)
    defer { _ = FileManager.default.changeCurrentDirectoryPath(old) }
    do {
        var command = try Axiomc.parseAsRoot(argv)
        try command.run()
        return nil
    } catch let e as CLIError {
        return e.description
    } catch let e as ExitCode {
        return "exit \(e.rawValue)"
    } catch {
        return Axiomc.message(for: error)
    }
}

@Suite(.serialized) struct CommandLine {
    @Test func queryAnswersAndRejectsBadInput() {
        #expect(run(["query", "--edges", "A->B, B->C, D->C", "--ask", "A cause C"]) == nil)
        #expect(run(["query", "--edges", "A->B, B->C, D->C", "--ask", "A and D d-separated given C"]) == nil)
        #expect(
            run(["query", "--edges", "A->B, B->A", "--ask", "A cause B"]) == "the edges contain a cycle: A -> B -> A"
        )
        #expect(run(["query", "--edges", "A->A", "--ask", "A cause B"]) == "edge 'A->A' is a self-loop")
        #expect(
            run(["query", "--edges", "A->B", "--ask", "A cause Q"])?.contains(
                "node 'Q' in the question is not in the graph"
            ) == true
        )
        #expect(run(["query", "--edges", "A=B", "--ask", "A cause B"]) == "edge 'A=B' needs the form 'A->B'")
    }

    @Test func grammarLintAcceptsShippedGrammars() {
        #expect(run(["grammar", "lint", "paper", "en"]) == nil)
        #expect(run(["grammar", "lint", "no-such-grammar"]) == "exit 1")
    }

    @Test func solveFlagsABadFileAndPassesAGoodOne() throws {
        #expect(run(["solve", "Tests/Fixtures/paper-defects.jsonl"]) == "exit 1")
        #expect(run(["solve", "Tests/Fixtures/paper-clean.jsonl"]) == nil)
        // The paper's branching style: no period before the question, sentences grouped by cause.
        #expect(run(["solve", "Tests/Fixtures/paper-branching.jsonl"]) == nil)
    }

    @Test func compileCheckAndScoreEpisodes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-cli-episodes-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = dir + "-recipe.yaml"
        defer { try? FileManager.default.removeItem(atPath: recipe) }
        try Data(
            "kind: episodes\nname: e\nseed: 3\nsplits:\n  - name: train\n    count: 30\n".utf8
        ).write(to: URL(fileURLWithPath: recipe))
        // `compile` takes an episodes recipe as `episodes compile` does; `check` knows the corpus.
        #expect(run(["compile", recipe, "--out", dir]) == nil)
        #expect(run(["check", dir]) == nil)
        #expect(run(["episodes", "check", dir]) == nil)
        #expect(run(["compile", recipe, "--stdout"])?.contains("episodes recipe") == true)
        let transcripts = dir + "/t.jsonl"
        try Data("{\"id\": \"train-000000\", \"actions\": [\"Answer: set\"]}\n".utf8).write(
            to: URL(fileURLWithPath: transcripts)
        )
        #expect(run(["episodes", "score", dir, transcripts]) == nil)
        #expect(run(["episodes", "score", dir, dir + "/none.jsonl"])?.contains("cannot read") == true)
        #expect(run(["episodes", "sample", "--seed", "7", "--nodes", "2"])?.contains("nodes must lie") == true)
    }

    @Test func compileAndCheckSmoke() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-cli-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(run(["compile", "smoke", "--out", dir, "--jobs", "2"]) == nil)
        #expect(run(["check", dir]) == nil)
        #expect(run(["compile", "Corpora/nope.yaml"])?.contains("no recipe found") == true)
        #expect(
            run(["compile", "smoke", "--out", dir, "--shard-index", "3", "--num-shards", "2"])?.contains("outside")
                == true
        )
    }
}

@Suite(.serialized) struct EvalCommandLine {
    @Test func scoresFilesAndFailsOnMissingOrMalformed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-eval-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(run(["compile", "smoke", "--out", dir]) == nil)
        // Predictions for every eval record, in gold order, by reading the gold labels back.
        var lines: [String] = []
        for split in ["eval_long_chains", "eval_branching"] {
            for shard in ["00000", "00001"] {
                let text = try String(
                    contentsOfFile: "\(dir)/\(split)/\(split)-\(shard)-of-00002.jsonl",
                    encoding: .utf8
                )
                for line in text.split(separator: "\n") {
                    let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    lines.append(#"{"id": "\#(o["id"]!)", "prediction": "\#(o["label"]!)"}"#)
                }
            }
        }
        let all = dir + "/all.jsonl"
        let half = dir + "/half.jsonl"
        let bad = dir + "/bad.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: all, atomically: true, encoding: .utf8)
        try (lines.prefix(100).joined(separator: "\n") + "\n").write(toFile: half, atomically: true, encoding: .utf8)
        try "{\"id\": 1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(run(["eval", "--gold", dir, "--predictions", all, "--report", dir + "/report"]) == nil)
        #expect(FileManager.default.fileExists(atPath: dir + "/report/index.html"))
        #expect(run(["eval", "--gold", dir, "--predictions", half]) == "exit 1")
        #expect(run(["eval", "--gold", dir, "--predictions", half, "--allow-missing"]) == nil)
        #expect(run(["eval", "--gold", dir, "--predictions", bad])?.contains("bad.jsonl:1: malformed JSON") == true)
        #expect(
            run(["eval", "--gold", dir, "--split", "nope", "--predictions", all])?.contains("no split 'nope'") == true
        )
    }

    @Test func verifyGoldListsWrongLabelsOfThePapersFormat() {
        #expect(run(["eval", "--predictions", "Tests/Fixtures/eval/paper-prompt.jsonl", "--verify-gold"]) == nil)
        // This file's second record is labelled Yes, but A does not cause C there.
        #expect(
            run(["eval", "--predictions", "Tests/Fixtures/eval/paper-wrong-gold.jsonl", "--verify-gold"]) == "exit 1"
        )
        #expect(run(["eval", "--predictions", "Tests/Fixtures/eval/paper-wrong-gold.jsonl"]) == nil)
    }
}

@Suite struct UncontrollableCue {
    /// A cue the split's graphs tie to the label cannot be balanced: compile stops with
    /// file:line:col at the split (the CLI maps it to exit 1).
    @Test func isALocatedCompileError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-uncontrollable-\(getpid())")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = dir + "/u.yaml"
        try """
        name: u
        seed: 7
        grammar: paper
        splits:
          - name: ev
            role: train
            axioms: transitivity
            family: chain
            nodes: [5, 7]
            control: [x-first]
            max_cue: 0.55
            count: 1000
        """.write(toFile: recipe, atomically: true, encoding: .utf8)
        let e = run(["compile", recipe, "--out", dir + "/out"])
        #expect(e?.hasPrefix("\(recipe):5:5: error: split 'ev': ") == true, "\(e ?? "nil")")
    }
}

import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus
@testable import AxiomEval

let fixtures: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<2 { url.deleteLastPathComponent() }
    return url.path + "/Fixtures/eval/"
}()

/// Four gold records r1…r4 with labels Yes, No, Yes, No, in two node buckets.
func smallGold() -> Gold {
    var g = Gold(source: "test")
    let prompts = [
        "Premise: A causes B. B causes C. Does A cause C?", "Premise: A causes B. C causes B. Does A cause C?",
        "Premise: A causes B. Does B cause A?", "Premise: A causes B. Does A cause B?",
    ]
    for (i, label) in [true, false, true, false].enumerated() {
        g.add(
            GoldRecord(id: "r\(i + 1)", label: label, buckets: ["split": "s", "nodes": i < 2 ? "3" : "2"]),
            texts: [prompts[i]]
        )
    }
    return g
}

func score(_ file: String, _ format: PredictionFormat? = nil) throws -> Evaluation {
    let (f, preds) = try PredictionReader.read(path: fixtures + file, format: format)
    if let format { #expect(f == format) }
    return Evaluator(gold: smallGold()).score(preds, file: file, format: f)
}

@Suite struct Formats {
    @Test func idsJSONL() throws {
        let e = try score("ids.jsonl")
        #expect(e.format == .ids)
        // r1 Yes ✓, r2 No ✓, r3 yes ✓, r4 empty → invalid.
        #expect(e.overall.n == 4 && e.overall.correct == 3 && e.overall.invalid == 1 && e.missing == 0)
    }

    @Test func paperPromptFilesSkipTheirMetricsLine() throws {
        let (f, preds) = try PredictionReader.read(path: fixtures + "paper-prompt.jsonl", format: nil)
        #expect(f == .prompt && preds.count == 4)
        #expect(preds.map(\.embeddedGold) == [true, false, false, true])
        // Matched to gold by prompt text (smallGold's labels differ from the file's on line 3).
        let e = Evaluator(gold: smallGold()).score(preds, file: "p", format: f)
        #expect(e.overall.n == 4 && e.unknown.isEmpty)
        // Scored against the file's own gold: Yes✓, yes✗, no✓, " "→invalid.
        let (g, keyed) = try Evaluator.embeddedGold(preds, file: "p")
        let own = Evaluator(gold: g).score(keyed, file: "p", format: f)
        #expect(own.overall.correct == 2 && own.overall.invalid == 1)
    }

    @Test func lmEvalSamplesBothOutputTypes() throws {
        let e = try score("lm-eval-samples.jsonl")
        #expect(e.format == .lmEval)
        // MC argmax: r1 → " Yes" ✓; r2 → " No" ✓ (dict-style arguments); generations: r3 "No, …" ✗; r4 <answer>No ✓.
        #expect(e.overall.correct == 3 && e.overall.n == 4)
        #expect(e.outcomes == [true, true, false, true])
    }

    @Test func csvWithQuotedCells() throws {
        let e = try score("predictions.csv")
        #expect(e.format == .csv)
        #expect(e.outcomes == [true, true, true, true])
    }

    @Test func plainTextInGoldOrder() throws {
        let e = try score("predictions.txt")
        #expect(e.format == .text)
        #expect(e.outcomes == [true, true, true, false] && e.overall.invalid == 1)
    }

    @Test func openAIBatchOutputs() throws {
        let e = try score("openai-batch.jsonl")
        // r1 final yes ✓, r2 ✓, r3 failed request → invalid, r4 " No." ✓
        #expect(e.outcomes == [true, true, false, true] && e.overall.invalid == 1)
    }

    @Test func malformedLinesAreLocated() {
        #expect(throws: EvalError.self) { try PredictionReader.read(path: fixtures + "malformed.jsonl", format: nil) }
        do { _ = try PredictionReader.read(path: fixtures + "malformed.jsonl", format: nil) } catch {
            #expect("\(error)".hasPrefix(fixtures + "malformed.jsonl:2: malformed JSON"))
        }
    }

    @Test func unknownDuplicateAndMissingAreCounted() throws {
        let preds = [
            Prediction(key: .id("r1"), answer: "Yes", line: 1), Prediction(key: .id("r1"), answer: "No", line: 2),
            Prediction(key: .id("zz"), answer: "No", line: 3),
        ]
        let e = Evaluator(gold: smallGold()).score(preds, file: "x", format: .ids)
        #expect(e.unknown == ["zz"] && e.duplicates == ["r1"] && e.missing == 3 && e.outcomes[0] == true)
    }
}

@Suite struct Extraction {
    @Test(arguments: [
        (" Yes", AnswerExtraction.Answer.yes), (" no", .no), ("YES.", .yes), ("**No**", .no), ("_yes_", .yes),
        ("`No`", .no), ("<answer>Yes</answer>", .yes), ("I think <answer> no </answer>.", .no),
        ("Answer: Yes", .yes), ("final answer - no", .no), ("\"Yes\"", .yes), ("(No)", .no),
        ("A causes B, and B causes C. There is no doubt: yes", .yes), ("Yes... actually, no.", .no),
        ("", .invalid), (" ", .invalid), ("maybe", .invalid), ("Yesterday", .invalid), ("None of these", .invalid),
    ])
    func rules(input: String, expected: AnswerExtraction.Answer) {
        #expect(AnswerExtraction.extract(input) == expected, "\(input.debugDescription)")
    }
}

@Suite struct Arithmetic {
    @Test func wilsonMatchesHandComputation() {
        // 8 of 10: p = 0.8, z² = 3.8415 → center 0.71674, half-width 0.22658.
        let ci = Stats.wilson(successes: 8, trials: 10)
        #expect(abs(ci.low - 0.4902) < 1e-4 && abs(ci.high - 0.9433) < 1e-4)
        let zero = Stats.wilson(successes: 0, trials: 20)
        #expect(zero.low == 0 && abs(zero.high - 0.1611) < 1e-4)
    }

    @Test func mcnemarExactMatchesHandComputation() {
        // b = 1, c = 9: 2 · (C(10,0) + C(10,1)) / 2^10 = 22/1024.
        #expect(abs(Stats.mcnemarExact(b: 1, c: 9) - 22.0 / 1024) < 1e-12)
        #expect(abs(Stats.mcnemarExact(b: 0, c: 5) - 0.0625) < 1e-12)
        #expect(Stats.mcnemarExact(b: 4, c: 4) == 1)
    }

    @Test func precisionRecallF1WithYesPositive() {
        var t = Tally()
        // gold Y,Y,Y,N,N; answers Y,N,invalid,Y,N → TP 1, FN 2, FP 1, TN 1.
        for (g, a) in [(true, AnswerExtraction.Answer.yes), (true, .no), (true, .invalid), (false, .yes), (false, .no)]
        {
            t.add(gold: g, answer: a)
        }
        #expect(t.correct == 2 && t.invalid == 1)
        #expect(abs(t.precision - 0.5) < 1e-12 && abs(t.recall - 1.0 / 3) < 1e-12 && abs(t.f1 - 0.4) < 1e-12)
    }

    @Test func comparisonCountsPairs() throws {
        let a = try score("ids.jsonl")
        let b = try score("predictions.txt")
        let c = Comparison(a, b)
        // a: T,T,T,F   b: T,T,T,F
        #expect(c.both == 3 && c.neither == 1 && c.onlyFirst == 0 && c.onlySecond == 0 && c.pValue == 1)
    }

    @Test func jsonParserHandlesEscapesAndRejectsGarbage() throws {
        let v = try JSONValue.parse(Array(#"{"a": "x\"\u00e9\ud83d\ude00\n", "b": [1, -2.5e3, true, null]}"#.utf8))
        #expect(v["a"]?.string == "x\"é😀\n")
        #expect(v["b"]?[1]?.double == -2500 && v["b"]?[0]?.int == 1)
        for bad in ["{", "{\"a\" 1}", "[1,]", "\"\u{01}\"", "01x", "{\"a\":1} x"] {
            #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array(bad.utf8)) }
        }
    }
}

@Suite struct Reports {
    @Test func reportFilesAreWritten() throws {
        let e = try score("ids.jsonl")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-report-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Report.write(e, to: dir)
        let html = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        #expect(
            html.contains("<img src=\"generalization.svg\"")
                && html.contains("<td>overall</td><td>4</td><td>0.750</td>")
        )
        let svg = try String(contentsOfFile: dir + "/generalization.svg", encoding: .utf8)
        #expect(svg.contains("2 nodes: 0.500 (n=2)") && svg.contains("3 nodes: 1.000 (n=2)"))
        let text = Report.text(e)
        #expect(text.contains("overall   4  0.750") || text.contains("overall  4  0.750"), "\(text)")
    }
}

@Suite struct RealHarnessOutput {
    /// Five lines of a real `lm_eval --log_samples` file (lm-evaluation-harness with a tiny random
    /// model on the smoke corpus, see examples/lm-eval): dict-style `arguments`, string
    /// log-likelihoods, and the harness's own `acc` per document to compare with.
    @Test func readsWhatTheHarnessWrites() throws {
        let (format, preds) = try PredictionReader.read(path: fixtures + "lm-eval-real-samples.jsonl", format: nil)
        #expect(format == .lmEval)
        #expect(preds.map(\.key) == (0..<5).map { .id("eval_long_chains-00000000\($0)") })
        #expect(preds.map { AnswerExtraction.extract($0.answer) } == [.no, .no, .yes, .no, .yes])
        #expect(preds.map(\.embeddedGold) == [true, false, true, false, true])
        // The harness scored these 0, 1, 1, 1, 1.
        let (gold, keyed) = try Evaluator.embeddedGold(preds, file: "real")
        #expect(
            Evaluator(gold: gold).score(keyed, file: "real", format: format).outcomes == [
                false, true, true, true, true,
            ]
        )
    }
}

@Suite struct RewardScores {
    @Test func rewardIsTheEvaluatorsVerdict() {
        #expect(Reward.score("Yes", label: true) == 1)
        #expect(Reward.score("Yes", label: false) == 0)
        #expect(Reward.score("Let me think. A causes B, so the answer is no.", label: false) == 1)
        #expect(Reward.score("<answer>No</answer> ... yes", label: false) == 1)
        #expect(Reward.score("**Final answer: Yes.**", label: true) == 1)
        #expect(Reward.score("maybe", label: true) == 0)
        #expect(Reward.score("", label: false) == 0)
        #expect(Reward.label("YES") == true && Reward.label("no") == false && Reward.label("x") == nil)
    }
}

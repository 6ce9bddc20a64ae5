import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus
@testable import AxiomEval

/// `axiomc reward` and `axiomc eval` read answers by the same rules: one mixed predictions file,
/// scored both ways, gives the same verdict on every line.
@Suite(.serialized) struct RewardAgreement {
    /// The smoke corpus in `format`, compiled into a temporary directory.
    static func smoke(_ format: RecordFormat) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "axiomc-reward-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        let old = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(root)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(old) }
        var recipe = try Recipe.load(path: "Corpora/smoke.yaml", grammars: .standard())
        recipe.override(format: format)
        _ = try Compiler(recipe: recipe, outputDirectory: dir).compile()
        return dir
    }

    /// Answers in many styles; `{Y}`/`{N}` stand for the record's gold label and its opposite.
    static let styles = [
        "{Y}", " {n}", "Answer: {Y}", "answer: {n}", "{N}", "Answer: {N}",
        "Let me think. A causes B, and B causes C.\nSo the answer is {y}.",
        "Well... I would say {n}, but honestly {y}!",
        "", "   ", "banana", "yes or no?", "<answer>{Y}</answer>", "**{Y}**", "Final answer: {N}.",
        "The reasoning is done.\nAnswer: {Y}\n\n", "Answer: {Y} because", "{Y}\nAnswer: {N}",
    ]

    static func fill(_ style: String, label: Bool) -> String {
        let right = label ? "Yes" : "No"
        let wrong = label ? "No" : "Yes"
        return style.replacingOccurrences(of: "{Y}", with: right).replacingOccurrences(of: "{N}", with: wrong)
            .replacingOccurrences(of: "{y}", with: right.lowercased()).replacingOccurrences(
                of: "{n}",
                with: wrong.lowercased()
            )
    }

    @Test(arguments: [RecordFormat.records, .rl])
    func evalAndRewardAgreeOnEveryLine(_ format: RecordFormat) throws {
        let dir = try Self.smoke(format)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gold = try Gold.load(corpus: dir, splits: nil)
        // The records themselves, for the reward's label (read the way `axiomc reward` reads a "record").
        let manifest = try Manifest.read(directory: dir)
        let split = manifest.splitOrder.first { manifest.splits[$0]!.role == .eval }!
        let shard = dir + "/" + manifest.splits[split]!.shards[0].file
        let lines = try String(contentsOfFile: shard, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= Self.styles.count * 2)
        // One predictions file: each style once with a Yes record and once with a No record.
        var predictions: [String] = []
        var records: [JSONValue] = []
        for (i, line) in lines.prefix(Self.styles.count * 2).enumerated() {
            let record = try JSONValue.parse(Array(line.utf8))
            let label = try #require(Reward.label(record: record))
            let id = try #require(RecordLayout.flatten(record, prompt: false)["id"]?.string)
            let answer = Self.fill(Self.styles[i % Self.styles.count], label: label)
            let escaped = String(decoding: try JSONEncoder().encode(answer), as: UTF8.self)
            predictions.append("{\"id\": \"\(id)\", \"prediction\": \(escaped)}")
            records.append(record)
        }
        let file = dir + "/mixed.jsonl"
        try predictions.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let evaluation = try Evaluator(gold: gold).score(path: file, format: nil)
        #expect(evaluation.overall.n == predictions.count)
        let (_, read) = try PredictionReader.read(path: file, format: nil)
        var agreeing = 0
        var rewarded = 0
        for (p, record) in zip(read, records) {
            guard case let .id(id) = p.key, let g = gold.index(ofID: id) else {
                Issue.record("unmatched line \(p.line)")
                continue
            }
            let evalCorrect = try #require(evaluation.outcomes[g])
            let reward = Reward.score(p.answer, label: Reward.label(record: record)!)
            #expect((reward == 1) == evalCorrect, "line \(p.line): \(p.answer.debugDescription)")
            if (reward == 1) == evalCorrect { agreeing += 1 }
            rewarded += Int(reward)
        }
        #expect(agreeing == predictions.count)
        // Not a degenerate file: some right, some wrong, some invalid.
        #expect(rewarded > 0 && rewarded < predictions.count && evaluation.overall.invalid > 0)
        #expect(Double(rewarded) / Double(predictions.count) == evaluation.overall.accuracy)
    }

    @Test func strictRewardsOnlyTheFormatsTheLayoutsTeach() {
        // The chat, completion and rl target's last line, and the records layout's bare answer
        // (CLEAR's wording ends with a period).
        #expect(Reward.score("Answer: Yes", label: true, strict: true) == 1)
        #expect(Reward.score("A causes B.\nAnswer: No\n\n", label: false, strict: true) == 1)
        #expect(Reward.score("  Answer: No  \r\n", label: false, strict: true) == 1)
        #expect(Reward.score("Answer: No.", label: false, strict: true) == 1)
        #expect(Reward.score("No", label: false, strict: true) == 1)
        #expect(Reward.score(" Yes.\n", label: true, strict: true) == 1)
        for text in [
            "answer: yes", "Answer: Yes..", "Answer: Yes\nmaybe", "Answer:Yes", "**Answer: Yes**", "",
            "<answer>Yes</answer>", "I think so.\nYes", "yes",
        ] {
            #expect(Reward.score(text, label: true, strict: true) == 0, "\(text.debugDescription)")
        }
        #expect(Reward.score("Answer: No", label: true, strict: true) == 0)
        // The lenient default reads every one of those as the evaluator does.
        #expect(Reward.score("answer: yes", label: true) == 1 && Reward.score("Answer: Yes.", label: true) == 1)
    }

    /// The label field is Yes/No in every layout; older corpora wrote CLEAR's "Yes."/"No.".
    @Test func goldLabelsReadWithOrWithoutThePeriod() {
        #expect(Reward.label("Yes") == true && Reward.label("No.") == false && Reward.label("yes.") == true)
        #expect(Reward.label("Yes!") == nil && Reward.label("") == nil)
    }

    /// lm-eval's `--log_samples` of an rl task hand back the rl record as `doc`.
    @Test func lmEvalSamplesOfTheRLLayoutKeepTheirIDs() throws {
        let line = """
            {"doc_id": 7, "doc": {"data_source": "axiomc/smoke/eval_long_chains", "prompt": [{"role": "user", "content": "P"}], \
            "ability": "causal-reasoning", "reward_model": {"style": "rule", "ground_truth": "No"}, \
            "extra_info": {"id": "eval_long_chains-000000003", "index": 3}}, "target": 0, "filtered_resps": ["no"]}
            """
        let p = try PredictionReader.lmEval(try JSONValue.parse(Array(line.utf8)), line: 1) { n, m in
            EvalError("\(n): \(m)")
        }
        #expect(p.key == .id("eval_long_chains-000000003"))
        #expect(p.embeddedGold == false && p.answer == "no")
    }
}

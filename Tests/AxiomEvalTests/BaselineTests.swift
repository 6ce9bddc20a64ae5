import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus
@testable import AxiomEval

/// Seven transitivity records with hand-picked cues (bit 0 `x-first`, bit 1 `edge-xy`):
///
///     id  label  x-first edge-xy  nodes
///     c1  Yes    1       1        3
///     c2  Yes    1       1        3
///     c3  Yes    1       0        3
///     c4  Yes    0       0        4
///     c5  No     1       0        4
///     c6  No     0       0        4
///     c7  No     0       0        4
func cueGold() -> Gold {
    var g = Gold(source: "hand")
    let rows: [(Bool, UInt32, String)] = [
        (true, 0b11, "3"), (true, 0b11, "3"), (true, 0b01, "3"), (true, 0, "4"),
        (false, 0b01, "4"), (false, 0, "4"), (false, 0, "4"),
    ]
    for (i, (label, bits, nodes)) in rows.enumerated() {
        g.add(
            GoldRecord(
                id: "c\(i + 1)",
                label: label,
                buckets: ["split": "s", "axiom": "transitivity", "nodes": nodes],
                cues: bits
            ),
            texts: []
        )
    }
    return g
}

func answers(_ yes: [Bool]) -> [Prediction] {
    yes.enumerated().map {
        Prediction(key: .id("c\($0.offset + 1)"), answer: $0.element ? "Yes" : "No", line: $0.offset + 1)
    }
}

@Suite struct CueBaselines {
    @Test func cueRulesMajorityAndProbeMatchHandCounts() throws {
        let e = Evaluator(gold: cueGold()).score(
            answers([true, true, true, true, false, false, false]),
            file: "x",
            format: .ids
        )
        let b = e.baselines
        #expect(b.source == .gold(records: 7, reason: "no training split"))
        let xFirst = try #require(b.names.firstIndex(of: "x-first"))
        let edge = try #require(b.names.firstIndex(of: "edge-xy"))
        // "Yes iff x-first": c1 c2 c3 right, c4 wrong, c5 wrong, c6 c7 right = 5/7.
        #expect(b.rule(xFirst) == "x-first" && b.accuracy(xFirst, in: e.overall) == 5.0 / 7)
        // "Yes iff edge-xy": c1 c2 right, c3 c4 wrong, c5 c6 c7 right = 5/7; in nodes 3: 2/3, nodes 4: 3/4.
        #expect(b.accuracy(edge, in: e.overall) == 5.0 / 7)
        #expect(
            b.accuracy(edge, in: e.buckets["nodes"]!["3"]!) == 2.0 / 3
                && b.accuracy(edge, in: e.buckets["nodes"]!["4"]!) == 0.75
        )
        // A cue that never holds: "Yes iff not x-cause" is right on the 4 Yes.
        let never = try #require(b.names.firstIndex(of: "x-cause"))
        #expect(b.rule(never) == "not x-cause" && b.accuracy(never, in: e.overall) == 4.0 / 7)
        // Global majority: 4 Yes of 7, so Yes everywhere; in nodes 4 (1 Yes, 3 No) it scores 1/4,
        // not the bucket's own majority 3/4.
        #expect(b.majorityYes && b.accuracy(Baselines.majority, in: e.overall) == 4.0 / 7)
        #expect(b.accuracy(Baselines.majority, in: e.buckets["nodes"]!["4"]!) == 0.25)
        // A perfect model beats nothing on 7 records: McNemar says n.s.
        #expect(e.overall.accuracy == 1 && b.versusProbe(e.overall)?.verdict == .notSignificant)
        #expect(b.bestCue(in: e.overall)?.accuracy == 5.0 / 7)
        // The plot draws the probe per node count; the table names the best cue.
        let svg = Report.generalizationSVG(e)
        #expect(svg.contains("<polyline class=\"probe\"") && svg.contains("3 nodes: probe "))
        #expect(Report.text(e).contains("x-first 0.714"))
    }

    @Test func predictingWhatTheProbePredictsScoresExactlyTheProbe() throws {
        let gold = cueGold()
        let ev = Evaluator(gold: gold)
        let probe = ev.gold.baselines.probeModel
        let bits: [UInt32] = [0b11, 0b11, 0b01, 0, 0b01, 0, 0]
        let e = ev.score(answers(bits.map { probe.probability("transitivity", $0) > 0.5 }), file: "p", format: .ids)
        let b = e.baselines
        #expect(b.accuracy(Baselines.probe, in: e.overall) == e.overall.accuracy)
        for (_, t) in e.buckets["nodes"]! { #expect(b.accuracy(Baselines.probe, in: t) == t.accuracy) }
        let v = try #require(b.versusProbe(e.overall))
        #expect(
            v.difference == 0 && v.p == 1 && v.verdict == .notSignificant && e.overall.onlyModel == 0
                && e.overall.onlyProbe == 0
        )
        // The cells: (11) 2 Yes, (01) 1 Yes 1 No, (00) 1 Yes 2 No. The probe says Yes for 11 and
        // No for 00; so it is right on c1 c2 c6 c7, plus one of c3/c5.
        #expect(e.overall.correct == 5)
    }

    @Test func baselinesCountOnlyTheScoredRecords() throws {
        // c1, c4, c6 answered (--allow-missing): "Yes iff x-first" right on c1 and c6, wrong on c4;
        // the majority (Yes) right on c1 and c4.
        let preds = [
            Prediction(key: .id("c1"), answer: "Yes", line: 1), Prediction(key: .id("c4"), answer: "No", line: 2),
            Prediction(key: .id("c6"), answer: "No", line: 3),
        ]
        let e = Evaluator(gold: cueGold()).score(preds, file: "x", format: .ids)
        let xFirst = try #require(e.baselines.names.firstIndex(of: "x-first"))
        #expect(e.missing == 4 && e.overall.n == 3)
        #expect(e.baselines.accuracy(xFirst, in: e.overall) == 2.0 / 3)
        #expect(e.baselines.accuracy(Baselines.majority, in: e.overall) == 2.0 / 3)
    }

    @Test func goldWithoutCuesStillEvaluates() throws {
        let e = try score("ids.jsonl")
        #expect(e.baselines.source == .none && e.baselines.names == ["majority", "probe", "interactions", "text"])
        // smallGold: Yes, No, Yes, No → majority Yes (tie) scores 0.5.
        #expect(e.baselines.accuracy(Baselines.majority, in: e.overall) == 0.5)
        #expect(
            e.baselines.accuracy(Baselines.probe, in: e.overall) == nil && e.baselines.versusProbe(e.overall) == nil
        )
        let text = Report.text(e)
        #expect(text.contains("no cues in gold") && text.contains("No probe on this gold"), "\(text)")
        let json = try JSONSerialization.jsonObject(with: Report.json([e], comparison: nil)) as! [String: Any]
        let overall = ((json["evaluations"] as! [[String: Any]])[0]["overall"] as! [String: Any])
        #expect(overall["majority"] as? Double == 0.5 && overall["probe"] is NSNull && overall["beats_probe"] is NSNull)
    }
}

@Suite(.serialized) struct CorpusBaselines {
    /// Compiles `Corpora/smoke.yaml` into a temporary directory.
    static func smoke() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "axiomc-baselines-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        let old = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(root)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(old) }
        _ = try Compiler(
            recipe: try Recipe.load(path: "Corpora/smoke.yaml", grammars: .standard()),
            outputDirectory: dir
        ).compile()
        return dir
    }

    /// Every gold record as a prediction: `answer(record)` for each.
    static func predictions(_ gold: Gold, _ answer: (Int) -> Bool) -> [Prediction] {
        (0..<gold.count).map { Prediction(key: .id(gold.ids[$0]), answer: answer($0) ? "Yes" : "No", line: $0 + 1) }
    }

    /// The text probe beside the model: per eval split and task, exactly the manifest's score
    /// (fitted on the compile's counts); after a word only Yes questions carry is planted in every
    /// shard and the counts are gone, refitted from the training text, it reads every label.
    @Test func textProbeMatchesTheManifestAndSeesAPlantedWord() throws {
        let dir = try Self.smoke()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = try Manifest.read(directory: dir)
        let gold = try Gold.load(corpus: dir, splits: nil)
        #expect(gold.baselines.textTasks == ["d-separation", "transitivity"])
        #expect(gold.baselines.sourceDescription.contains("the text probe is fitted on the training splits' text"))
        // Scoring a training split: the probe was fitted on it, so it answers nothing there.
        #expect(try Gold.load(corpus: dir, splits: ["train"]).baselines.textTasks.isEmpty)
        let split = Gold.bucketNames.firstIndex(of: "split")!
        let axiom = Gold.bucketNames.firstIndex(of: "axiom")!
        var right: [String: (Int, Int)] = [:]
        for i in 0..<gold.count {
            let key =
                gold.bucketValues[split][Int(gold.bucketOf[split][i])] + "/"
                + gold.bucketValues[axiom][Int(gold.bucketOf[axiom][i])]
            let r = right[key] ?? (0, 0)
            right[key] = (r.0 + Int(gold.baselineRight[i] >> UInt64(Baselines.text) & 1), r.1 + 1)
        }
        #expect(right.count >= 2)
        for (key, r) in right {
            let parts = key.split(separator: "/").map(String.init)
            let stored = try #require(manifest.splits[parts[0]]?.textProbe?[parts[1]], "\(key)")
            #expect((Double(r.0) / Double(r.1) * 10_000).rounded() / 10_000 == stored, "\(key)")
        }
        for shard in manifest.splits.values.flatMap(\.shards) {
            let path = dir + "/" + shard.file
            var lines: [String] = []
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                var o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                if o["label"] as? String == "Yes" {
                    o["hypothesis"] = (o["hypothesis"] as! String).replacingOccurrences(of: "?", with: " at all?")
                }
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: o), as: UTF8.self))
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        // Without the compile's counts, eval refits from the (planted) training text.
        try FileManager.default.removeItem(atPath: dir + "/.axiomc/parts")
        let planted = try Gold.load(corpus: dir, splits: nil)
        let e = Evaluator(gold: planted).score(Self.predictions(planted) { _ in true }, file: "yes", format: .ids)
        #expect((e.baselines.accuracy(Baselines.text, in: e.overall) ?? 0) > 0.9)
        #expect(Report.text(e).contains("text probe"))
    }

    @Test func probeIsFittedOnTrainAndMatchesTheManifest() throws {
        let dir = try Self.smoke()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gold = try Gold.load(corpus: dir, splits: nil)
        let manifest = try Manifest.read(directory: dir)
        #expect(gold.baselines.source == .training(splits: ["train"], records: manifest.splits["train"]!.records))
        // The probe's answers, as a prediction file: the model scores exactly the probe, per split,
        // and the probe's accuracy is the manifest's "probe from training".
        let probeYes = (0..<gold.count).map {
            gold.baselineRight[$0] >> 1 & 1 == 1 ? gold.labels[$0] : !gold.labels[$0]
        }
        let e = Evaluator(gold: gold).score(Self.predictions(gold) { probeYes[$0] }, file: "probe", format: .ids)
        #expect(e.overall.n == 240 && e.baselines.accuracy(Baselines.probe, in: e.overall) == e.overall.accuracy)
        for (split, t) in e.buckets["split"]! {
            let fromTraining = try #require(manifest.splits[split]?.probe?.fromTraining)
            #expect(abs(t.accuracy - fromTraining) < 5e-5, "\(split): \(t.accuracy) vs manifest \(fromTraining)")
            #expect(e.baselines.versusProbe(t)?.difference == 0)
        }
        // The same for the interaction probe: its accuracy per split is the manifest's.
        for (split, t) in e.buckets["split"]! {
            let fromTraining = try #require(manifest.splits[split]?.interactions?.fromTraining)
            let n = gold.baselineRight.indices.filter {
                gold.bucketValues[0][Int(gold.bucketOf[0][$0])] == split
                    && gold.baselineRight[$0] >> UInt64(Baselines.interactions) & 1 == 1
            }.count
            #expect(abs(Double(n) / Double(t.n) - fromTraining) < 5e-5, "\(split): \(n) of \(t.n) vs \(fromTraining)")
            #expect(e.baselines.accuracy(Baselines.interactions, in: t) == Double(n) / Double(t.n))
        }
        // A cue rule's accuracy is a count over the records: "Yes iff x-first" (or not, as fitted).
        let k = try #require(e.baselines.names.firstIndex(of: "x-first"))
        var right = 0
        for i in 0..<gold.count where gold.cueProfile[i] > 0 {
            let yes = (gold.cueBits[i] & 1 != 0) != e.baselines.negated[k - Baselines.firstCue]
            if yes == gold.labels[i] { right += 1 }
        }
        #expect(e.baselines.accuracy(k, in: e.overall) == Double(right) / 240)
        // Global majority: the gold's more frequent label, the same answer in every bucket.
        let yes = gold.labels.filter { $0 }.count
        let no = gold.count - yes
        #expect(yes != no, "the smoke eval gold should not tie")
        #expect(
            e.baselines.majorityYes == (yes > no)
                && e.baselines.accuracy(Baselines.majority, in: e.overall) == Double(max(yes, no)) / 240
        )
        for (value, t) in e.buckets["split"]! {
            let agree = (0..<gold.count).filter {
                gold.bucketValues[0][Int(gold.bucketOf[0][$0])] == value && gold.labels[$0] == (yes > no)
            }.count
            #expect(e.baselines.accuracy(Baselines.majority, in: t) == Double(agree) / Double(t.n))
        }
    }

    @Test func trainingCellsFromShardStatisticsEqualStreamedOnes() throws {
        let dir = try Self.smoke()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = try Manifest.read(directory: dir)
        let parts = Gold.shardStats(dir)
        #expect(!parts.isEmpty)
        let fromParts = try Gold.trainingCells(dir, manifest, ["train"], parts: parts)
        try FileManager.default.removeItem(atPath: dir + "/.axiomc/parts")
        let streamed = try Gold.trainingCells(dir, manifest, ["train"], parts: Gold.shardStats(dir))
        #expect(fromParts.total == 300 && fromParts == streamed)
    }

    @Test func oldCorpusWithoutMetaCuesFallsBack() throws {
        let dir = try Self.smoke()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Strip meta.cues from every shard, as a corpus written before cues existed.
        let cues = try NSRegularExpression(pattern: #","cues":\[[^\]]*\]"#)
        for split in ["train", "eval_long_chains", "eval_branching"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: dir + "/" + split)
            where file.hasSuffix(".jsonl") {
                let path = dir + "/" + split + "/" + file
                let text = try String(contentsOfFile: path, encoding: .utf8)
                let stripped = cues.stringByReplacingMatches(
                    in: text,
                    range: NSRange(text.startIndex..., in: text),
                    withTemplate: ""
                )
                #expect(stripped.count < text.count)
                try stripped.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        let gold = try Gold.load(corpus: dir, splits: nil)
        #expect(gold.baselines.source == .none && gold.count == 240)
        let e = Evaluator(gold: gold).score(Self.predictions(gold) { gold.labels[$0] }, file: "all", format: .ids)
        let yes = gold.labels.filter { $0 }.count
        #expect(
            e.overall.accuracy == 1
                && e.baselines.accuracy(Baselines.majority, in: e.overall) == Double(max(yes, 240 - yes)) / 240
        )
        #expect(Report.text(e).contains("no cues in gold"))
    }
}

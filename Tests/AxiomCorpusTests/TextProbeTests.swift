import AxiomCore
import AxiomCorpus
import AxiomRecords
import Foundation
import Testing

@Suite struct TextProbeTests {
    /// Two Yes records [1, 1, 2], one No record [3]: four features with the unseen one, so the
    /// smoothed totals are 3 + 4 = 7 (Yes) and 1 + 4 = 5 (No), the prior log(2/2) = 0.
    @Test func naiveBayesByHand() {
        var p = TextProbe()
        p.add("t", [1, 1], yes: true)
        p.add("t", [2], yes: true)
        p.add("t", [3], yes: false)
        p.add("t", [], yes: false)
        p.freeze()
        // Feature 1: log(3/7) − log(1/5) = log(15/7) > 0.
        #expect(p.predictsYes("t", [1]) == true)
        // Feature 2: log(2/7) − log(1/5) = log(10/7) > 0.
        #expect(p.predictsYes("t", [2]) == true)
        // Feature 3: log(1/7) − log(2/5) = log(5/14) < 0.
        #expect(p.predictsYes("t", [3]) == false)
        // 1 and 3: log(15/7 · 5/14) = log(75/98) < 0.
        #expect(p.predictsYes("t", [1, 3]) == false)
        // 1 twice outweighs 3: log(225/49 · 5/14) = log(1125/686) > 0.
        #expect(p.predictsYes("t", [1, 3, 1]) == true)
        // Unseen: log(1/7) − log(1/5) < 0; nothing at all: the prior, 0, a tie, is No.
        #expect(p.predictsYes("t", [9]) == false)
        #expect(p.predictsYes("t", []) == false)
        #expect(p.predictsYes("other", [1]) == nil)
    }

    func features(_ premise: String, _ question: String, _ names: [String]) -> [UInt32] {
        var f: [UInt32] = []
        TextFeatures.extract(premise: premise, question: question, names: names, into: &f)
        return f
    }

    /// Names are one placeholder: a premise that only renames is the same bag; a wording, count
    /// or question change is not; the asked names are seen through their trigrams.
    @Test func namesArePlaceholdersWordingIsNot() {
        let a = features("A causes B. B->C.", "Does A cause C?", ["A", "B", "C"])
        // Same names asked, other names in the premise: identical features.
        #expect(a == features("A causes X. X->C.", "Does A cause C?", ["A", "X", "C"]))
        // A different verb, one more sentence, a different question wording: different features.
        #expect(a != features("A leads to B. B->C.", "Does A cause C?", ["A", "B", "C"]))
        #expect(a.count < features("A causes B. B->C. C->B.", "Does A cause C?", ["A", "B", "C"]).count)
        #expect(a != features("A causes B. B->C.", "Can A lead to C?", ["A", "B", "C"]))
        // Other asked names: the same words, other trigrams.
        let renamed = features("Q causes R. R->S.", "Does Q cause S?", ["Q", "R", "S"])
        #expect(renamed.count == a.count && renamed != a)
        // "A-" is not a name: punctuation splits words, so "X->Y" holds the names X and Y.
        #expect(features("A->B.", "Q?", ["A", "B"]) == features("C->D.", "Q?", ["C", "D"]))
    }

    /// A record's role depends on its names and undirected skeleton, not their order or the
    /// edges' directions; graphs over the same names fall into different groups; every role
    /// occurs in its share.
    @Test func rolesFollowTheNamesAndSkeleton() {
        var seen: [TextProbe.Role: Int] = [:]
        let names = ["A", "B", "C", "D"].map { Array($0.utf8) }
        let pairs = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
        for i in 1..<64 {
            // Every non-empty edge set over the same four names, oriented by i.
            let edges = pairs.indices.filter { i >> $0 & 1 == 1 }.map { k in
                (i + k) % 2 == 0 ? pairs[k] : (pairs[k].1, pairs[k].0)
            }
            let role = TextProbe.role(names, edges: edges)
            let flipped = edges.reversed().map { ($0.1, $0.0) }
            #expect(TextProbe.role(names, edges: flipped) == role)
            #expect(TextProbe.role(names.reversed(), edges: edges.map { (3 - $0.0, 3 - $0.1) }) == role)
            seen[role, default: 0] += 1
        }
        // The same names, many skeletons: more than one group.
        #expect(seen.count == 3, "\(seen)")
        var shares: [TextProbe.Role: Int] = [:]
        for i in 0..<1000 {
            let role = TextProbe.role(["a\(i)", "b\(i % 7)", "c"].map(\.utf8), edges: [(0, 1), (1, 2)])
            shares[role, default: 0] += 1
        }
        // Groups 0, 1–2, 3–4 of five: about 200, 400, 400 of 1,000.
        #expect((150...250).contains(shares[.heldOut] ?? 0) && (340...460).contains(shares[.fitted] ?? 0), "\(shares)")
    }

    /// What compile counted for the text baseline (`.axiomc/parts`) is exactly what the training
    /// records' own text gives when refitted the way `check` does, twins included.
    @Test func compileCountsWhatCheckRefits() throws {
        let yaml = Self.recipe.replacingOccurrences(of: "    max_probe: 0.60\n", with: "    twins: all\n")
            .replacingOccurrences(of: "count: 3000", with: "count: 1200\n    shard_size: 500")
        let r = try inRepo { try Recipe.decode(yaml, file: "tp.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        var compiled = TextProbe()
        var refitted = TextProbe()
        let parts = dir + "/.axiomc/parts"
        // The statistics parts; the `.texts` files beside them are text fingerprints.
        for name in try FileManager.default.contentsOfDirectory(atPath: parts) where name.hasSuffix(".json") {
            let stats = try JSONDocument.decode(
                ShardStats.self,
                from: Data(contentsOf: URL(fileURLWithPath: parts + "/" + name))
            )
            try compiled.absorb(stats.text ?? [:])
        }
        var fitted = 0
        for shard in m.splits["train"]!.shards {
            for line in try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8).split(separator: "\n") {
                let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let graph = o["graph"] as! [String: Any]
                let names = graph["nodes"] as! [String]
                let edges = (graph["edges"] as! [[Int]]).map { ($0[0], $0[1]) }
                guard TextProbe.role(names.map(\.utf8), edges: edges) == .fitted else { continue }
                var f: [UInt32] = []
                TextFeatures.extract(
                    premise: o["premise"] as! String,
                    question: o["hypothesis"] as! String,
                    names: names,
                    into: &f
                )
                refitted.add(o["axiom"] as! String, f, yes: o["label"] as! String == "Yes")
                fitted += 1
            }
        }
        #expect(m.splits["train"]!.shards.count >= 2 && fitted > 300)
        #expect(compiled.counts == refitted.counts)
        #expect(compiled.counts["transitivity"]?.records.reduce(0, +) == fitted)
    }

    static let recipe = """
        name: tp
        seed: 11
        grammar: en
        splits:
          - name: train
            role: train
            axioms: transitivity
            family: flipped-chain
            flip_probability: 0.5
            nodes: [4, 7]
            max_probe: 0.60
            count: 3000
          - name: eval
            role: eval
            axioms: transitivity
            family: flipped-chain
            flip_probability: 0.5
            nodes: [8, 9]
            max_probe: 0.60
            count: 1000
        """

    /// The untouched corpus: the text baseline near chance on both splits. Then a word that only
    /// Yes questions carry is planted in every split: check names the split, the task and the
    /// text probe.
    @Test func aPlantedWordingCueFailsCheck() throws {
        let r = try inRepo { try Recipe.decode(Self.recipe, file: "tp.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        let clean = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        let scores = try #require(clean.textProbe)
        for split in ["train", "eval"] {
            let s = try #require(scores[split]?["transitivity"])
            #expect(s.accuracy < 0.6, "\(split): \(s)")
            #expect(s.records > (split == "train" ? 300 : 900))
        }
        #expect(!clean.violations.contains { $0.message.contains("text probe") }, "\(clean.violations)")
        // compile wrote the eval split's score; check recomputed the same from the text.
        #expect(m.splits["eval"]?.textProbe?["transitivity"] == scores["eval"]?["transitivity"]?.accuracy)
        #expect(m.splits["train"]?.textProbe == nil)
        for shard in m.splits.values.flatMap(\.shards) {
            let path = dir + "/" + shard.file
            var lines: [String] = []
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                var o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                if o["label"] as? String == "Yes" {
                    o["hypothesis"] = (o["hypothesis"] as! String).replacingOccurrences(of: "?", with: " at all?")
                }
                let data = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
                lines.append(String(decoding: data, as: UTF8.self))
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let planted = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        for split in ["train", "eval"] {
            #expect((planted.textProbe?[split]?["transitivity"]?.accuracy ?? 0) > 0.99)
            #expect(
                planted.violations.contains {
                    $0.check == "shortcuts" && $0.split == split
                        && $0.message.contains("task 'transitivity': the text probe predicts")
                },
                "\(split): \(planted.violations.filter { $0.check == "shortcuts" })"
            )
        }
    }

    /// Twins state the same words about other edge directions: a bag of words cannot tell them
    /// apart, so on a fully twinned split the text baseline is exactly chance.
    @Test func twinsLeaveTheTextProbeAtChance() throws {
        let yaml = Self.recipe.replacingOccurrences(of: "    max_probe: 0.60\n", with: "    twins: all\n")
        let r = try inRepo { try Recipe.decode(yaml, file: "tp.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.passed, "\(report.violations)")
        #expect(report.textProbe?["eval"]?["transitivity"]?.accuracy == 0.5)
    }
}

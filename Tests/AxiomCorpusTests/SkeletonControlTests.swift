import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// Skeleton control (`twins: all`): every question comes with a twin over the same undirected
/// graph whose edge directions flip the label, so nothing computed while ignoring directions
/// predicts it; question-type mixes are met or fail with a located error.
@Suite struct SkeletonControl {
    static let edgeTasks = [
        "transitivity", "d-separation", "collider", "common-cause", "mediator", "markov-blanket",
        "backdoor", "frontdoor",
    ]

    func compile(_ yaml: String, file: String = "sk.yaml") throws -> (Manifest, [[String: Any]], CheckReport) {
        let r = try inRepo { try Recipe.decode(yaml, file: file, grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        var records: [[String: Any]] = []
        for shard in m.splits.values.flatMap(\.shards).sorted(by: { $0.file < $1.file }) {
            let text = try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                records.append(try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])
            }
        }
        return (m, records, report)
    }

    /// The undirected edge list of a record, in premise order.
    static func skeleton(_ r: [String: Any]) -> [[Int]] {
        ((r["graph"] as! [String: Any])["edges"] as! [[Int]]).map { $0.sorted() }
    }

    static func distance(_ r: [String: Any]) -> Int {
        let g = r["graph"] as! [String: Any]
        let n = (g["nodes"] as! [Any]).count
        var adj = [[Int]](repeating: [], count: n)
        for e in g["edges"] as! [[Int]] {
            adj[e[0]].append(e[1])
            adj[e[1]].append(e[0])
        }
        let q = r["query"] as! [String: Any]
        let x = q["x"] as! Int
        let y = q["y"] as! Int
        var d = [Int](repeating: -1, count: n)
        d[x] = 0
        var queue = [x]
        var head = 0
        while head < queue.count {
            let u = queue[head]
            head += 1
            for v in adj[u] where d[v] < 0 {
                d[v] = d[u] + 1
                queue.append(v)
            }
        }
        return d[y] < 0 ? 99 : d[y]
    }

    /// Every edge task: each record's twin shares its skeleton (the same undirected edges in the
    /// same premise order), names and question, and has the other label; so every skeleton
    /// feature — here the x–y distance — has as many Yes as No.
    @Test(arguments: edgeTasks)
    func twinsShareTheSkeleton(task: String) throws {
        let (_, records, report) = try compile(
            """
            name: sk
            seed: 11
            grammar: en
            names: {alphabet: A-Za-z0-9, length: [1, 3]}
            splits:
              - name: s
                role: train
                axioms: \(task)
                family: branching
                branching_factor: 1.4
                nodes: [5, 8]
                \(task == "d-separation" ? "given_size: [0, 2]" : "")
                twins: all
                queries_per_graph: 2
                count: 400
            """
        )
        #expect(report.passed, "\(report.violations)")
        #expect(report.checked["twins"] == 400)
        var byID: [String: [String: Any]] = [:]
        for r in records { byID[r["id"] as! String] = r }
        var yesByDistance: [Int: (yes: Int, no: Int)] = [:]
        var reversedOne = 0
        for a in records {
            let b = try #require(byID[(a["meta"] as! [String: Any])["twin"] as! String])
            #expect(a["label"] as! String != b["label"] as! String)
            #expect(a["hypothesis"] as! String == b["hypothesis"] as! String)
            #expect(
                (a["graph"] as! [String: Any])["nodes"] as! [String] == (b["graph"] as! [String: Any])["nodes"]
                    as! [String]
            )
            #expect(Self.skeleton(a) == Self.skeleton(b))
            let ea = (a["graph"] as! [String: Any])["edges"] as! [[Int]]
            let eb = (b["graph"] as! [String: Any])["edges"] as! [[Int]]
            if zip(ea, eb).filter({ $0 != $1 }).count == 1 { reversedOne += 1 }
            let d = task == "markov-blanket" ? 0 : Self.distance(a)
            let c = yesByDistance[d] ?? (0, 0)
            yesByDistance[d] = a["label"] as! String == "Yes" ? (c.yes + 1, c.no) : (c.yes, c.no + 1)
        }
        for (d, c) in yesByDistance { #expect(c.yes == c.no, "\(task) distance \(d): \(c)") }
        // Near misses first: many twins differ in one reversed edge.
        #expect(reversedOne * 4 >= records.count, "\(task): \(reversedOne) of \(records.count) differ in one edge")
    }

    /// A mix the graphs cannot give is a located error naming the type and the share reached:
    /// every No question on a chain is a reversed path, so none is unconnected.
    @Test func anUnmetMixIsALocatedError() throws {
        let yaml = """
            name: mx
            seed: 2
            grammar: en
            splits:
              - name: s
                role: train
                axioms: transitivity
                family: chain
                nodes: [5, 7]
                question_types: {yes-chain: 1, no-reverse-path: 1, no-unconnected: 1}
                count: 600
            """
        #expect {
            _ = try compile(yaml, file: "mx.yaml")
        } throws: { error in
            // The first type off its share is named: a reversed path got every No record.
            let text = "\(error)"
            return text.hasPrefix(
                "mx.yaml:5:5: error: split 's': question type 'no-reverse-path' of task 'transitivity' got "
            )
                && text.contains("No records (100.0%), not its share of 50.0% in 'question_types'")
        }
    }

    /// A mix the graphs can give is met within 10% in every split (the default recipe's train
    /// split at a small size: reversed paths are a third of the No records).
    @Test func theMixIsMet() throws {
        // (Its evaluation splits are too small here for the cue limits; the shipped sizes pass.)
        let (m, _, report) = try compile(try ExplanationRecheck.smallDefault(), file: "small-default.yaml")
        #expect(!report.violations.contains { $0.check != "shortcuts" }, "\(report.violations)")
        let types = m.splits["train"]!.histograms["type"]!
        let reverse = Double(types["transitivity/no-reverse-path"]!)
        let unconnected = Double(types["transitivity/no-unconnected"]!)
        #expect(abs(2 * reverse - unconnected) <= 0.1 * (reverse + unconnected) + 2, "\(types)")
    }

    /// The default recipe's training split controls every cue within its slack (0.16): the
    /// cross-validated probes stay under its max_probe 0.70 while a third of the No records are
    /// reversed paths. In a scaled corpus, a training split's task under 1,000 records is not
    /// held to its limits (and the report says so); unscaled, it is.
    @Test func aTrainingSplitWithSlackStaysUnderItsProbeLimit() throws {
        var text = try String(contentsOfFile: repoRoot + "/Corpora/default.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "count: 200000", with: "count: 6000")
        let train = text.range(of: "  - name: eval_chain_7_15")!.lowerBound
        text = String(text[..<train])
        let (m, _, report) = try compile(text, file: "train.yaml")
        #expect(report.passed, "\(report.violations)")
        for (task, scores) in m.splits["train"]!.tasks! {
            #expect(scores.probe.crossValidated <= 0.70, "\(task): \(scores.probe)")
            #expect(scores.interactions.crossValidated <= 0.70, "\(task): \(scores.interactions)")
        }
        // Held at 3,000 records per task; at 300, only when the corpus was not scaled down.
        let strict = text.replacingOccurrences(of: "max_probe: 0.70", with: "max_probe: 0.55")
        let (_, _, failed) = try compile(strict, file: "train.yaml")
        #expect(failed.violations.contains { $0.split == "train" && $0.message.contains("above max_probe 0.55") })
        let (_, _, small) = try compile(strict.replacingOccurrences(of: "count: 6000", with: "count: 600"))
        #expect(small.violations.contains { $0.split == "train" && $0.check == "shortcuts" }, "\(small.violations)")
        var scaled = try inRepo { try Recipe.decode(strict, file: "train.yaml", grammars: .standard()) }
        scaled.scale(by: 0.1)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try inRepo { try Compiler(recipe: scaled, outputDirectory: dir).compile() }
        let scaledReport = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(!scaledReport.violations.contains { $0.check == "shortcuts" }, "\(scaledReport.violations)")
        #expect(scaledReport.checked["limits skipped"] == 2)
    }

    /// A planted skeleton cue fails check: on an uncontrolled chain split held to max_cue, the
    /// skeleton distance decides the label far above chance, and check names the split and cue.
    @Test func aSkeletonCueFailsCheck() throws {
        let (m, _, report) = try compile(
            """
            name: pl
            seed: 4
            grammar: en
            splits:
              - name: s
                role: eval
                axioms: transitivity
                family: flipped-chain
                flip_probability: 0.5
                nodes: [6, 9]
                max_cue: 0.55
                max_probe: off
                count: 1500
            """
        )
        let cues = m.splits["s"]!.cues!
        let distance = ["skel-dist-2", "skel-dist-3", "skel-dist-4-plus"].compactMap { cues[$0] }.max()!
        #expect(distance > 0.6, "\(cues)")
        #expect(!report.passed)
        #expect(
            report.violations.contains { $0.split == "s" && $0.message.contains("cue 'skel-dist-") },
            "\(report.violations)"
        )
    }
}

@Suite struct SkeletonCues {
    /// a → b ← c, b → d, with e isolated: hand-computed skeleton cues.
    @Test func handComputed() {
        let g = CausalGraph(nodeCount: 5, edges: [(0, 1), (2, 1), (1, 3)])
        let names = Cues.skeletonNames
        func holding(_ q: Query, shape: QuestionShape = [], mention: [Int] = [0, 1, 2, 3, 4]) -> [String] {
            let bits = Cues.skeleton(q, shape: shape, graph: g, mention: mention, offset: 0)
            return names.indices.filter { bits & (1 << UInt32($0)) != 0 }.map { names[$0] }
        }
        // a and c: distance 2, one shortest path, common neighbour b, both leaves.
        #expect(
            holding(Query(Axiom("t"), 0, 2)) == [
                "skel-dist-2", "skel-common-neighbor", "skel-x-leaf", "skel-y-leaf", "x-mentioned-first",
            ]
        )
        // a and d given {b}: b is on the path and separates them; d is a leaf, b has degree 3.
        #expect(
            holding(Query(Axiom("t"), 0, 3, given: [1]), shape: .given, mention: [1, 0, 2, 3, 4]) == [
                "skel-dist-2", "skel-common-neighbor", "skel-x-leaf", "skel-y-leaf", "skel-set-on-path",
                "skel-set-separates",
            ]
        )
        // The same query without the conditioning set in the task's shape ignores it.
        #expect(!holding(Query(Axiom("t"), 0, 3, given: [1]), shape: []).contains("skel-set-on-path"))
        // a and e: unconnected; a has degree 1, e none.
        #expect(
            holding(Query(Axiom("t"), 0, 4)) == [
                "skel-unconnected", "skel-x-leaf", "skel-degree-x-gt-y", "x-mentioned-first",
            ]
        )
        // b and a: adjacent (no distance cue from 2), b's degree above a's.
        #expect(
            holding(Query(Axiom("t"), 1, 0), mention: [1, 0, 2, 3, 4]) == [
                "skel-y-leaf", "skel-degree-x-gt-y", "x-mentioned-first",
            ]
        )
    }

    @Test func manyShortestPaths() {
        // a diamond: a → b → d, a → c → d.
        let g = CausalGraph(nodeCount: 4, edges: [(0, 1), (1, 3), (0, 2), (2, 3)])
        let bits = Cues.skeleton(Query(Axiom("t"), 0, 3), shape: [], graph: g, mention: [0, 1, 2, 3], offset: 0)
        #expect(bits & (1 << UInt32(Cues.skeletonNames.firstIndex(of: "skel-many-shortest")!)) != 0)
    }
}

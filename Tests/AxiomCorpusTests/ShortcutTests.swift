import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

@Suite struct Probe {
    @Test func logisticRegressionMatchesTheClosedForm() {
        // One binary cue: P(Yes | cue) = 30/40, P(Yes | no cue) = 10/40; the unpenalized MLE is
        // w0 = ln(1/3), w1 = 2 ln 3, so the probe's probabilities are exactly 0.75 and 0.25.
        var cells = CueCells()
        cells.add("transitivity", 1, yes: true, count: 30)
        cells.add("transitivity", 1, yes: false, count: 10)
        cells.add("transitivity", 0, yes: true, count: 10)
        cells.add("transitivity", 0, yes: false, count: 30)
        var probe = CueProbe()
        probe.lambda = 0
        probe.fit(cells)
        #expect(abs(probe.probability("transitivity", 1) - 0.75) < 1e-6)
        #expect(abs(probe.probability("transitivity", 0) - 0.25) < 1e-6)
        #expect(abs(probe.accuracy(on: cells) - 0.75) < 1e-12)
        #expect(cells.cueAccuracies()["x-first"] == 0.75)
        #expect(cells.cueAccuracies()["edge-xy"] == 0.5)
    }

    @Test func noSignalScoresOneHalf() {
        var cells = CueCells()
        for bits: UInt32 in [0, 1, 2, 3] {
            cells.add("d-separation", bits, yes: true, count: 50)
            cells.add("d-separation", bits, yes: false, count: 50)
        }
        #expect(CueProbe.crossValidated(cells) == 0.5)
        #expect(cells.cueAccuracies().values.allSatisfy { $0 == 0.5 })
    }

    @Test func aSeparableCueIsFoundByCrossValidation() {
        var cells = CueCells()
        cells.add("transitivity", 2, yes: true, count: 500)
        cells.add("transitivity", 0, yes: false, count: 500)
        #expect(CueProbe.crossValidated(cells) == 1.0)
        #expect(cells.cueAccuracies()["edge-xy"] == 1.0)
    }
}

@Suite struct ControlledSampling {
    func recipe(_ extra: String, family: String = "flipped-chain\n    flip_probability: 0.5") throws -> Recipe {
        try inRepo {
            try Recipe.decode(
                """
                name: c
                seed: 7
                grammar: en
                names: {alphabet: A-Za-z0-9, length: [1, 3]}
                splits:
                  - name: train
                    role: train
                    axioms: [transitivity, d-separation]
                    family: \(family)
                    nodes: [4, 7]
                    given_size: [0, 2]
                    order: shuffled
                    queries_per_graph: 2
                    count: 3000
                \(extra)
                """,
                file: "c.yaml",
                grammars: .standard()
            )
        }
    }

    func compileAndCheck(_ r: Recipe) throws -> (Manifest, CheckReport) {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        return (m, report)
    }

    @Test func uncontrolledSplitsCarryCueSignal() throws {
        let (m, report) = try compileAndCheck(try recipe(""))
        #expect(report.passed)
        let split = m.splits["train"]!
        #expect(split.cues!.values.max()! > 0.6, "\(split.cues!)")
        #expect(split.probe!.crossValidated > 0.8)
    }

    // Under full control these 4–7-node graphs give blocked-chain-or-fork 32–47% of the
    // d-separation Yes records, by seed (7–13 measured): the mix asks 40%, which seed 7 meets.
    @Test func controlBalancesEveryCueAndDefeatsTheProbe() throws {
        let r = try recipe(
            """
            control: all
                twins: all
                question_types: {yes-chain: 1, no-unconnected: 1, open-chain-or-fork: 1, open-collider: 1, blocked-chain-or-fork: 0.8, blocked-collider: 1.2}
            """.replacingOccurrences(of: "control:", with: "    control:")
        )
        let (m, report) = try compileAndCheck(r)
        #expect(report.passed, "\(report.violations)")
        let split = m.splits["train"]!
        #expect(split.cues!.values.max()! <= 0.56, "\(split.cues!)")
        #expect(split.probe!.crossValidated <= 0.58)
        #expect(split.histograms["type"]!["transitivity/yes-direct"] == nil, "weight 0 excludes a type")
    }

    @Test func aSplitOverItsLimitsFailsCheckNamingTheCue() throws {
        let (_, report) = try compileAndCheck(try recipe("    max_cue: 0.55\n    max_probe: 0.6"))
        #expect(!report.passed)
        #expect(
            report.violations.contains {
                $0.check == "shortcuts" && $0.split == "train" && $0.message.contains("cue '")
            }
        )
        #expect(report.violations.contains { $0.check == "shortcuts" && $0.message.contains("probe") })
    }

    @Test func anUncontrollableCueIsALocatedError() throws {
        // Forward chains listed in graph order: "x is mentioned first" is the label itself.
        let r = try inRepo {
            try Recipe.decode(
                """
                name: c
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
                """,
                file: "c.yaml",
                grammars: .standard()
            )
        }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }
        } throws: { error in
            "\(error)".contains("c.yaml:5:5: error: split 'ev': ")
        }
    }

    @Test func unknownCuesAndTypesAreLocated() {
        let base = """
            name: c
            seed: 7
            grammar: en
            splits:
              - name: ev
                role: train
                axioms: transitivity
                family: chain
                nodes: [5, 7]
                count: 10
            """
        let e = decodeError(base + "\n    control: [x-frist]")
        #expect(
            e?.hasPrefix("r.yaml:") == true && e?.contains("'control' has no value 'x-frist'") == true,
            "\(e ?? "nil")"
        )
        #expect(decodeError(base + "\n    question_types: {yes-chain: 1}")?.contains("no No type") == true)
    }
}

/// Generator fixes: each test failed on the old behaviour (noted per test).
@Suite struct Distribution {
    func compileRecords(_ yaml: String) throws -> (Manifest, [[String: Any]]) {
        let r = try inRepo { try Recipe.decode(yaml, file: "d.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        var records: [[String: Any]] = []
        for shard in m.splits.values.flatMap(\.shards).sorted(by: { $0.file < $1.file }) {
            let text = try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                records.append(try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])
            }
        }
        return (m, records)
    }

    static let mixed = """
        name: d
        seed: 3
        grammar: en
        splits:
          - name: train
            role: train
            axioms: [transitivity, d-separation]
            family: flipped-chain
            flip_probability: 0.5
            nodes: [3, 8]
            given_size: [0, 3]
            queries_per_graph: 4
            count: 6000
        """

    /// Old: axioms alternated per graph, so d-separation (fewer questions per graph) got ~42%;
    /// |Z| = 0 was over-represented (small graphs allow only small sets).
    @Test func axiomNodeAndGivenSharesAreAsAsked() throws {
        let (m, _) = try compileRecords(Self.mixed)
        let h = m.splits["train"]!.histograms
        #expect(h["axiom"]!["transitivity"] == 3000 && h["axiom"]!["d-separation"] == 3000, "\(h["axiom"]!)")
        for n in 3...8 { #expect(abs(h["nodes"]![String(n)]! - 1000) <= 102, "nodes \(n): \(h["nodes"]!)") }
        // |Z| counts every record; the 3000 transitivity records all have |Z| = 0.
        for k in 0...3 {
            let dsep = h["given_size"]![String(k)]! - (k == 0 ? 3000 : 0)
            #expect(abs(dsep - 750) <= 77, "given \(k): \(h["given_size"]!)")
        }
    }

    /// Old: labels alternated Yes/No in file order (74–78% of neighbours differed).
    @Test func fileOrderCarriesNoLabelPattern() throws {
        let (_, records) = try compileRecords(Self.mixed)
        let labels = records.map { $0["label"] as! String }
        let differing = zip(labels, labels.dropFirst()).filter { $0 != $1 }.count
        let share = Double(differing) / Double(labels.count - 1)
        #expect(share > 0.45 && share < 0.55, "\(share)")
    }

    /// Old: questions were drawn among main-graph nodes only.
    @Test func distractorNodesAreAskedAbout() throws {
        let (_, records) = try compileRecords(
            Self.mixed.replacingOccurrences(of: "    count: 6000", with: "    distractors: 4\n    count: 2000")
        )
        let aboutDistractors = records.filter { r in
            let q = r["query"] as! [String: Any]
            let n = (r["meta"] as! [String: Any])["nodes"] as! Int
            return (q["x"] as! Int) >= n || (q["y"] as! Int) >= n
        }
        #expect(aboutDistractors.count > 200, "\(aboutDistractors.count)")
    }

    /// Old: a 5-node graph with b = 2.0 is complete, so a d-separation split of 5–12 nodes got no
    /// 5-node records and nothing said so.
    @Test func aStratumTheGraphsCannotFillIsALocatedError() throws {
        let yaml = """
            name: d
            seed: 3
            grammar: paper
            splits:
              - name: ev
                role: train
                axioms: d-separation
                family: branching
                branching_factor: 2.0
                nodes: [5, 8]
                count: 2000
            """
        #expect {
            _ = try compileRecords(yaml)
        } throws: { error in
            "\(error)".contains("d.yaml:5:5: error: split 'ev': graphs of 5 nodes got")
        }
    }
}

@Suite struct Twins {
    /// Every family: twins exist, name each other, share the question, names and every cue
    /// value, have opposite labels, and their graphs differ by one reversed edge.
    @Test(arguments: [
        "chain\n    order: shuffled\n    given_size: [1, 2]",
        "flipped-chain\n    flip_probability: 0.5\n    given_size: [0, 2]",
        "branching\n    branching_factor: 1.4\n    given_size: [0, 2]",
        "random\n    edge_probability: 0.3\n    given_size: [0, 2]",
    ])
    func twinsDifferOnlyInTheReasoning(family: String) throws {
        let yaml = """
            name: tw
            seed: 5
            grammar: en
            names: {alphabet: A-Za-z0-9, length: [1, 3]}
            splits:
              - name: s
                role: train
                axioms: [transitivity, d-separation]
                family: \(family)
                nodes: [6, 9]
                twins: true
                queries_per_graph: 2
                count: 1500
            """
        let r = try inRepo { try Recipe.decode(yaml, file: "tw.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.passed, "\(report.violations)")
        var byID: [String: [String: Any]] = [:]
        let text = try String(contentsOfFile: dir + "/" + m.splits["s"]!.shards[0].file, encoding: .utf8)
        for line in text.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            byID[o["id"] as! String] = o
        }
        let twinned = byID.values.filter { ($0["meta"] as! [String: Any])["twin"] is String }
        #expect(twinned.count >= 100, "\(family): \(twinned.count) twinned records")
        for a in twinned {
            let metaA = a["meta"] as! [String: Any]
            let b = try #require(byID[metaA["twin"] as! String])
            let metaB = b["meta"] as! [String: Any]
            #expect(metaB["twin"] as? String == a["id"] as? String)
            #expect(a["label"] as! String != b["label"] as! String)
            #expect(metaA["cues"] as! [String] == metaB["cues"] as! [String])
            #expect(a["hypothesis"] as! String == b["hypothesis"] as! String)
        }
        #expect(report.checked["twins"] == twinned.count)
    }

    @Test func aBrokenTwinFailsCheck() throws {
        let yaml = """
            name: tw
            seed: 5
            grammar: en
            splits:
              - name: s
                role: train
                axioms: transitivity
                family: flipped-chain
                flip_probability: 0.5
                nodes: [6, 9]
                twins: true
                count: 300
            """
        let r = try inRepo { try Recipe.decode(yaml, file: "tw.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: r, outputDirectory: dir).compile() }!
        let path = dir + "/" + m.splits["s"]!.shards[0].file
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let i = try #require(lines.firstIndex { $0.contains(#""twin":"s-"#) })
        // Point the twin at a record that does not exist.
        lines[i] = lines[i].replacingOccurrences(of: #""twin":"s-"#, with: #""twin":"s-9"#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.violations.contains { $0.check == "twins" })
    }
}

@Suite struct CausalSuite {
    /// Question types whose label the undirected skeleton decides (x and y adjacent; a set that
    /// misses a neighbour, is empty or holds an endpoint): no re-orientation flips them, so with
    /// a skeleton twin for every question they are never asked.
    static let decidedBySkeleton: Set<String> = [
        "collider/no-shielded", "d-separation/adjacent", "frontdoor/no-empty-or-endpoint",
        "markov-blanket/no-missing-neighbor",
    ]

    /// The shipped suite, at a tenth of its size: compiles, passes check but for the size-bound
    /// shortcut limits, and every task has
    /// both labels and every question type the skeleton does not decide, in the training split
    /// and in some evaluation split; the skeleton-decided ones in none.
    @Test func everyTaskAndTypeInEverySplit() throws {
        var text = try String(contentsOfFile: repoRoot + "/Corpora/causal-suite.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "count: 100000", with: "count: 10000").replacingOccurrences(
            of: "count: 5000",
            with: "count: 3000"
        )
        let recipe = try inRepo { try Recipe.decode(text, file: "causal-suite.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir, jobs: 2).compile() }!
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        // At these sizes the eval splits' cue and probe limits are read off too few records per
        // task (the shipped sizes pass them: the end-to-end tests check every recipe).
        #expect(!report.violations.contains { $0.check != "shortcuts" }, "\(report.violations)")
        var inEval: Set<String> = []
        for split in recipe.splits {
            let types = m.splits[split.name]!.histograms["type"]!
            if split.role == .eval { inEval.formUnion(types.keys) }
            for key in Self.decidedBySkeleton { #expect(types[key] == nil, "\(split.name): \(key)") }
        }
        let train = m.splits["train"]!.histograms["type"]!
        for axiom in recipe.splits[0].axioms {
            let task = TaskCatalog.task(axiom)!
            for (type, label) in zip(task.typeNames, task.typeLabels)
            where !Self.decidedBySkeleton.contains("\(axiom)/\(type)") {
                #expect((train["\(axiom)/\(type)"] ?? 0) > 0, "train: no \(axiom) \(type) (\(label ? "Yes" : "No"))")
                #expect(inEval.contains("\(axiom)/\(type)"), "no eval split has \(axiom) \(type)")
            }
        }
    }
}

@Suite struct ClearCorpus {
    /// The shipped CLEAR-style recipe, at a fifth of its training size: every task it asks
    /// compiles in CLEAR's wording, passes check but for the size-bound shortcut limits (labels by
    /// the second algorithm, every text read back by the clear grammar), and has both labels in
    /// every split.
    @Test func everyTaskCompilesAndChecksInClearsWording() throws {
        var text = try String(contentsOfFile: repoRoot + "/Corpora/clear.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "count: 30000", with: "count: 6000").replacingOccurrences(
            of: "count: 3000",
            with: "count: 1200"
        )
        let recipe = try inRepo { try Recipe.decode(text, file: "clear.yaml", grammars: .standard()) }
        #expect(recipe.grammarName == "clear")
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try inRepo { try Compiler(recipe: recipe, outputDirectory: dir, jobs: 2).compile() }!
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        // (The cue and probe limits need the shipped eval sizes; the end-to-end tests hold them.)
        #expect(!report.violations.contains { $0.check != "shortcuts" }, "\(report.violations)")
        for split in recipe.splits {
            let strata = m.splits[split.name]!.strata
            for axiom in split.axioms {
                let counts = strata.filter { $0.key.hasPrefix("\(axiom)/") }.values
                #expect(
                    counts.reduce(0) { $0 + $1[0] } > 0 && counts.reduce(0) { $0 + $1[1] } > 0,
                    "\(split.name): \(axiom) lacks a label"
                )
            }
        }
        let first = try String(contentsOfFile: dir + "/" + m.splits["train"]!.shards[0].file, encoding: .utf8).prefix {
            $0 != "\n"
        }
        #expect(first.contains("\"premise\":\"Given a DAG (directed acyclic graph) with nodes "))
        // CLEAR's "Yes."/"No." is its wording (the completion), not a different label.
        #expect(
            first.contains("\"label\":\"Yes\",\"prompt\"") && first.contains("\"completion\":\"Yes.\"")
                || first.contains("\"label\":\"No\",\"prompt\"") && first.contains("\"completion\":\"No.\"")
        )
    }
}

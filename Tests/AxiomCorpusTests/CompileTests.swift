import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

@Suite(.serialized) struct Compiling {
    func compile(
        _ recipe: Recipe,
        into dir: String,
        jobs: Int = 1,
        worker: Int = 0,
        of workers: Int = 1,
        force: Bool = false
    ) throws -> Manifest? {
        try inRepo {
            try Compiler(recipe: recipe, outputDirectory: dir, jobs: jobs, force: force).compile(
                worker: worker,
                of: workers
            )
        }
    }

    @Test func identicalBytesForAnyJobCountAndFanOut() throws {
        let recipe = try smokeRecipe()
        let a = temporaryDirectory()
        let b = temporaryDirectory()
        let c = temporaryDirectory()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        let manifest = try #require(try compile(recipe, into: a, jobs: 1))
        _ = try compile(recipe, into: b, jobs: 2)
        // A 3-way fan-out: the first two workers leave no manifest; the last one writes it.
        #expect(try compile(recipe, into: c, worker: 0, of: 3) == nil)
        #expect(try compile(recipe, into: c, worker: 2, of: 3) == nil)
        #expect(try compile(recipe, into: c, worker: 1, of: 3) != nil)
        let sa = snapshot(a)
        #expect(sa.keys.contains("manifest.json") && sa.keys.contains("README.md"))
        // 7 shards, their 7 statistics parts and 7 text fingerprint files, the recipe and seed
        // copies, manifest, card and 2 eval tasks.
        #expect(sa.count == 7 + 7 + 7 + 2 + 1 + 1 + 2)
        #expect(sa == snapshot(b))
        #expect(sa == snapshot(c))
        #expect(manifest.splits["train"]?.records == 300)
    }

    /// A split whose question space is small against its size: independently drawn shards
    /// repeat each other's texts, which the compiler redraws the same way for any `--jobs`,
    /// fan-out and `--stdout`.
    @Test func noTextRepeatsAcrossShards() throws {
        let text = """
            name: repeats
            seed: 3
            grammar: en
            names: {alphabet: A-H, length: [1, 1]}
            defaults: {shard_size: 200, queries_per_graph: 2}
            splits:
              - {name: train, role: train, tasks: transitivity, family: flipped-chain, flip_probability: 0.5, nodes: 3, count: 3000}
            """
        let recipe = try inRepo { try Recipe.decode(text, file: "repeats.yaml", grammars: .standard()) }
        let a = temporaryDirectory()
        let b = temporaryDirectory()
        let c = temporaryDirectory()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        _ = try #require(try compile(recipe, into: a, jobs: 1))
        // The first draws (their fingerprint files) repeat texts across shards...
        let jobs = Plan(recipe: recipe).jobs(split: 0)
        var owner: [UInt64: Int] = [:]
        var repeats = 0
        for job in jobs {
            for text in try ShardDraw(contentsOf: a + "/" + job.fingerprintPath).texts {
                if let o = owner[text], o != job.shard { repeats += 1 } else { owner[text] = job.shard }
            }
        }
        #expect(repeats >= 10, "the recipe no longer makes shards repeat each other: the test proves nothing")
        // ... the corpus does not.
        var texts = Set<String>()
        var records = 0
        for job in jobs {
            let lines = try String(contentsOfFile: a + "/" + job.path, encoding: .utf8).split(separator: "\n")
            for line in lines {
                let doc = try JSONValue.parse(line.utf8)
                texts.insert((doc["premise"]?.string ?? "") + "\n" + (doc["hypothesis"]?.string ?? ""))
                records += 1
            }
        }
        #expect(records == 3000 && texts.count == 3000)
        let report = try inRepo { try Checker(directory: a, grammars: .standard()).run() }
        #expect(report.violations.isEmpty, "\(report.violations.prefix(3))")
        // The same bytes for 2 threads, a fan-out in any finishing order, and the stream.
        _ = try compile(recipe, into: b, jobs: 2)
        #expect(try compile(recipe, into: c, worker: 1, of: 2) == nil)
        #expect(try compile(recipe, into: c, worker: 0, of: 2) != nil)
        #expect(snapshot(a) == snapshot(b))
        #expect(snapshot(a) == snapshot(c))
        var streamed: [UInt8] = []
        _ = try RecordStream(recipe: recipe).write { streamed += $0 }
        let files = jobs.map { snapshot(a)[$0.path]! }.reduce(Data(), +)
        #expect(Data(streamed) == files)
    }

    @Test func anotherSeedGivesOtherBytes() throws {
        var recipe = try smokeRecipe()
        let a = temporaryDirectory()
        let b = temporaryDirectory()
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        _ = try compile(recipe, into: a)
        recipe.seed += 1
        _ = try compile(recipe, into: b)
        #expect(snapshot(a)["train/train-00000-of-00003.jsonl"] != snapshot(b)["train/train-00000-of-00003.jsonl"])
        // The same recipe text with another seed is another corpus: no silent mixing of shards.
        #expect(throws: IOError.self) { try compile(recipe, into: a) }
        // A fan-out's manifest step uses the seed the workers used.
        #expect(try ManifestWriter.recipe(in: b, grammars: .standard()).seed == recipe.seed)
    }

    @Test func refusesADirectoryHoldingSomethingElse() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "precious".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: IOError.self) { try compile(try smokeRecipe(), into: dir) }
        #expect(FileManager.default.fileExists(atPath: dir + "/notes.txt"))
        #expect(try compile(try smokeRecipe(), into: dir, force: true) != nil)
        #expect(!FileManager.default.fileExists(atPath: dir + "/notes.txt"))
        // Recompiling the same recipe into its own corpus is allowed (an interrupted run reruns).
        #expect(try compile(try smokeRecipe(), into: dir) != nil)
    }

    @Test func aSplitNoGraphCanAnswerIsAClearError() throws {
        // Forward chains have no collider, so no pair is d-separated given nothing: no Yes exists.
        let text =
            "name: impossible\nseed: 1\ngrammar: paper\nsplits:\n  - name: train\n    role: train\n"
            + "    axioms: d-separation\n    family: chain\n    nodes: 4\n    count: 10\n"
        let recipe = try inRepo { try Recipe.decode(text, file: "impossible.yaml", grammars: .standard()) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: GenerationError.self) { try compile(recipe, into: dir) }
        // Graphs without edges state no node at all.
        let empty = text.replacingOccurrences(of: "family: chain", with: "family: random\n    edge_probability: 0")
            .replacingOccurrences(of: "d-separation", with: "transitivity")
        let emptyRecipe = try inRepo { try Recipe.decode(empty, file: "empty.yaml", grammars: .standard()) }
        #expect(throws: GenerationError.self) { try compile(emptyRecipe, into: dir, force: true) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/manifest.json"))
        // No half-written shard is left behind.
        #expect(snapshot(dir).keys.filter { $0.hasPrefix("train/") } == [])
    }

    @Test func unwritableDirectoryIsAClearError() throws {
        #expect(throws: IOError.self) { try compile(try smokeRecipe(), into: "/proc/axiomc-cannot-write-here") }
    }

    @Test func recordsFollowTheSchema() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try compile(try smokeRecipe(), into: dir)
        let data = try #require(
            FileManager.default.contents(atPath: dir + "/eval_branching/eval_branching-00000-of-00002.jsonl")
        )
        let lines = data.split(separator: 0x0A)
        #expect(lines.count == 100)
        for line in lines {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(
                Set(o.keys) == [
                    "id", "split", "axiom", "premise", "hypothesis", "label", "prompt", "completion", "explanation",
                    "graph", "query", "meta",
                ]
            )
            let meta = try #require(o["meta"] as? [String: Any])
            #expect(
                Set(meta.keys) == [
                    "family", "nodes", "edges", "hops", "flips", "branching", "name_length", "order", "given_size",
                    "distractors", "direction", "twin", "type", "difficulty", "cues",
                ]
            )
            #expect(meta["distractors"] as? Int == 3)
            let graph = try #require(o["graph"] as? [String: Any])
            #expect((graph["nodes"] as? [String])?.count == (meta["nodes"] as? Int).map { $0 + 3 })
            #expect(
                ["Yes", "No"].contains(o["label"] as? String) && o["label"] as? String == o["completion"] as? String
            )
        }
    }
}

@Suite(.serialized) struct Checking {
    /// A compiled smoke corpus in a fresh directory.
    func corpus() throws -> String {
        let dir = temporaryDirectory()
        _ = try inRepo { try Compiler(recipe: try smokeRecipe(), outputDirectory: dir).compile() }
        return dir
    }

    func check(_ dir: String) throws -> CheckReport {
        try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
    }

    func rewrite(_ path: String, _ change: (inout [String]) -> Void) throws {
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        change(&lines)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func cleanCorpusPasses() throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try check(dir)
        #expect(r.violations == [])
        #expect(r.records == 540 && r.checked["second algorithm"] == 540 && r.checked["round trip"] == 540)
    }

    @Test func corruptedShardFails() throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var corrupted = ""
        try rewrite(dir + "/train/train-00001-of-00003.jsonl") {
            $0[5] = $0[5].replacingOccurrences(of: "\"premise\":\"", with: "\"premise\":\"Q causes R. ")
            corrupted = String($0[5].dropFirst(7).prefix(15))  // {"id":"train-000000123"
        }
        let r = try check(dir)
        #expect(
            r.violations.contains {
                $0.check == "manifest" && $0.message.contains("train-00001-of-00003.jsonl: sha256")
            }
        )
        #expect(corrupted.hasPrefix("train-"))
        #expect(r.violations.contains { $0.check == "round trip" && $0.id == corrupted }, "\(corrupted)")
    }

    @Test func theReportIsTheSameForAnyNumberOfThreads() throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Problems spread over a shard (more lines than one batch holds would need a larger
        // corpus; a batch split over workers is what the threads share).
        try rewrite(dir + "/train/train-00001-of-00003.jsonl") { lines in
            for i in stride(from: 1, to: lines.count, by: 17) {
                lines[i] = lines[i].replacingOccurrences(of: "\"label\":\"Yes\"", with: "\"label\":\"No\"")
            }
            lines[40] = "{\"id\": 3}"
            lines[41] = "not json"
        }
        var reports: [CheckReport] = []
        for jobs in [1, 2, 3, 7] {
            var checker = Checker(directory: dir, grammars: .standard())
            checker.jobs = jobs
            let r = try inRepo { try checker.run() }
            #expect(
                r.violations.contains { $0.check == "labels" }
                    && r.violations.contains { $0.message.contains("line 42") }
            )
            reports.append(r)
        }
        for r in reports.dropFirst() {
            #expect(
                r.violations == reports[0].violations && r.checked == reports[0].checked
                    && r.records == reports[0].records
            )
        }
    }

    @Test func flippedLabelFails() throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var flipped = ""
        var id = ""
        try rewrite(dir + "/eval_long_chains/eval_long_chains-00000-of-00002.jsonl") { lines in
            let line = lines[3]
            id = String(line.dropFirst(7).prefix(while: { $0 != "\"" }))
            flipped = line.contains("\"label\":\"Yes\"") ? "Yes" : "No"
            lines[3] = line.replacingOccurrences(
                of: "\"label\":\"\(flipped)\"",
                with: "\"label\":\"\(flipped == "Yes" ? "No" : "Yes")\""
            )
        }
        let r = try check(dir)
        #expect(r.violations.contains { $0.check == "labels" && $0.id == id }, "\(id)")
    }

    @Test func trainEvalOverlapFails() throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var trainLine = ""
        try rewrite(dir + "/train/train-00000-of-00003.jsonl") { trainLine = $0[0] }
        let copiedID = "eval_branching-9" + trainLine.dropFirst(7 + 6).prefix(9)
        try rewrite(dir + "/eval_branching/eval_branching-00001-of-00002.jsonl") { lines in
            lines[0] = trainLine.replacingOccurrences(of: "\"split\":\"train\"", with: "\"split\":\"eval_branching\"")
                .replacingOccurrences(of: "\"id\":\"train-", with: "\"id\":\"eval_branching-9")
        }
        let r = try check(dir)
        #expect(
            r.violations.contains {
                $0.check == "leakage" && $0.message.contains("premise text also appears in training")
            }
        )
        // A training graph cannot have a shape this eval split produces (the recipe is refused
        // otherwise), so a copied graph shows up as an impossible shape.
        #expect(r.violations.contains { $0.check == "shape" && $0.id == copiedID }, "\(copiedID)")
        #expect(!r.passed)
    }

    @Test func missingManifestIsAnError() throws {
        let dir = try corpus()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.removeItem(atPath: dir + "/manifest.json")
        #expect(throws: IOError.self) { try check(dir) }
    }
}

@Suite struct JSONWriting {
    @Test func escapesEveryControlCharacterAndKeepsUnicode() throws {
        var s: [UInt8] = Array(0..<0x20) + [0x22, 0x5C, 0x2F, 0x7F, 0x41]
        s += Array("é→😀".utf8)
        var out: [UInt8] = []
        JSONBytes.appendString(s, to: &out)
        #expect(out.allSatisfy { $0 >= 0x20 })
        let back = try JSONSerialization.jsonObject(with: Data(out), options: [.fragmentsAllowed]) as? String
        #expect(back.map { Array($0.utf8) } == s)
    }

    @Test func integers() {
        var out: [UInt8] = []
        for v in [0, 7, 42, -13, 1_000_000, Int.max] {
            out.removeAll()
            JSONBytes.appendInt(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(v))
        }
        out.removeAll()
        JSONBytes.appendInt(42, minDigits: 9, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "000000042")
    }
}

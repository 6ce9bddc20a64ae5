import AxiomCore
import AxiomRecords
import Crypto
import Foundation
import Testing

@testable import AxiomCorpus

/// Episodes corpora end to end: compile, check (and what it catches), score transcripts, recipe
/// errors, determinism across thread counts.
@Suite(.serialized) struct EpisodeCorpusTests {
    static let recipeText = """
        kind: episodes
        name: tiny-episodes
        seed: 5
        held_out_structures: 0.25
        defaults:
          nodes: [4, 5]
          family: random
          edge_probability: 0.5
        splits:
          - name: train
            structures: seen
            count: 300
          - name: held
            role: eval
            structures: held-out
            count: 40
          - name: noisy
            role: eval
            noise: 2
            trials: 4
            count: 40

        """

    func compiled(jobs: Int = 2) throws -> String {
        let dir = temporaryDirectory()
        let recipe = try EpisodeRecipe(text: Self.recipeText, path: "tiny.yaml")
        try EpisodeCompiler(recipe: recipe, outputDirectory: dir, jobs: jobs, force: true).compile()
        return dir
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func compilesChecksAndIsTheSameForAnyThreadCount() throws {
        let a = try compiled(jobs: 1)
        let b = try compiled(jobs: 3)
        defer {
            try? FileManager.default.removeItem(atPath: a)
            try? FileManager.default.removeItem(atPath: b)
        }
        for file in ["train.jsonl", "held.jsonl", "noisy.jsonl", "manifest.json"] {
            #expect(
                FileManager.default.contents(atPath: a + "/" + file)
                    == FileManager.default.contents(atPath: b + "/" + file)
            )
        }
        let report = try EpisodeCheck.run(directory: a)
        #expect(report.records == 380)
        let parallel = try EpisodeCheck.run(directory: a, jobs: 3)
        #expect(parallel.records == 380 && parallel.optimal == report.optimal)
        #expect(report.exactRecords == 340 && report.optimal == 340)
        let manifest = try JSONValue.parse(Array(FileManager.default.contents(atPath: a + "/manifest.json")!))
        let train = manifest["splits"]?[0]
        #expect(train?["expert_reward_mean"]?.string == "1.0000")
        let noisy = manifest["splits"]?[2]
        #expect(noisy?["expert_reward_mean"]?.string != "1.0000")
    }

    /// Tampering with a record — a number in the explanation, a goal value, a result — fails
    /// check with the file and line.
    @Test(arguments: [
        ("changes by ", "changes by 9"),
        ("\"values\":{\"set ", "\"values\":{\"set "),
        ("Result: ", "Result: "),
    ])
    func checkCatchesTampering(marker: String, _ unused: String) throws {
        let dir = try compiled()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var records = try lines(dir + "/train.jsonl")
        let k = 7
        var line = records[k]
        switch marker {
        case "changes by ":
            // The first slope of the explanation: its first digit becomes another one.
            let r = line.range(of: "changes by ")!
            let i = line.index(r.upperBound, offsetBy: line[r.upperBound] == "-" ? 1 : 0)
            let digit = line[i]
            line.replaceSubrange(i...i, with: digit == "7" ? "8" : "7")
        case "Result: ":
            // The goal value in the first result of the transcript.
            let r = line.range(of: "Result: ")!
            let end = line[r.upperBound...].firstIndex(of: ",")!
            line.insert("1", at: end)
        default:
            // The first answer's goal value.
            let r = line.range(of: "\"values\":{")!
            let colon = line[r.upperBound...].firstIndex(of: ":")!
            line.insert("1", at: line.index(after: colon))
        }
        records[k] = line
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/train.jsonl"))
        // The first problem in file order, whatever the thread count.
        for jobs in [1, 3] {
            #expect {
                try EpisodeCheck.run(directory: dir, jobs: jobs)
            } throws: { error in
                "\(error)".contains("train.jsonl:8: error:")
            }
        }
    }

    /// The replay reads the transcript only: a record whose explanation misquotes an observation
    /// (the untouched goal value it cites is off by one) is refused for the misquote, and the
    /// path-sum check alone refuses a changed goal value (both called on the parsed record).
    @Test func replayAndPathSumsRefuseTamperingOnTheirOwn() throws {
        let dir = try compiled()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let line = try lines(dir + "/train.jsonl")[3]
        let record = try JSONValue.parse(Array(line.utf8))
        let level = try EpisodeRecord.level(record["level"])
        #expect(try EpisodeCheck.replay(record, level: level) == record["answer"]?.string)
        try EpisodeCheck.checkValues(record, level: level)
        guard case var .object(pairs) = record, let m = pairs.firstIndex(where: { $0.0 == "messages" }),
            case var .array(messages) = pairs[m].1, case var .object(last) = messages[messages.count - 1]
        else { throw EpisodeError("no messages") }
        // "… moved G from e0 to …": e0 becomes e0 + 1.
        let text = last[1].1.string!
        let goal = record["goal"]!.string!
        let marker = " moved \(goal) from "
        let start = text.range(of: marker)!.upperBound
        let end = text[start...].firstIndex(of: " ")!
        let e0 = EpisodeText.parseNumber(text[start..<end])!
        last[1].1 = .string(text.replacingCharacters(in: start..<end, with: EpisodeText.number(e0 + .one)))
        messages[messages.count - 1] = .object(last)
        pairs[m].1 = .array(messages)
        #expect {
            try EpisodeCheck.replay(.object(pairs), level: level)
        } throws: { error in
            "\(error)".contains("misquotes the observations")
        }
        // A goal value in `values` one off: the path sums disagree.
        guard case var .object(top) = record, let v = top.firstIndex(where: { $0.0 == "values" }),
            case var .object(values) = top[v].1
        else { throw EpisodeError("no values") }
        values[0].1 = JSONValue(values[0].1.int! + 1)
        top[v].1 = .object(values)
        #expect {
            try EpisodeCheck.checkValues(.object(top), level: level)
        } throws: { error in
            "\(error)".contains("the path sums' value")
        }
    }

    /// Expert transcripts score 1.0 on noise-free splits; a malformed action scores 0 with a
    /// located message; a transcript over the budget scores 0; missing episodes count as 0.
    @Test func scoresTranscripts() throws {
        let dir = try compiled()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gold = try EpisodeScore.gold(dir + "/train.jsonl")
        var out: [String] = []
        for line in try lines(dir + "/train.jsonl") {
            let r = try JSONValue.parse(Array(line.utf8))
            let turns = (r["messages"]?.array ?? []).filter { $0["role"]?.string == "assistant" }.compactMap {
                $0["content"]?.string
            }
            out.append(
                JSONValue.object([("id", r["id"]!), ("actions", .array(turns.map { .string($0) }))]).serialized()
            )
        }
        let path = dir + "/expert.jsonl"
        try Data((out.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let report = try EpisodeScore.run(gold: gold, transcripts: path)
        #expect(report.meanReward == .one && report.successRate == .one && report.problems.isEmpty)
        // The expert runs its whole budget: one experiment per variable but the goal.
        let budgets = try lines(dir + "/train.jsonl").reduce(0) {
            $0 + (try JSONValue.parse(Array($1.utf8))["budget"]!.int!)
        }
        #expect(report.meanExperiments == Rational(budgets, 300))

        // One malformed action, one over-budget transcript, one raw text answer, the rest missing.
        let first = try JSONValue.parse(Array(try lines(dir + "/train.jsonl")[0].utf8))
        let second = try JSONValue.parse(Array(try lines(dir + "/train.jsonl")[1].utf8))
        let third = try JSONValue.parse(Array(try lines(dir + "/train.jsonl")[2].utf8))
        let budget = second["budget"]!.int!
        let variable = second["variables"]![0]!.string!
        let overBudget = JSONValue.array(Array(repeating: .string("set " + variable + " to 1"), count: budget + 1))
        let bad = [
            #"{"id": "\#(first["id"]!.string!)", "actions": ["Experiment 1: poke the system."]}"#,
            #"{"id": "\#(second["id"]!.string!)", "actions": \#(overBudget.serialized())}"#,
            #"{"id": "\#(third["id"]!.string!)", "text": "A hidden causal system.\nExperiment 1: set \#(third["variables"]![0]!.string!) to 1.\nResult: whatever.\nI think so.\nAnswer: \#(third["answer"]!.string!)."}"#,
        ]
        let badPath = dir + "/bad.jsonl"
        try Data((bad.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: badPath))
        let partial = try EpisodeScore.run(gold: gold, transcripts: badPath)
        #expect(partial.outcomes.map(\.reward) == [.zero, .zero, .one])
        // The copied prompt line is no turn: one experiment, then the answer.
        #expect(partial.outcomes[2].experiments == 1)
        #expect(partial.problems.count == 2)
        #expect(partial.problems[0].hasPrefix(badPath + ":1: error: ") && partial.problems[0].contains("no action"))
        #expect(partial.problems[1].contains(":2: error: ") && partial.problems[1].contains("over the budget"))
        #expect(partial.missing.count == 297)
        #expect(partial.meanReward == Rational(1, 300))
    }

    /// Confounded training, deconfounded evaluation: the planted cue (`answer-first`) holds in
    /// every training episode, in half of the balanced split's and in none of the reversed one's;
    /// a split without explanations ends on the bare answer; check passes all of them.
    @Test func plantsTheCueAsAsked() throws {
        let text = """
            kind: episodes
            name: confounded
            seed: 9
            defaults:
              nodes: [4, 5]
            splits:
              - name: train
                count: 200
                confound: {cue: answer-first, agreement: 1.0}
              - name: bare
                count: 100
                explanations: false
                confound: {cue: answer-first, agreement: 1.0}
              - name: half
                role: eval
                count: 101
                confound: {cue: answer-first, agreement: 0.5}
              - name: reversed
                role: eval
                count: 100
                confound: {cue: answer-first, agreement: 0}
              - name: natural
                role: eval
                count: 200

            """
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try EpisodeCompiler(recipe: try EpisodeRecipe(text: text, path: "c.yaml"), outputDirectory: dir, jobs: 2)
            .compile()
        func share(_ split: String) throws -> Double {
            let records = try lines(dir + "/" + split + ".jsonl").map { try JSONValue.parse(Array($0.utf8)) }
            let first = records.filter { r in
                // The cue read off the text: the answer's variable is the first listed but the goal.
                let goal = r["goal"]!.string!
                let firstListed = r["variables"]!.array!.compactMap(\.string).first { $0 != goal }!
                return r["answer"]!.string!.hasPrefix("set \(firstListed) to ")
            }
            return Double(first.count) / Double(records.count)
        }
        #expect(try share("train") == 1.0)
        #expect(try share("bare") == 1.0)
        #expect(abs(try share("half") - 0.5) <= 0.05)
        #expect(try share("reversed") == 0.0)
        // Unplanted, the cue holds about as often as chance (one of 3 or 4 variables).
        #expect(try share("natural") < 0.4)
        let bare = try JSONValue.parse(Array(try lines(dir + "/bare.jsonl")[0].utf8))
        #expect(bare["messages"]?.array?.last?["content"]?.string == "Answer: \(bare["answer"]!.string!).")
        #expect(bare["explanation"]?.string == "")
        let report = try EpisodeCheck.run(directory: dir)
        #expect(report.records == 701)
    }

    /// A stated graph is scored by its directed edges, apart from the reward: the hidden graph
    /// itself scores F1 1, a reversed edge costs precision and recall, "none" recall; a name that
    /// is no variable is a located problem and leaves the reward alone.
    @Test func scoresStatedGraphs() throws {
        let dir = try compiled()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gold = try EpisodeScore.gold(dir + "/train.jsonl")
        let records = try lines(dir + "/train.jsonl").prefix(40).map { try JSONValue.parse(Array($0.utf8)) }
        let r = try #require(records.first { ($0["hidden"]?["edges"]?.array?.count ?? 0) >= 2 })
        let edges = r["hidden"]!["edges"]!.array!.map { [$0[0]!.string!, $0[1]!.string!] }
        let id = r["id"]!.string!
        let answer = "Answer: \(r["answer"]!.string!)."
        func score(_ line: String) throws -> EpisodeScore.Report {
            let path = dir + "/graph.jsonl"
            try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: path))
            return try EpisodeScore.run(gold: gold, transcripts: path)
        }
        let exact = JSONValue.array(edges.map { .array($0.map { .string($0) }) })
        let full = try score(#"{"id": "\#(id)", "actions": ["\#(answer)"], "graph": \#(exact.serialized())}"#)
        #expect(full.graphs == [EpisodeScore.EdgeScore(stated: Set(edges), hidden: Set(edges))])
        #expect(full.graphs.first?.f1 == .one && full.outcomes[0].reward == .one)
        // As a text line after the answer, with the first edge reversed.
        var stated = edges
        stated[0].reverse()
        let text = stated.map { "\($0[0]) -> \($0[1])" }.joined(separator: ", ")
        let reversed = try score(#"{"id": "\#(id)", "text": "\#(answer)\nGraph: \#(text)."}"#)
        let n = edges.count
        #expect(reversed.graphs.first?.precision == Rational(n - 1, n))
        #expect(reversed.graphs.first?.f1 == Rational(n - 1, n))
        #expect(reversed.outcomes[0].reward == .one)
        let none = try score(#"{"id": "\#(id)", "text": "Graph: none.\n\#(answer)"}"#)
        #expect(none.graphs.first?.recall == .zero && none.graphs.first?.precision == .one)
        let unknown = try score(#"{"id": "\#(id)", "actions": ["\#(answer)"], "graph": "Qx -> \#(edges[0][1])"}"#)
        #expect(unknown.graphs.isEmpty && unknown.outcomes[0].reward == .one)
        #expect(unknown.problems.first?.contains("graph not scored: 'Qx' is not a variable") == true)
        #expect(unknown.json["edge_f1"] == .null && full.json["edge_f1"]?.string == "1.0000")
    }

    /// Turns a model may write: "set to 5" (no name), CRLF line ends, a line that only mentions an
    /// experiment, all read without a crash and as the environment reads them.
    @Test func readsAwkwardTurns() throws {
        let episode = try #require(Episode(level: EpisodeLevel(nodes: 4), seed: 1))
        let text = EpisodeText(episode)
        let a = text.names[text.order[0]]
        #expect(
            throws: EpisodeError(
                "'' is not a variable of this system (\(EpisodeText.list(text.order.map { text.names[$0] })))"
            )
        ) {
            try text.readMove("Experiment 2: set to 5.")
        }
        #expect(try text.readMove("Answer: set \(a) to 0\r\nGraph: none.") == .answer(Action(text.order[0], 0)))
        #expect(EpisodeScore.turnsOf("Experiment 1: set \(a) to 5.\r\nResult: x.\r\nAnswer: set \(a) to 0.").count == 2)
        #expect(
            EpisodeScore.turnsOf(
                "Experiment 1 showed that \(a) matters.\nExperiment 2 : set \(a) to 1.\nAnswer: set \(a) to 0."
            )
                == ["Experiment 2 : set \(a) to 1.", "Answer: set \(a) to 0."]
        )
    }

    /// `check` ties each record to its split: a split file replaced by another split's (its
    /// manifest entry's counts, sums and hash made to match) fails, naming the file and line.
    @Test func checkTiesRecordsToTheirSplit() throws {
        let dir = try compiled()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifestPath = dir + "/manifest.json"
        var manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
            as! [String: Any]
        var splits = manifest["splits"] as! [[String: Any]]
        // "held" (held-out shapes) gets the first 40 records of "train" (seen shapes).
        let train = try lines(dir + "/train.jsonl").prefix(40)
        let bytes = Data((train.joined(separator: "\n") + "\n").utf8)
        try bytes.write(to: URL(fileURLWithPath: dir + "/held.jsonl"))
        var tally = EpisodeTally()
        for line in train { try tally.add(Array(line.utf8)) }
        for (key, value) in tally.summary {
            splits[1][key] = try JSONSerialization.jsonObject(
                with: Data(value.serialized().utf8),
                options: .fragmentsAllowed
            )
        }
        splits[1]["sha256"] = SHA256.hash(data: bytes).hex
        splits[1]["bytes"] = bytes.count
        manifest["splits"] = splits
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestPath))
        #expect {
            try EpisodeCheck.run(directory: dir)
        } throws: { error in
            "\(error)".contains("held.jsonl:1: error: the record is not 'held-000000' of split 'held'")
        }
    }

    @Test func recipeErrorsAreLocated() {
        let cases: [(String, String)] = [
            (
                "kind: episodes\nname: x\nseed: 1\nsplits:\n  - name: a\n    count: 0\n",
                "tiny.yaml:6:12: error: count must lie in 1..."
            ),
            ("kind: episodes\nname: x\nseed: 1\nsplits:\n  - name: a\n    count: 3\n    nodes: 2\n", "nodes must lie"),
            ("kind: episodes\nname: x\nseed: 1\nsplitz: []\n", "unknown key 'splitz'"),
            (
                "kind: episodes\nname: x\nseed: 1\nsplits:\n  - name: a\n    count: 3\n    structures: some\n",
                "tiny.yaml:7"
            ),
        ]
        for (text, expected) in cases {
            #expect {
                try EpisodeRecipe(text: text, path: "tiny.yaml")
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }

    @Test func numbersRoundTrip() {
        // Beyond 64 bits too: a 25-digit numerator, a decimal of 20 places.
        var big = Rational(1)
        for _ in 0..<25 { big = big * Rational(10) }
        var tiny = Rational(1)
        for _ in 0..<20 { tiny = tiny / Rational(2) }
        for r in [
            Rational(3), Rational(-7, 3), Rational(9, 4), Rational(-1, 2), Rational(0), Rational(13, 20),
            (big + Rational(7)) / Rational(3), -tiny, big,
        ] {
            #expect(EpisodeText.parseNumber(Substring(EpisodeText.number(r))) == r)
        }
        #expect(EpisodeText.number(Rational(9, 4)) == "2.25")
        #expect(EpisodeText.number(Rational(-7, 3)) == "-7/3")
        #expect(EpisodeText.parseNumber("1.") == nil && EpisodeText.parseNumber("x") == nil)
    }
}

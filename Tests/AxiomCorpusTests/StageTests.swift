import AxiomCore
import AxiomRecords
import Testing

@testable import AxiomCorpus

/// The shard loop's stages, each without files.
@Suite struct ShardStages {
    @Test func theBalancerAlternatesLabelsWithinAStratumAndKeepsControlledCellsLevel() {
        var b = LabelBalancer(seed: 7, controlMask: [0b1, 0])
        b.reset(shard: 3)
        let s = Stratum(task: 0, nodes: 5, given: 1)
        var labels: [Bool] = []
        for _ in 0..<6 {
            let label = b.target(s)
            labels.append(label)
            b.record(s, task: 1, cues: 0, label: label)
        }
        // Alternating from a seeded start: never two of a kind in a row, three of each.
        #expect(zip(labels, labels.dropFirst()).allSatisfy { $0 != $1 })
        #expect(labels.filter { $0 }.count == 3)
        #expect(s.key == 5_001)
        // Task 0 controls cue bit 0: a cell holding one more Yes than No takes no further Yes.
        b.record(s, task: 0, cues: 0b1, label: true)
        #expect(!b.admits(task: 0, cues: 0b1, label: true))
        #expect(b.admits(task: 0, cues: 0b1, label: false))
        // Bit 1 is not controlled: 0b11 is the same cell as 0b1, 0b10 the empty one, which takes
        // exactly one of the labels first (its drawn direction).
        #expect(!b.admits(task: 0, cues: 0b11, label: true))
        #expect(b.admits(task: 0, cues: 0b10, label: true) != b.admits(task: 0, cues: 0b10, label: false))
        // Uncontrolled tasks admit everything.
        #expect(b.admits(task: 1, cues: 0b1, label: true))
    }

    /// Slack goes to the question type the sampler wants (`mayLean`), and a question and its twin
    /// in different cells must fit it together.
    @Test func slackIsSpentOnlyWhereTheSamplerAllowsIt() {
        var b = LabelBalancer(seed: 5, controlMask: [0b11], slack: 0.5)
        b.reset(shard: 0)
        let s = Stratum(task: 0, nodes: 5, given: 0)
        // Fill cells 0b01 and 0b10 with one record each of their drawn label.
        for cues: UInt32 in [0b01, 0b10] {
            let label = b.admits(task: 0, cues: cues, label: true)
            b.record(s, task: 0, cues: cues, label: label)
        }
        for cues: UInt32 in [0b01, 0b10] {
            let leaning = !b.admits(task: 0, cues: cues, label: true, mayLean: false)
            let label = leaning  // the label its one record has
            // Leaning further needs slack: refused without mayLean, taken with it.
            #expect(!b.admits(task: 0, cues: cues, label: label, mayLean: false))
            #expect(b.admits(task: 0, cues: cues, label: label, mayLean: true))
        }
        // A pair in one cell leaves it as it was, even without slack.
        var strict = LabelBalancer(seed: 5, controlMask: [0b11])
        strict.reset(shard: 0)
        strict.record(s, task: 0, cues: 0b01, label: true)
        #expect(strict.admitsTwin(task: 0, cues: 0b01, label: false, pairedWith: 0b01, mayLean: false))
        // Across cells, a pair that would lean either one is refused without slack.
        let yesLeaning = !strict.admits(task: 0, cues: 0b01, label: true)
        #expect(yesLeaning)
        #expect(!strict.admitsTwin(task: 0, cues: 0b10, label: false, pairedWith: 0b01))
    }

    /// Proposals whose label follows cue bit 0 nine times in ten, over 64 cells of 6 cue bits.
    static func leanedCells(slack: Double, proposals: Int) -> (cells: [Int: (yes: Int, no: Int)], bias: Int) {
        var b = LabelBalancer(seed: 3, controlMask: [0b11_1111], slack: slack)
        b.reset(shard: 0)
        var rng = SeededRNG(seed: 9)
        var cells: [Int: (yes: Int, no: Int)] = [:]
        var bias = 0
        let s = Stratum(task: 0, nodes: 5, given: 0)
        for _ in 0..<proposals {
            let cues = UInt32(rng.next() % 64)
            let label = (cues & 1 == 1) == (rng.next() % 10 != 0)
            guard b.admits(task: 0, cues: cues, label: label) else { continue }
            b.record(s, task: 0, cues: cues, label: label)
            let c = cells[Int(cues)] ?? (0, 0)
            cells[Int(cues)] = label ? (c.yes + 1, c.no) : (c.yes, c.no + 1)
        }
        // How often a cell's lean agrees with the natural one (bit 0), minus how often not.
        for (cues, c) in cells where c.yes != c.no { bias += (c.yes > c.no) == (cues & 1 == 1) ? 1 : -1 }
        return (cells, bias)
    }

    /// The majority label of each cell is right on at most ½ + slack of the records, plus the
    /// one-record leans, which start the drawn way.
    @Test(arguments: [0.0, 0.1, 0.2])
    func controlSlackBoundsTheBestClassifierOfTheCues(slack: Double) {
        let (cells, bias) = Self.leanedCells(slack: slack, proposals: 20_000)
        let n = cells.values.reduce(0) { $0 + $1.yes + $1.no }
        let majority = cells.values.reduce(0) { $0 + max($1.yes, $1.no) }
        let free = cells.values.filter { $0.yes != $0.no }.count
        #expect(n > 2_000)
        #expect(Double(majority) <= (0.5 + slack) * Double(n) + Double(free) / 2, "\(majority) of \(n)")
        if slack == 0 {
            #expect(cells.values.allSatisfy { abs($0.yes - $0.no) <= 1 })
            // A balanced cell takes its drawn label first, so a cell leans the proposals' way only
            // where that was drawn: about a quarter to a half of the 64 cells (taking whichever
            // label came first, nearly all of them would).
            #expect(bias <= 40, "bias \(bias) of \(free)")
        } else {
            // The slack is used: the proposals' lean shows, up to the bound.
            #expect(Double(majority) >= (0.5 + slack * 0.8) * Double(n), "\(majority) of \(n)")
        }
    }

    @Test func theSamplerDrawsTheLabelItIsAskedForAndBothAlgorithmsAgree() {
        var rng = SeededRNG(seed: 11)
        var sampler = QuerySampler(axioms: [Axiom("transitivity"), Axiom("d-separation")])
        var drawn = 0
        for _ in 0..<200 {
            let (graph, _) = GraphGenerator.make(.branching(factor: 1.4, connected: true), nodes: 7, using: &rng)
            let candidates = (0..<graph.nodeCount).filter(graph.isMentioned)
            for t in 0..<2 {
                sampler.prepare(t, graph)
                for label in [true, false] {
                    let mention = Array(0..<graph.nodeCount)
                    guard
                        sampler.draw(
                            t,
                            from: candidates,
                            givenSize: t,
                            label: label,
                            type: -1,
                            mention: mention,
                            using: &rng
                        )
                    else { continue }
                    drawn += 1
                    var task = TaskCatalog.task(sampler.query.axiom)!
                    task.prepare(graph)
                    #expect(task.check(sampler.query) == label)
                    #expect(task.answer(sampler.query) == label)
                    #expect(sampler.query.given.count == t)
                }
            }
        }
        #expect(drawn > 600)
    }

    @Test func theWriterWritesWhatTheReaderReadsInEveryLayout() throws {
        var content = RecordContent()
        content.index = 42
        content.axiom = Array("d-separation".utf8)
        content.label = true
        content.premise = Array("A causes B. B causes C.".utf8)
        content.hypothesis = Array("Are A and C d-separated given {B}?".utf8)
        content.prompt = Array("Q: A causes B. B causes C. Are A and C d-separated given {B}?".utf8)
        content.explanation = Array("B blocks the chain.".utf8)
        content.names = ["A", "B", "C"].map { Array($0.utf8) }
        content.nodes = 3
        content.mainEdges = 2
        content.order = Array("graph".utf8)
        content.forward = true
        content.type = Array("blocked-chain-or-fork".utf8)
        content.cueNames = ["a", "b", "c"].map { Array($0.utf8) }
        content.cueBits = 0b101
        let edges = [CausalGraph.Edge(0, 1), CausalGraph.Edge(1, 2)]
        let query = Query(Axiom("d-separation"), 0, 2, given: [1])
        for format in RecordFormat.allCases {
            let schema = RecordSchema(format: format, prompt: true, explanations: true, node: true, set: false)
            var writer = RecordWriter(
                schema: schema,
                split: "eval",
                recipe: "r",
                family: "chain",
                branching: nil,
                answers: (Array("Yes".utf8), Array("No".utf8))
            )
            var out = ByteBuffer(capacity: 64)
            writer.write(content, edges: edges, query: query, into: &out)
            let line = out.bytes
            #expect(line.last == 0x0A)
            let r = try #require(StoredRecord(try JSONValue.parse(line.dropLast()), prompt: true), "\(format)")
            #expect(r.layout == (format == .completion ? .records : format))
            #expect(r.id == "eval-000000042" && r.split == "eval" && r.axiom == "d-separation" && r.label == "Yes")
            #expect(
                r.premise == "A causes B. B causes C." && r.names == ["A", "B", "C"] && r.edges == [[0, 1], [1, 2]]
            )
            #expect(r.x == 0 && r.y == 2 && r.z == -1 && r.given == [1] && r.nodes == 3)
            #expect(r.cues == ["a", "c"] && r.type == "blocked-chain-or-fork" && r.metaText("direction") == "forward")
            // Chat and rl records carry the prompt as the user message, which ends with the answer
            // format the layouts teach.
            let user = RecordFormat.userMessage(
                prompt: content.prompt,
                premise: content.premise,
                hypothesis: content.hypothesis,
                explanations: true
            )
            let expected = format == .chat || format == .rl ? user : content.prompt
            #expect(r.prompt == String(decoding: expected, as: UTF8.self))
            if format == .chat || format == .rl {
                #expect(r.prompt?.hasSuffix(RecordFormat.instruction(explanations: true)) == true)
            }
            if format == .chat || format == .rl { #expect(r.messages?.first?.role == "user") }
            if format == .rl { #expect(r.index == 42 && r.rewardStyle == "rule" && r.ability == RecordFormat.ability) }
            // Every field the card declares at the top level is one the record holds.
            let declared = schema.features().split(separator: "\n").filter { $0.hasPrefix("  - name: ") }.map {
                String($0.dropFirst(10))
            }
            #expect(declared == r.raw.keys, "\(format): the card's features and the written keys differ")
        }
    }
}

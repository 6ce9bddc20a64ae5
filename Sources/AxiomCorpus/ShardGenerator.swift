import AxiomCore
import AxiomGrammar

/// A split that cannot be generated as asked.
public struct GenerationError: Error, CustomStringConvertible, Sendable {
    public var split: String
    public var line: Int
    public var column: Int = 1
    public var message: String
    public var description: String { "split '\(split)' (recipe line \(line)): \(message)" }

    /// `file:line:col: error: split 'name': message`, at the split in the recipe.
    public func located(in file: String) -> String { "\(file):\(line):\(column): error: split '\(split)': \(message)" }
}

/// Generates the records of one shard: graphs, names, labelled queries, text, JSON bytes.
///
/// Everything random comes from one generator seeded by (recipe seed, split, shard), so a shard's
/// bytes do not depend on which worker makes it or when. All storage is reused: after the first
/// graph the loop appends to buffers it already owns.
public struct ShardGenerator {
    public let spec: SplitSpec
    let grammar: Grammar
    let seed: UInt64
    private var renderer: Renderer
    private var namer: NameGenerator
    /// One value per task of the split (`spec.axioms` order), and each one's catalog position.
    private var tasks: [any CausalTask]
    private let catalogIndex: [Int]
    private var proof = Proof()
    private var steps = Explanation()
    private var query: Query
    /// Per task: the controlled cue bits, the question-type weights (empty: natural mix).
    private let controlMask: [UInt32]
    private let typeWeights: [[Double]]
    private let cueNameBytes: [[[UInt8]]]
    private let typeNameBytes: [[[UInt8]]]
    /// Label counts per (task, controlled cue values) cell, and records per (task, type). (Cells
    /// that also split by node count leave too many singletons to balance.)
    private var cells: [UInt64: (yes: Int, no: Int)] = [:]
    private var typeCounts: [[Int]] = []
    /// The accepted question's type and cue bits.
    private var questionType = 0
    private var cueBits: UInt32 = 0
    private var main = CausalGraph()
    private var full = CausalGraph()
    private var distractor = CausalGraph()
    private var info = GraphInfo()
    private var distractorInfo = GraphInfo()
    private var scratch: [Int] = []
    private var names: [[UInt8]] = []
    private var candidates: [Int] = []
    private var pick: [Int] = []
    private var starts: [Int] = []
    /// The contrastive twin under construction (see `findTwin`).
    private var twinGraph = CausalGraph()
    private var twinPremise: [UInt8] = []
    private var twinType = 0
    private var twinFlips = 0
    private var twinOrder: [Int] = []
    private var twinScratch: [Int] = []
    private var mainMention: [Int] = []
    /// Records so far per task, per node count and per |Z| (offsets from the range's start).
    private var taskRecords: [Int] = []
    private var nodeRecords: [Int] = []
    private var givenRecords: [Int] = []
    private var permutation: [Int] = []
    private var asked: [Query] = []
    private var premise: [UInt8] = []
    private var question: [UInt8] = []
    private var explanation: [UInt8] = []
    private var prompt: [UInt8] = []
    private var userText: [UInt8] = []
    private var answerText: [UInt8] = []
    private let dataSourceBytes: [UInt8]
    private var pathScratch: [UInt64] = []
    private var seen = FingerprintSet()
    private let splitBytes: [UInt8]
    private let familyBytes: [UInt8]
    private let axiomBytes: [[UInt8]]
    private let orderBytes: [[UInt8]]
    /// `spec.nodeCounts`, and whether they run without gaps (then a count's slot is n - first).
    private let nodeCounts: [Int]
    private let nodeCountsContiguous: Bool

    public init(spec: SplitSpec, grammar: Grammar, seed: UInt64) throws {
        self.spec = spec
        self.grammar = grammar
        self.seed = seed
        self.renderer = Renderer(grammar: grammar)
        self.renderer.premiseEnd = spec.premiseEnd
        self.nodeCounts = spec.nodeCounts
        self.nodeCountsContiguous = spec.nodeCounts.last! - spec.nodeCounts[0] + 1 == spec.nodeCounts.count
        self.namer = try NameGenerator(style: spec.names, reserved: grammar.reservedWords)
        self.splitBytes = Array(spec.name.utf8)
        self.dataSourceBytes = Array(RecordFormat.dataSource(recipe: spec.recipeName, split: spec.name).utf8)
        self.familyBytes = Array(spec.family.name.utf8)
        self.tasks = spec.axioms.map { TaskCatalog.task($0)! }
        self.catalogIndex = spec.axioms.map { TaskCatalog.index(of: $0)! }
        self.axiomBytes = spec.axioms.map { Array($0.rawValue.utf8) }
        self.query = Query(spec.axioms[0], 0, 0)
        let tasks = self.tasks
        self.controlMask = tasks.map { task in
            var mask: UInt32 = 0
            for (i, name) in task.cueNames.enumerated() where spec.controlledCues.contains(name) { mask |= 1 << UInt32(i) }
            return mask
        }
        self.typeWeights = tasks.map { task in spec.typeMix.isEmpty ? [] : task.typeNames.map { spec.typeMix[$0] ?? 0 } }
        self.cueNameBytes = tasks.map { $0.cueNames.map { Array($0.utf8) } }
        self.typeNameBytes = tasks.map { $0.typeNames.map { Array($0.utf8) } }
        self.orderBytes = PremiseOrder.allCases.map { Array($0.rawValue.utf8) }
    }

    /// Generates `job`'s records, handing each buffer-full of JSONL bytes to `sink`.
    ///
    /// - Throws: what `sink` throws, or `GenerationError` when the split's graphs cannot yield the
    ///   queries it asks for (e.g. a conditioning set size no graph leaves room for).
    public mutating func generate(_ job: ShardJob, sink: (UnsafeRawBufferPointer) throws -> Void) throws -> ShardStats {
        var rng = SeededRNG(seed: seed, stream: SeededRNG.streamID(spec.name), index: UInt64(job.shard))
        var out = ByteBuffer(capacity: 1 << 21)
        defer { out.deallocate() }
        // Records are written in shuffled blocks, so file order carries no label pattern (the
        // balancer alternates labels) and a graph's questions are not neighbours.
        var block = ByteBuffer(capacity: 1 << 20)
        defer { block.deallocate() }
        var orderRNG = SeededRNG(seed: seed, stream: SeededRNG.streamID(spec.name + "/file-order"), index: UInt64(job.shard))
        starts.removeAll(keepingCapacity: true)
        var stats = ShardStats(file: job.path)
        var counters = StatCounters()
        seen.removeAll()
        cells.removeAll()
        taskRecords = [Int](repeating: 0, count: tasks.count)
        nodeRecords = [Int](repeating: 0, count: nodeCounts.count)
        givenRecords = [Int](repeating: 0, count: spec.givenSizes.count)
        typeCounts = tasks.map { [Int](repeating: 0, count: $0.typeNames.count) }
        var cueCells = CueCells()
        var made = 0
        var graphNumber = 0
        var failures = 0
        while made < job.records {
            // The task with the fewest records so far (axiom shares as asked, not as the graphs
            // happen to give them).
            var t = 0
            for i in taskRecords.indices where taskRecords[i] < taskRecords[t] { t = i }
            graphNumber += 1
            let usedBefore = made
            let n = pickNodeCount(using: &rng)
            makeGraph(nodes: n, using: &rng)
            candidates.removeAll(keepingCapacity: true)
            // Distractor nodes are asked about too (a question about them tests that the model
            // keeps the two components apart).
            for v in 0..<full.nodeCount where full.isMentioned(v) { candidates.append(v) }
            guard candidates.count >= 2 else {
                // A graph with fewer than two stated nodes (e.g. edge_probability 0) asks nothing.
                failures += 1
                if failures >= 10_000 { throw noQueries() }
                continue
            }
            namer.draw(full.nodeCount, into: &names, using: &rng)
            tasks[t].prepare(full)
            let order = spec.orders.count == 1 ? spec.orders[0] : spec.orders[rng.below(spec.orders.count)]
            premise.removeAll(keepingCapacity: true)
            renderer.appendPremise(full, names: names, order: order, into: &premise, using: &rng)
            if spec.twins {
                mainMention.removeAll(keepingCapacity: true)
                mainMention.append(contentsOf: renderer.mention)
            }
            asked.removeAll(keepingCapacity: true)
            for _ in 0..<spec.queriesPerGraph where made < job.records {
                let maxGiven = min(spec.givenSizes.upperBound, candidates.count - 2)
                let conditioned = tasks[t].shape.contains(.given)
                let k = conditioned && maxGiven >= spec.givenSizes.lowerBound
                    ? pickGivenSize(spec.givenSizes.lowerBound...maxGiven, using: &rng) : 0
                if conditioned && maxGiven < spec.givenSizes.lowerBound { break }
                let stratum = StatCounters.stratumKey(axiom: catalogIndex[t], nodes: n, given: k)
                let counts = counters.strata[stratum] ?? (0, 0)
                // Labels alternate within each stratum, starting with a label drawn per
                // (shard, stratum), so odd-sized strata do not all lean towards Yes.
                let startsYes = SeededRNG.derive(seed, UInt64(job.shard), UInt64(stratum)) & 1 == 0
                var target = startsYes ? counts.yes <= counts.no : counts.yes < counts.no
                if !drawQuery(t, givenSize: k, label: target, type: targetType(t, label: target), stratum: stratum, using: &rng) {
                    // In a controlled split every cell this graph reaches may be full for the
                    // stratum's label; the other label keeps cells balanced and the split moving.
                    guard controlMask[t] != 0 else { break }
                    target.toggle()
                    guard drawQuery(t, givenSize: k, label: target, type: targetType(t, label: target), stratum: stratum, using: &rng) else { break }
                }
                asked.append(query)
                question.removeAll(keepingCapacity: true)
                renderer.appendQuestion(query, shape: tasks[t].shape, names: names, into: &question, using: &rng)
                let key = textHash(premise, question)
                guard seen.insert(key) else { continue }
                let index = job.firstRecord + made
                let twin = spec.twins && made + 1 < job.records && findTwin(t, label: target, nodes: n)
                tasks[t].prepare(full)
                emit(task: t, label: target, stratum: stratum, nodes: n, given: k, order: order, index: index,
                     twin: twin ? index + 1 : nil, stats: &stats, counters: &counters, cueCells: &cueCells,
                     block: &block, using: &rng)
                made += 1
                if twin {
                    // The twin: the same names, listing, wording and question, one edge reversed,
                    // the opposite label; every cue value is the same (checked in findTwin).
                    swap(&full, &twinGraph)
                    swap(&premise, &twinPremise)
                    let flips = info.flips
                    info.flips = twinFlips
                    questionType = twinType
                    tasks[t].prepare(full)
                    emit(task: t, label: !target, stratum: stratum, nodes: n, given: k, order: order, index: index + 1,
                         twin: index, stats: &stats, counters: &counters, cueCells: &cueCells, block: &block, using: &rng)
                    made += 1
                    info.flips = flips
                    swap(&full, &twinGraph)
                    swap(&premise, &twinPremise)
                    tasks[t].prepare(full)
                }
                if starts.count == Self.shuffleBlock {
                    flush(&block, into: &out, using: &orderRNG)
                    if out.count >= 1 << 20 {
                        try out.withBytes(sink)
                        out.removeAll()
                    }
                }
            }
            if made > usedBefore {
                stats.graphs += 1
                failures = 0
            } else {
                failures += 1
                if failures >= 10_000 { throw noQueries() }
            }
        }
        flush(&block, into: &out, using: &orderRNG)
        if out.count > 0 { try out.withBytes(sink) }
        stats.records = made
        try checkShares()
        stats.cues = cueCells.encoded
        try checkControl(cueCells)
        counters.finish(into: &stats, orderNames: PremiseOrder.allCases.map(\.rawValue), axiomNames: TaskCatalog.names.map(\.rawValue))
        return stats
    }

    /// Counts and writes one record of the current graph, premise and question.
    private mutating func emit(
        task t: Int, label: Bool, stratum: Int, nodes n: Int, given k: Int, order: PremiseOrder, index: Int, twin: Int?,
        stats: inout ShardStats, counters: inout StatCounters, cueCells: inout CueCells, block: inout ByteBuffer,
        using rng: inout SeededRNG
    ) {
        let counts = counters.strata[stratum] ?? (0, 0)
        counters.strata[stratum] = label ? (counts.yes + 1, counts.no) : (counts.yes, counts.no + 1)
        let cell = UInt64(t) << 32 | UInt64(cueBits & controlMask[t])
        let c = cells[cell] ?? (0, 0)
        cells[cell] = label ? (c.yes + 1, c.no) : (c.yes, c.no + 1)
        typeCounts[t][questionType] += 1
        cueCells.add(spec.axioms[t].rawValue, cueBits, yes: label)
        counters.types[catalogIndex[t] << 8 | questionType, default: 0] += 1
        let hops = full.shortestPathLength(from: query.x, to: query.y, scratch: &pathScratch) ?? -1
        counters.nodes[n, default: 0] += 1
        counters.hops[hops, default: 0] += 1
        counters.given[k, default: 0] += 1
        counters.sentences[full.edges.count, default: 0] += 1
        counters.orders[PremiseOrder.allCases.firstIndex(of: order)!, default: 0] += 1
        counters.axioms[catalogIndex[t], default: 0] += 1
        if twin != nil { counters.twins += 1 }
        taskRecords[t] += 1
        nodeRecords[nodeCountsContiguous ? n - nodeCounts[0] : nodeCounts.firstIndex(of: n)!] += 1
        if tasks[t].shape.contains(.given) { givenRecords[k - spec.givenSizes.lowerBound] += 1 }
        if label { stats.yes += 1 }
        starts.append(block.count)
        writeRecord(index: index, task: t, label: label, order: order, hops: hops, nodes: n, twin: twin, into: &block, using: &rng)
    }

    /// Looks for a contrastive twin of the current question: the graph with one main-graph edge
    /// reversed — an edge touching no node the question names — that stays acyclic, flips the
    /// label (by the second algorithm, confirmed by the rule engine) and leaves every cue value
    /// as it was, with the premise re-rendered in the same order and wording. Leaves the twin in
    /// `twinGraph`, `twinPremise`, `twinType` and `twinFlips`.
    private mutating func findTwin(_ t: Int, label: Bool, nodes n: Int) -> Bool {
        let baseCues = cueBits
        func named(_ v: Int) -> Bool {
            v == query.x || v == query.y || v == query.z || query.set.contains(v) || query.given.contains(v)
        }
        var found = false
        for (i, e) in full.edges.enumerated() where e.from < n && e.to < n && !named(e.from) && !named(e.to) {
            twinGraph.reset(nodeCount: full.nodeCount)
            for (j, f) in full.edges.enumerated() {
                if j == i { twinGraph.addEdge(f.to, f.from) } else { twinGraph.addEdge(f.from, f.to) }
            }
            // Reversing a → b closes a cycle iff another directed path a ⇝ b exists.
            twinGraph.topologicalOrder(into: &twinOrder, scratch: &twinScratch)
            guard twinOrder.count == twinGraph.nodeCount else { continue }
            tasks[t].prepare(twinGraph)
            let twinLabel = tasks[t].check(query)
            guard twinLabel != label else { continue }
            twinPremise.removeAll(keepingCapacity: true)
            renderer.appendPremiseAgain(twinGraph, names: names, into: &twinPremise)
            let bits = tasks[t].cues(query, mention: renderer.mention)
            guard bits == baseCues, seen.insert(textHash(twinPremise, question)) else { continue }
            precondition(tasks[t].answer(query) == twinLabel, "rule engine and second algorithm disagree on the twin of \(query); this is a bug in axiomc")
            twinType = tasks[t].questionType(query, label: twinLabel)
            // A chain edge i → i+1 counts as a flip when reversed, and back.
            twinFlips = info.flips + (info.isChain ? (e.to == e.from + 1 ? 1 : -1) : 0)
            found = true
            break
        }
        // The rest of the graph's questions read the original's mention ranks.
        renderer.restoreMention(mainMention)
        return found
    }

    /// A node count: half the time the one with the fewest records so far (from a random
    /// start), else uniform — so sizes that give fewer questions still get their share.
    private func pickNodeCount(using rng: inout SeededRNG) -> Int {
        let count = nodeCounts.count
        let uniform = rng.below(count)
        guard count > 1, rng.below(2) == 0 else { return nodeCounts[uniform] }
        var best = uniform
        for i in 1..<count {
            let v = (uniform + i) % count
            if nodeRecords[v] < nodeRecords[best] { best = v }
        }
        return nodeCounts[best]
    }

    /// Three times in four, the conditioning-set size with the fewest records among those the
    /// graph allows (ties from a random start): small graphs cannot take large sets, so they
    /// take the small ones that large graphs left short.
    private func pickGivenSize(_ feasible: ClosedRange<Int>, using rng: inout SeededRNG) -> Int {
        let count = feasible.count
        let start = rng.below(count)
        // A quarter of the draws stay uniform, so a size that can never give the label its
        // stratum needs is not chosen forever (the share check reports it instead).
        guard rng.below(4) != 0 else { return feasible.lowerBound + start }
        let base = spec.givenSizes.lowerBound
        var best = feasible.lowerBound + start
        for i in 1..<max(1, count) {
            let v = feasible.lowerBound + (start + i) % count
            if givenRecords[v - base] < givenRecords[best - base] { best = v }
        }
        return best
    }

    /// Every requested stratum (task, node count, |Z|) within 10% of its share (+2 records of
    /// slack for small shards), or a located error: a split must not silently miss what it asks.
    private func checkShares() throws {
        let made = taskRecords.reduce(0, +)
        guard made >= 200 else { return }
        func within(_ got: Int, _ expected: Double) -> Bool { abs(Double(got) - expected) <= 0.1 * expected + 2 }
        for (t, got) in taskRecords.enumerated() where !within(got, Double(made) / Double(tasks.count)) {
            throw GenerationError(split: spec.name, line: spec.line, column: spec.column, message:
                "task '\(spec.axioms[t])' got \(got) of \(made) records, not its share of 1/\(tasks.count)")
        }
        for (i, got) in nodeRecords.enumerated() where !within(got, Double(made) / Double(nodeRecords.count)) {
            throw GenerationError(split: spec.name, line: spec.line, column: spec.column, message:
                "graphs of \(nodeCounts[i]) nodes got \(got) of \(made) records, not their share of 1/\(nodeRecords.count) "
                + "(they cannot give the asked labels, types or conditioning sets often enough): narrow 'nodes' or change the split")
        }
        let conditioned = zip(spec.axioms, tasks).filter { $0.1.shape.contains(.given) }.map(\.0)
        let asked = conditioned.reduce(0) { sum, a in sum + taskRecords[spec.axioms.firstIndex(of: a)!] }
        guard spec.givenSizes.count > 1, asked >= 200 else { return }
        for (i, got) in givenRecords.enumerated() where !within(got, Double(asked) / Double(givenRecords.count)) {
            throw GenerationError(split: spec.name, line: spec.line, column: spec.column, message:
                "conditioning sets of size \(spec.givenSizes.lowerBound + i) got \(got) of \(asked) records, not their share of 1/\(givenRecords.count): "
                + "narrow 'given_size' or use larger graphs")
        }
    }

    /// Records per shuffled block of file order.
    static let shuffleBlock = 1024

    /// Appends the block's records to `out` in a random order and empties the block.
    private mutating func flush(_ block: inout ByteBuffer, into out: inout ByteBuffer, using rng: inout SeededRNG) {
        let n = starts.count
        guard n > 0 else { return }
        permutation.removeAll(keepingCapacity: true)
        for i in 0..<n { permutation.append(i) }
        rng.shuffle(&permutation)
        let end = block.count
        block.withBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            for i in permutation {
                let stop = i + 1 < n ? starts[i + 1] : end
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[starts[i]..<stop]))
            }
        }
        block.removeAll()
        starts.removeAll(keepingCapacity: true)
    }

    private func noQueries() -> GenerationError {
        GenerationError(split: spec.name, line: spec.line, column: spec.column, message:
            "10000 graphs in a row gave no usable query: the split asks for labels or conditioning sets these graphs cannot provide")
    }

    /// The main graph, plus a disconnected distractor chain when the split asks for one.
    private mutating func makeGraph(nodes n: Int, using rng: inout SeededRNG) {
        GraphGenerator.generate(spec.family, nodes: n, into: &main, info: &info, scratch: &scratch, using: &rng)
        let d = spec.distractors
        full.reset(nodeCount: n + d)
        guard d > 0 else {
            for e in main.edges { full.addEdge(e.from, e.to) }
            return
        }
        GraphGenerator.generate(.flippedChain(flipProbability: 0.5), nodes: d, into: &distractor, info: &distractorInfo, scratch: &scratch, using: &rng)
        // Interleave the two edge lists at random, keeping each one's own order.
        var i = 0, j = 0
        let a = main.edges, b = distractor.edges
        while i < a.count || j < b.count {
            let takeMain = j == b.count || (i < a.count && rng.below(a.count - i + b.count - j) < a.count - i)
            if takeMain { full.addEdge(a[i].from, a[i].to); i += 1 } else { full.addEdge(n + b[j].from, n + b[j].to); j += 1 }
        }
    }

    /// The question type of label `label` to draw next: the one furthest below its share of the
    /// recipe's mix (-1 when the split has no mix).
    private func targetType(_ t: Int, label: Bool) -> Int {
        let weights = typeWeights[t]
        guard !weights.isEmpty else { return -1 }
        let labels = tasks[t].typeLabels
        var total = 0.0, made = 0
        for i in weights.indices where labels[i] == label {
            total += weights[i]
            made += typeCounts[t][i]
        }
        var best = -1, bestDeficit = -Double.infinity
        for i in weights.indices where labels[i] == label && weights[i] > 0 {
            let deficit = weights[i] / total * Double(made + 1) - Double(typeCounts[t][i])
            if deficit > bestDeficit { best = i; bestDeficit = deficit }
        }
        return best
    }

    /// Draws a question of task `t` with the wanted label (and type, unless -1) among the
    /// mentioned main-graph nodes, by rejection, into `query`; false when 64 draws found none.
    /// The wanted type is preferred for 32 draws, then any type of weight above 0 is taken.
    /// In a controlled split a question is kept only if its cell (task and controlled cue values)
    /// does not already hold more of this label than of the other.
    private mutating func drawQuery(_ t: Int, givenSize k: Int, label: Bool, type wanted: Int, stratum: Int, using rng: inout SeededRNG) -> Bool {
        for attempt in 0..<64 {
            tasks[t].draw(from: candidates, givenSize: k, into: &query, scratch: &pick, using: &rng)
            // Candidates are screened with the fast second algorithm; the label of the one kept
            // is then derived by the rule engine, and the two must agree.
            let screened = tasks[t].check(query)
            guard screened == label else { continue }
            if asked.contains(query) { continue }
            questionType = tasks[t].questionType(query, label: label)
            // The wanted type first; after 32 draws any type the mix asks for (a type the graphs
            // cannot give must not stall the split).
            if wanted >= 0 && questionType != wanted && (attempt < 32 || typeWeights[t][questionType] == 0) { continue }
            cueBits = tasks[t].cues(query, mention: renderer.mention)
            if controlMask[t] != 0 {
                let c = cells[UInt64(t) << 32 | UInt64(cueBits & controlMask[t])] ?? (0, 0)
                if label ? c.yes > c.no : c.no > c.yes { continue }
            }
            let derived = tasks[t].answer(query)
            precondition(derived == screened, "rule engine and second algorithm disagree on \(query) in \(full.edges); this is a bug in axiomc")
            return true
        }
        return false
    }

    /// A controlled cue still above the split's `max_cue` after controlled sampling cannot be
    /// balanced in this split: a located error rather than a corpus that fails `check`.
    private func checkControl(_ cueCells: CueCells) throws {
        guard let limit = spec.maxCue, !spec.controlledCues.isEmpty, cueCells.total >= 200 else { return }
        let accuracies = cueCells.cueAccuracies()
        for name in spec.controlledCues {
            if let a = accuracies[name], a > limit + 0.02 {
                throw GenerationError(split: spec.name, line: spec.line, column: spec.column, message:
                    "controlled cue '\(name)' cannot be balanced in this split (it still predicts \(Int((a * 100).rounded()))% of labels); "
                    + "remove it from 'control' and raise 'max_cue', or change the split's graphs or question types")
            }
        }
    }

    private func textHash(_ a: [UInt8], _ b: [UInt8]) -> UInt64 {
        // 0xFF never occurs in UTF-8, so it separates the two texts unambiguously.
        var h = FNV1a()
        h.combine(a)
        h.combine(0xFF)
        h.combine(b)
        return h.value
    }

    private mutating func writeRecord(
        index: Int, task t: Int, label: Bool, order: PremiseOrder, hops: Int, nodes n: Int, twin: Int?,
        into out: inout ByteBuffer, using rng: inout SeededRNG
    ) {
        // Text first, in a fixed order whatever the layout (the draws decide the wording).
        if spec.prompt {
            prompt.removeAll(keepingCapacity: true)
            renderer.appendPrompt(premise: premise[...], hypothesis: question[...], into: &prompt, using: &rng)
        }
        if spec.explanations {
            explanation.removeAll(keepingCapacity: true)
            tasks[t].prove(query, into: &proof)
            tasks[t].explain(query, proof: proof, into: &steps)
            renderer.appendExplanation(steps, graph: full, names: names, into: &explanation, using: &rng)
        }
        let format = spec.format
        if format != .records { fillLayoutText(label: label) }
        if format == .rl {
            JSONBytes.appendRaw("{\"data_source\":", to: &out)
            JSONBytes.appendString(dataSourceBytes, to: &out)
            JSONBytes.appendRaw(",\"prompt\":[{\"role\":\"user\",\"content\":", to: &out)
            JSONBytes.appendString(userText, to: &out)
            JSONBytes.appendRaw("}],\"ability\":\"causal-reasoning\",\"reward_model\":{\"style\":\"rule\",\"ground_truth\":", to: &out)
            JSONBytes.appendString(grammar.answer(label), to: &out)
            JSONBytes.appendRaw("},\"extra_info\":{\"id\":\"", to: &out)
        } else {
            JSONBytes.appendRaw("{\"id\":\"", to: &out)
        }
        out.append(contentsOf: splitBytes)
        out.append(0x2D)
        JSONBytes.appendInt(index, minDigits: 9, to: &out)
        JSONBytes.appendRaw("\",\"split\":", to: &out)
        JSONBytes.appendString(splitBytes, to: &out)
        JSONBytes.appendRaw(",\"axiom\":", to: &out)
        JSONBytes.appendString(axiomBytes[t], to: &out)
        if format == .rl {
            JSONBytes.appendRaw(",\"index\":", to: &out)
            JSONBytes.appendInt(index, to: &out)
        }
        JSONBytes.appendRaw(",\"premise\":", to: &out)
        JSONBytes.appendString(premise, to: &out)
        JSONBytes.appendRaw(",\"hypothesis\":", to: &out)
        JSONBytes.appendString(question, to: &out)
        if format != .rl {
            JSONBytes.appendRaw(",\"label\":", to: &out)
            JSONBytes.appendString(grammar.answer(label), to: &out)
        }
        // Chat records carry the prompt only as the user message: with a `prompt` column too,
        // TRL would take them for prompt/completion data and train on the bare label.
        if spec.prompt && format != .rl && format != .chat {
            JSONBytes.appendRaw(",\"prompt\":", to: &out)
            JSONBytes.appendString(prompt, to: &out)
        }
        if format == .completion {
            JSONBytes.appendRaw(",\"completion\":", to: &out)
            JSONBytes.appendString(answerText, to: &out)
        } else if spec.prompt && format != .rl && format != .chat {
            JSONBytes.appendRaw(",\"completion\":", to: &out)
            JSONBytes.appendString(grammar.answer(label), to: &out)
        }
        if spec.explanations {
            JSONBytes.appendRaw(",\"explanation\":", to: &out)
            JSONBytes.appendString(explanation, to: &out)
        }
        if format == .chat {
            JSONBytes.appendRaw(",\"messages\":[{\"role\":\"user\",\"content\":", to: &out)
            JSONBytes.appendString(userText, to: &out)
            JSONBytes.appendRaw("},{\"role\":\"assistant\",\"content\":", to: &out)
            JSONBytes.appendString(answerText, to: &out)
            JSONBytes.appendRaw("}]", to: &out)
        }
        JSONBytes.appendRaw(",\"graph\":{\"nodes\":[", to: &out)
        for (i, name) in names.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONBytes.appendString(name, to: &out)
        }
        JSONBytes.appendRaw("],\"edges\":[", to: &out)
        for (i, e) in full.edges.enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(0x5B)
            JSONBytes.appendInt(e.from, to: &out)
            out.append(0x2C)
            JSONBytes.appendInt(e.to, to: &out)
            out.append(0x5D)
        }
        JSONBytes.appendRaw("]},\"query\":{\"x\":", to: &out)
        JSONBytes.appendInt(query.x, to: &out)
        JSONBytes.appendRaw(",\"y\":", to: &out)
        JSONBytes.appendInt(query.y, to: &out)
        let shape = tasks[t].shape
        if spec.recordsNode {
            JSONBytes.appendRaw(",\"z\":", to: &out)
            if shape.contains(.node) { JSONBytes.appendInt(query.z, to: &out) } else { JSONBytes.appendRaw("null", to: &out) }
        }
        if spec.recordsSet {
            JSONBytes.appendRaw(",\"set\":", to: &out)
            if shape.contains(.set) {
                out.append(0x5B)
                for (i, v) in query.set.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    JSONBytes.appendInt(v, to: &out)
                }
                out.append(0x5D)
            } else {
                JSONBytes.appendRaw("null", to: &out)
            }
        }
        JSONBytes.appendRaw(",\"given\":[", to: &out)
        for (i, z) in query.given.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONBytes.appendInt(z, to: &out)
        }
        JSONBytes.appendRaw("]},\"meta\":{\"family\":", to: &out)
        JSONBytes.appendString(familyBytes, to: &out)
        JSONBytes.appendRaw(",\"nodes\":", to: &out)
        JSONBytes.appendInt(n, to: &out)
        JSONBytes.appendRaw(",\"edges\":", to: &out)
        JSONBytes.appendInt(main.edges.count, to: &out)
        JSONBytes.appendRaw(",\"hops\":", to: &out)
        if hops < 0 { JSONBytes.appendRaw("null", to: &out) } else { JSONBytes.appendInt(hops, to: &out) }
        JSONBytes.appendRaw(",\"flips\":", to: &out)
        JSONBytes.appendInt(info.flips, to: &out)
        JSONBytes.appendRaw(",\"branching\":", to: &out)
        if case let .branching(b, _, _) = spec.family {
            JSONBytes.appendInt(Int((b * 100).rounded()) / 100, to: &out)
            out.append(0x2E)
            JSONBytes.appendInt(Int((b * 100).rounded()) % 100, minDigits: 2, to: &out)
        } else {
            JSONBytes.appendRaw("null", to: &out)
        }
        var longest = 0
        for v in 0..<n { longest = max(longest, names[v].count) }
        JSONBytes.appendRaw(",\"name_length\":", to: &out)
        JSONBytes.appendInt(longest, to: &out)
        JSONBytes.appendRaw(",\"order\":", to: &out)
        JSONBytes.appendString(orderBytes[PremiseOrder.allCases.firstIndex(of: order)!], to: &out)
        JSONBytes.appendRaw(",\"given_size\":", to: &out)
        JSONBytes.appendInt(query.given.count, to: &out)
        JSONBytes.appendRaw(",\"distractors\":", to: &out)
        JSONBytes.appendInt(spec.distractors, to: &out)
        JSONBytes.appendRaw(",\"direction\":", to: &out)
        if !info.isChain {
            JSONBytes.appendRaw("null", to: &out)
        } else {
            // Chain nodes are numbered from the start of the chain.
            JSONBytes.appendRaw(query.x < query.y ? "\"forward\"" : "\"backward\"", to: &out)
        }
        JSONBytes.appendRaw(",\"twin\":", to: &out)
        if let twin {
            out.append(0x22)
            out.append(contentsOf: splitBytes)
            out.append(0x2D)
            JSONBytes.appendInt(twin, minDigits: 9, to: &out)
            out.append(0x22)
        } else {
            JSONBytes.appendRaw("null", to: &out)
        }
        JSONBytes.appendRaw(",\"type\":", to: &out)
        JSONBytes.appendString(typeNameBytes[t][questionType], to: &out)
        JSONBytes.appendRaw(",\"cues\":[", to: &out)
        var first = true
        for (i, name) in cueNameBytes[t].enumerated() where cueBits & (1 << UInt32(i)) != 0 {
            if !first { out.append(0x2C) }
            first = false
            JSONBytes.appendString(name, to: &out)
        }
        out.append(0x5D)
        JSONBytes.appendRaw(spec.format == .rl ? "}}}\n" : "}}\n", to: &out)
    }

    /// The user message (the prompt, else premise and question) and the assistant's text (the
    /// explanation, if any, then `Answer: <label>`) of the chat, completion and rl layouts.
    private mutating func fillLayoutText(label: Bool) {
        userText.removeAll(keepingCapacity: true)
        if spec.prompt {
            userText.append(contentsOf: prompt)
        } else {
            userText.append(contentsOf: premise)
            userText.append(0x20)
            userText.append(contentsOf: question)
        }
        answerText.removeAll(keepingCapacity: true)
        if spec.explanations {
            answerText.append(contentsOf: explanation)
            answerText.append(0x0A)
        }
        answerText.append(contentsOf: RecordFormat.answerPrefix.utf8)
        answerText.append(contentsOf: grammar.answer(label))
    }
}

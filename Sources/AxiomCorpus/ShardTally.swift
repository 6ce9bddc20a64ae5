import AxiomCore
import AxiomGrammar
import AxiomRecords

/// A shard's statistics as it is generated: the histograms of `ShardStats`, cue cells, and the
/// records each task, node count and |Z| got — from which it picks the node count and |Z| that
/// are short, and checks that every share was met.
struct ShardTally {
    let spec: SplitSpec
    /// Per split task: catalog position, number of question types, whether it asks with a
    /// conditioning set.
    private let catalogIndex: [Int]
    private let conditioned: [Bool]
    private let typeCount: [Int]
    /// `spec.nodeCounts`, and whether they run without gaps (then a count's slot is n - first).
    private let nodeCounts: [Int]
    private let nodeCountsContiguous: Bool
    private(set) var cueCells = CueCells()
    /// The text baseline's counts over the shard's fitted records (training splits).
    var text = TextProbe()
    /// Records so far per task, per (task, type), per node count and per |Z| (offsets from the
    /// range's start).
    private(set) var taskRecords: [Int] = []
    private(set) var typeRecords: [[Int]] = []
    private var nodeRecords: [Int] = []
    /// Per node count: graphs in a row that gave no record.
    private var nodeFailures: [Int] = []
    private var givenRecords: [Int] = []
    private var yes = 0
    private var nodes: [Int: Int] = [:]
    private var hops: [Int: Int] = [:]
    private var given: [Int: Int] = [:]
    private var sentences: [Int: Int] = [:]
    private var orders: [Int: Int] = [:]
    private var axioms: [Int: Int] = [:]
    /// Keyed by catalog index << 8 | question type.
    private var types: [Int: Int] = [:]
    /// Records written with a contrastive twin (each pair counts twice).
    private var twins = 0

    init(spec: SplitSpec, tasks: [any CausalTask]) {
        self.spec = spec
        catalogIndex = spec.axioms.map { TaskCatalog.index(of: $0)! }
        conditioned = tasks.map { $0.shape.contains(.given) }
        typeCount = tasks.map(\.typeNames.count)
        nodeCounts = spec.nodeCounts
        nodeCountsContiguous = spec.nodeCounts.last! - spec.nodeCounts[0] + 1 == spec.nodeCounts.count
        reset()
    }

    mutating func reset() {
        cueCells = CueCells()
        text = TextProbe()
        taskRecords = [Int](repeating: 0, count: catalogIndex.count)
        typeRecords = typeCount.map { [Int](repeating: 0, count: $0) }
        nodeRecords = [Int](repeating: 0, count: nodeCounts.count)
        nodeFailures = [Int](repeating: 0, count: nodeCounts.count)
        givenRecords = [Int](repeating: 0, count: spec.givenSizes.count)
        yes = 0
        nodes = [:]
        hops = [:]
        given = [:]
        sentences = [:]
        orders = [:]
        axioms = [:]
        types = [:]
        twins = 0
    }

    var records: Int { taskRecords.reduce(0, +) }

    /// The task furthest below its share so far (`tasks:` weights as asked, not as the graphs
    /// happen to give them); with equal shares, the one with the fewest records.
    func nextTask() -> Int {
        var t = 0
        guard spec.taskWeights != nil else {
            for i in taskRecords.indices where taskRecords[i] < taskRecords[t] { t = i }
            return t
        }
        let next = Double(records + 1)
        var best = -Double.infinity
        for i in taskRecords.indices {
            let deficit = spec.taskShare(i) * next - Double(taskRecords[i])
            if deficit > best {
                best = deficit
                t = i
            }
        }
        return t
    }

    /// Counts one written record.
    mutating func count(
        task t: Int,
        type: Int,
        cues: UInt32,
        label: Bool,
        nodes n: Int,
        given k: Int,
        hops h: Int,
        sentences: Int,
        order: Int,
        twinned: Bool
    ) {
        typeRecords[t][type] += 1
        cueCells.add(spec.axioms[t].rawValue, cues, yes: label)
        types[catalogIndex[t] << 8 | type, default: 0] += 1
        nodes[n, default: 0] += 1
        hops[h, default: 0] += 1
        given[k, default: 0] += 1
        self.sentences[sentences, default: 0] += 1
        orders[order, default: 0] += 1
        axioms[catalogIndex[t], default: 0] += 1
        if twinned { twins += 1 }
        taskRecords[t] += 1
        nodeRecords[nodeCountsContiguous ? n - nodeCounts[0] : nodeCounts.firstIndex(of: n)!] += 1
        if conditioned[t] { givenRecords[k - spec.givenSizes.lowerBound] += 1 }
        if label { yes += 1 }
    }

    /// A node count: half the time one with the fewest records so far, else uniform among those
    /// within a few records of the fewest — so sizes that give fewer questions still get their
    /// share, and shares stay tight when a graph gives several records (twins, several
    /// questions). A count whose last 200 graphs gave nothing is left to the share check.
    func pickNodeCount(using rng: inout SeededRNG) -> Int {
        let count = nodeCounts.count
        guard count > 1 else { return nodeCounts[0] }
        func live(_ i: Int) -> Bool { nodeFailures[i] < Self.givenUp }
        guard let least = nodeRecords.indices.filter(live).map({ nodeRecords[$0] }).min() else {
            return nodeCounts[rng.below(count)]
        }
        // Half the time the fewest (ties uniform), else any within the window.
        let window = rng.below(2) == 0 ? 0 : 4 * spec.queriesPerGraph
        var open = 0
        for i in 0..<count where live(i) && nodeRecords[i] <= least + window { open += 1 }
        var pick = rng.below(open)
        for i in 0..<count where live(i) && nodeRecords[i] <= least + window {
            if pick == 0 { return nodeCounts[i] }
            pick -= 1
        }
        preconditionFailure("unreachable")
    }

    /// Graphs in a row without a record after which a node count is no longer favoured.
    static let givenUp = 200

    /// Notes whether a graph of `n` nodes gave any record.
    mutating func noteGraph(nodes n: Int, produced: Bool) {
        let i = nodeCountsContiguous ? n - nodeCounts[0] : nodeCounts.firstIndex(of: n)!
        nodeFailures[i] = produced ? 0 : nodeFailures[i] + 1
    }

    /// Three times in four, the conditioning-set size with the fewest records among those the
    /// graph allows (ties from a random start): small graphs cannot take large sets, so they
    /// take the small ones that large graphs left short.
    func pickGivenSize(_ feasible: ClosedRange<Int>, using rng: inout SeededRNG) -> Int {
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
    func checkShares() throws {
        let made = records
        guard made >= 200 else { return }
        func within(_ got: Int, _ expected: Double) -> Bool { abs(Double(got) - expected) <= 0.1 * expected + 2 }
        for (t, got) in taskRecords.enumerated() where !within(got, Double(made) * spec.taskShare(t)) {
            let share = spec.taskWeights == nil ? "1/\(taskRecords.count)" : Self.percent(spec.taskShare(t))
            throw spec.generationError(
                "task '\(spec.axioms[t])' got \(got) of \(made) records, not its share of \(share)"
            )
        }
        for (i, got) in nodeRecords.enumerated() where !within(got, Double(made) / Double(nodeRecords.count)) {
            throw spec.generationError(
                "graphs of \(nodeCounts[i]) nodes got \(got) of \(made) records, not their share of 1/\(nodeRecords.count) "
                    + "(they cannot give the asked labels, types or conditioning sets often enough): narrow 'nodes' or change the split"
            )
        }
        try checkTypeShares()
        let asked = taskRecords.indices.filter { conditioned[$0] }.reduce(0) { $0 + taskRecords[$1] }
        guard spec.givenSizes.count > 1, asked >= 200 else { return }
        for (i, got) in givenRecords.enumerated() where !within(got, Double(asked) / Double(givenRecords.count)) {
            throw spec.generationError(
                "conditioning sets of size \(spec.givenSizes.lowerBound + i) got \(got) of \(asked) records, not their share of 1/\(givenRecords.count): "
                    + "narrow 'given_size' or use larger graphs"
            )
        }
    }

    /// Every question type the mix asks for (`question_types:`) within 10% of its share of its
    /// label's records (+2 records of slack), or a located error naming the type and the share it
    /// reached: a mix the graphs cannot give is never silently replaced by another.
    func checkTypeShares() throws {
        guard !spec.typeMix.isEmpty else { return }
        let tasks = TaskCatalog.all()
        for (t, made) in typeRecords.enumerated() where taskRecords[t] >= 200 {
            let task = tasks[catalogIndex[t]]
            let weights = task.typeNames.map { spec.typeMix[$0] ?? 0 }
            for label in [true, false] {
                let same = task.typeLabels.indices.filter { task.typeLabels[$0] == label && weights[$0] > 0 }
                let total = same.reduce(0.0) { $0 + weights[$1] }
                let records = task.typeLabels.indices.filter { task.typeLabels[$0] == label }.reduce(0) {
                    $0 + made[$1]
                }
                for i in same {
                    let expected = Double(records) * weights[i] / total
                    guard abs(Double(made[i]) - expected) > 0.1 * expected + 2 else { continue }
                    let reached = records == 0 ? 0 : Double(made[i]) / Double(records)
                    throw spec.generationError(
                        "question type '\(task.typeNames[i])' of task '\(task.axiom)' got \(made[i]) of \(records) "
                            + "\(label ? "Yes" : "No") records (\(Self.percent(reached))), not its share of "
                            + "\(Self.percent(weights[i] / total)) in 'question_types': these graphs cannot give it that often; "
                            + "change the mix or the split's graphs"
                    )
                }
            }
        }
    }

    static func percent(_ share: Double) -> String { "\(Double(Int((share * 1000).rounded())) / 10)%" }

    /// A controlled cue still above the split's `max_cue` after controlled sampling cannot be
    /// balanced in this split: a located error rather than a corpus that fails `check`.
    func checkControl() throws {
        guard let limit = spec.maxCue, !spec.controlledCues.isEmpty, cueCells.total >= 200 else { return }
        let accuracies = cueCells.without(spec.uncontrolledTasks.map(\.rawValue)).cueAccuracies()
        for name in spec.controlledCues {
            if let a = accuracies[name], a > limit + 0.02 {
                throw spec.generationError(
                    "controlled cue '\(name)' cannot be balanced in this split (it still predicts \(Int((a * 100).rounded()))% of labels); "
                        + "remove it from 'control' and raise 'max_cue', or change the split's graphs or question types"
                )
            }
        }
    }

    /// The shard's statistics, with the balancer's label counts per stratum.
    func finish(into stats: inout ShardStats, strata: [Stratum: (yes: Int, no: Int)]) {
        let axiomNames = TaskCatalog.names.map(\.rawValue)
        let orderNames = PremiseOrder.allCases.map(\.rawValue)
        stats.records = records
        stats.yes = yes
        stats.cues = cueCells.encoded
        if !text.isEmpty { stats.text = text.counts }
        for (stratum, v) in strata { stats.strata[stratum.name(axiomNames: axiomNames)] = [v.yes, v.no] }
        func h(_ d: [Int: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: d.map { ($0.key < 0 ? "null" : String($0.key), $0.value) })
        }
        stats.histograms["nodes"] = h(nodes)
        stats.histograms["hops"] = h(hops)
        stats.histograms["given_size"] = h(given)
        stats.histograms["premise_sentences"] = h(sentences)
        stats.histograms["order"] = Dictionary(uniqueKeysWithValues: orders.map { (orderNames[$0.key], $0.value) })
        if twins > 0 { stats.histograms["twinned"] = ["records": twins] }
        stats.histograms["axiom"] = Dictionary(uniqueKeysWithValues: axioms.map { (axiomNames[$0.key], $0.value) })
        let tasks = TaskCatalog.all()
        stats.histograms["type"] = Dictionary(
            uniqueKeysWithValues: types.map {
                ("\(axiomNames[$0.key >> 8])/\(tasks[$0.key >> 8].typeNames[$0.key & 0xFF])", $0.value)
            }
        )
    }
}

extension SplitSpec {
    /// A generation error located at this split in the recipe.
    func generationError(_ message: String) -> GenerationError {
        GenerationError(file: recipeFile, split: name, line: line, column: column, message: message)
    }
}

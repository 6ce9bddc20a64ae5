import AxiomCore
import AxiomGrammar
import AxiomRecords

/// The graph of one premise: the family's main graph, plus a disconnected distractor chain when
/// the split asks for one, and the nodes a question may name. Storage is reused across graphs.
struct GraphAssembly {
    private(set) var main = CausalGraph()
    /// The main graph and the distractor chain (its nodes after the main graph's).
    var full = CausalGraph()
    var info = GraphInfo()
    /// The nodes the premise mentions (distractor nodes too: a question about them tests that
    /// the model keeps the two components apart).
    private(set) var candidates: [Int] = []
    private var distractor = CausalGraph()
    private var distractorInfo = GraphInfo()
    private var scratch: [Int] = []

    /// `allMentioned`: every node is a candidate (a statistical premise names them all).
    mutating func assemble(
        _ family: GraphFamily,
        nodes n: Int,
        distractors d: Int,
        allMentioned: Bool = false,
        using rng: inout SeededRNG
    ) {
        GraphGenerator.generate(family, nodes: n, into: &main, info: &info, scratch: &scratch, using: &rng)
        full.reset(nodeCount: n + d)
        if d == 0 {
            for e in main.edges { full.addEdge(e.from, e.to) }
        } else {
            GraphGenerator.generate(
                .flippedChain(flipProbability: 0.5),
                nodes: d,
                into: &distractor,
                info: &distractorInfo,
                scratch: &scratch,
                using: &rng
            )
            // Interleave the two edge lists at random, keeping each one's own order.
            var i = 0
            var j = 0
            let a = main.edges
            let b = distractor.edges
            while i < a.count || j < b.count {
                let takeMain = j == b.count || (i < a.count && rng.below(a.count - i + b.count - j) < a.count - i)
                if takeMain {
                    full.addEdge(a[i].from, a[i].to)
                    i += 1
                } else {
                    full.addEdge(n + b[j].from, n + b[j].to)
                    j += 1
                }
            }
        }
        candidates.removeAll(keepingCapacity: true)
        for v in 0..<full.nodeCount where allMentioned || full.isMentioned(v) { candidates.append(v) }
    }
}

/// Contrastive twins: the current graph with one main-graph edge reversed — an edge touching no
/// node the question names — that stays acyclic, flips the label (by the second algorithm,
/// confirmed by the rule engine) and leaves every cue value as it was, with the premise
/// re-rendered in the same order and wording.
struct TwinFinder {
    /// The twin found last: its graph, premise, question type and chain flips.
    var graph = CausalGraph()
    var premise: [UInt8] = []
    fileprivate(set) var type = 0
    /// The twin's cue bits.
    fileprivate(set) var cues: UInt32 = 0
    fileprivate(set) var flips = 0
    /// The original premise's mention ranks (the rest of the graph's questions read them).
    var mainMention: [Int] = []
    /// A model twin's tables (`findModelTwin`).
    var model: CausalModel? = nil
    fileprivate var order: [Int] = []
    fileprivate var scratch: [Int] = []
    fileprivate var pathScratch: [UInt64] = []

    /// Tables drawn per question before it is given up as without a model twin.
    static let modelTwinTries = 64

    /// Looks for a model twin of `query` (label `label`, cue bits `cues`) on `main`'s graph: new
    /// tables that flip the label and keep every cue value (the association's sign among them),
    /// rendered with the main premise's draws (`premiseRNG`), so the two premises differ only in
    /// their numbers. On success the twin is in `model`, `premise`, `type` and `cues`. `task` is
    /// left prepared on the last tables drawn: the caller prepares it again.
    mutating func findModelTwin(
        _ query: Query,
        label: Bool,
        cues: UInt32,
        task: inout any CausalTask,
        main: CausalModel,
        names: [[UInt8]],
        order: PremiseOrder,
        premiseRNG: SeededRNG,
        question: [UInt8],
        renderer: inout Renderer,
        seen: inout FingerprintSet,
        using rng: inout SeededRNG
    ) -> Bool {
        for _ in 0..<Self.modelTwinTries {
            let candidate = main.redrawn(using: &rng)
            task.prepare(candidate)
            guard task.check(query) != label else { continue }
            let bits = task.recordCues(query, mention: mainMention, graph: main.graph)
            guard bits == cues else { continue }
            precondition(
                task.answer(query) != label,
                "rule engine and second algorithm disagree on \(query); this is a bug in axiomc"
            )
            premise.removeAll(keepingCapacity: true)
            var draws = premiseRNG
            renderer.appendModel(candidate, names: names, order: order, into: &premise, using: &draws)
            guard seen.insert(ShardGenerator.textHash(premise, question)) else { continue }
            model = candidate
            type = task.questionType(query, label: !label)
            self.cues = bits
            flips = 0
            return true
        }
        return false
    }

    /// Looks for a twin of `query` (label `label`, cue bits `cues`) on `full`; on success the
    /// twin is in `graph`, `premise`, `type` and `flips`. `task` is left prepared on some graph:
    /// the caller prepares it again.
    mutating func find(
        _ query: Query,
        label: Bool,
        cues: UInt32,
        task: inout any CausalTask,
        full: CausalGraph,
        nodes n: Int,
        info: GraphInfo,
        names: [[UInt8]],
        question: [UInt8],
        renderer: inout Renderer,
        seen: inout FingerprintSet
    ) -> Bool {
        func named(_ v: Int) -> Bool { Self.names(query, v) }
        var found = false
        for (i, e) in full.edges.enumerated() where e.from < n && e.to < n && !named(e.from) && !named(e.to) {
            graph.reset(nodeCount: full.nodeCount)
            for (j, f) in full.edges.enumerated() {
                if j == i { graph.addEdge(f.to, f.from) } else { graph.addEdge(f.from, f.to) }
            }
            // Reversing a → b closes a cycle iff another directed path a ⇝ b exists.
            graph.topologicalOrder(into: &order, scratch: &scratch)
            guard order.count == graph.nodeCount else { continue }
            task.prepare(graph)
            let twinLabel = task.check(query)
            guard twinLabel != label else { continue }
            premise.removeAll(keepingCapacity: true)
            renderer.appendPremiseAgain(graph, names: names, into: &premise)
            let bits = task.recordCues(query, mention: renderer.mention, graph: graph)
            guard bits == cues, seen.insert(ShardGenerator.textHash(premise, question)) else { continue }
            precondition(
                task.answer(query) == twinLabel,
                "rule engine and second algorithm disagree on the twin of \(query); this is a bug in axiomc"
            )
            type = task.questionType(query, label: twinLabel)
            self.cues = bits
            // A chain edge i → i+1 counts as a flip when reversed, and back.
            flips = info.flips + (info.isChain ? (e.to == e.from + 1 ? 1 : -1) : 0)
            found = true
            break
        }
        renderer.restoreMention(mainMention)
        return found
    }
}

extension TwinFinder {
    /// What a skeleton twin must satisfy beside flipping the label: its cue bits and question
    /// type are admitted (the label controller's cells, the type mix).
    typealias Admission = (_ cues: UInt32, _ type: Int) -> Bool

    /// Looks for a skeleton twin of `query` (`TwinMode.all`): the same skeleton, names, sentences
    /// and question with edge directions changed so that the label flips. Candidates, nearest
    /// first: one reversed edge (edges away from the question's nodes first), the reversal of a
    /// shortest directed path between x and y, then `orientations` fresh acyclic orientations of
    /// the skeleton. The first admitted candidate of type `preferred` wins; else the first
    /// admitted one, unless `onlyPreferred` (the mix needs that type). On success the twin is in
    /// `graph`, `premise`, `type` and `flips`; `task` is left prepared on some graph: the caller
    /// prepares it again.
    mutating func findSkeletonTwin(
        _ query: Query,
        label: Bool,
        preferred: Int,
        onlyPreferred: Bool,
        task: inout any CausalTask,
        full: CausalGraph,
        nodes n: Int,
        info: GraphInfo,
        names: [[UInt8]],
        question: [UInt8],
        renderer: inout Renderer,
        seen: inout FingerprintSet,
        orientations: Int = 12,
        using rng: inout SeededRNG,
        admits: Admission
    ) -> Bool {
        var best: Candidate? = nil
        // Tries the candidate in `graph`; true when it is admitted with the preferred type.
        // `reversed`: the edge a → b reversed alone (a cycle iff a still reaches b); nil: any
        // other candidate, acyclic unless `checkCycle`.
        func tryCandidate(reversed: CausalGraph.Edge? = nil, checkCycle: Bool = false) -> Bool {
            if let e = reversed {
                guard graph.shortestPathLength(from: e.from, to: e.to, scratch: &pathScratch) == nil else {
                    return false
                }
            } else if checkCycle {
                graph.topologicalOrder(into: &order, scratch: &scratch)
                guard order.count == graph.nodeCount else { return false }
            }
            task.prepare(graph)
            let twinLabel = task.check(query)
            guard twinLabel != label else { return false }
            let candidateType = task.questionType(query, label: twinLabel)
            if (best != nil || onlyPreferred) && candidateType != preferred { return false }
            premise.removeAll(keepingCapacity: true)
            renderer.appendPremiseAgain(graph, names: names, into: &premise)
            let bits = task.recordCues(query, mention: renderer.mention, graph: graph)
            let hash = ShardGenerator.textHash(premise, question)
            guard admits(bits, candidateType), !seen.contains(hash) else { return false }
            precondition(
                task.answer(query) == twinLabel,
                "rule engine and second algorithm disagree on the twin of \(query); this is a bug in axiomc"
            )
            best = (graph, premise, candidateType, bits, hash)
            return candidateType == preferred || preferred < 0
        }
        func named(_ v: Int) -> Bool { Self.names(query, v) }
        let edges = full.edges
        var done = false
        // One reversed edge: first those away from the question's nodes, then the rest.
        for pass in 0..<2 where !done {
            for i in edges.indices where !done && (named(edges[i].from) || named(edges[i].to)) == (pass == 1) {
                reorient(full) { j, e in j == i ? (e.to, e.from) : (e.from, e.to) }
                done = tryCandidate(reversed: edges[i])
            }
        }
        // A shortest directed path between x and y, reversed (a reverse path becomes a chain).
        for (a, b) in [(query.x, query.y), (query.y, query.x)] where !done && a != b {
            guard let path = full.shortestDirectedPath(from: a, to: b), path.count > 2 else { continue }
            reorient(full) { _, e in
                var onPath = false
                for k in 1..<path.count where path[k - 1] == e.from && path[k] == e.to { onPath = true }
                return onPath ? (e.to, e.from) : (e.from, e.to)
            }
            done = tryCandidate(checkCycle: true)
        }
        // Fresh orientations: a random order of the nodes, every edge pointing forwards in it.
        var rank = [Int](0..<full.nodeCount)
        for _ in 0..<orientations where !done {
            rng.shuffle(&rank)
            reorient(full) { _, e in rank[e.from] < rank[e.to] ? (e.from, e.to) : (e.to, e.from) }
            done = tryCandidate()
        }
        renderer.restoreMention(mainMention)
        guard let best else { return false }
        adopt(best, seen: &seen, info: info, nodes: n)
        return true
    }

    /// A twin candidate: its graph, premise, question type, cue bits and text hash.
    typealias Candidate = (graph: CausalGraph, premise: [UInt8], type: Int, cues: UInt32, hash: UInt64)

    /// Makes `best` the twin: its text taken, its graph, premise, type and cues kept, and (for a
    /// chain) its flips counted: the edges pointing from a later node to an earlier one.
    private mutating func adopt(_ best: Candidate, seen: inout FingerprintSet, info: GraphInfo, nodes n: Int) {
        _ = seen.insert(best.hash)
        graph = best.graph
        premise = best.premise
        type = best.type
        cues = best.cues
        flips = info.isChain ? graph.edges.filter { $0.from < n && $0.to < n && $0.from > $0.to }.count : info.flips
    }

    /// Sets `graph` to `full` with each edge (in place, keeping the premise's edge order)
    /// replaced by `direction(index, edge)`.
    private mutating func reorient(_ full: CausalGraph, _ direction: (Int, CausalGraph.Edge) -> (Int, Int)) {
        graph.reset(nodeCount: full.nodeCount)
        for (j, e) in full.edges.enumerated() {
            let (a, b) = direction(j, e)
            graph.addEdge(a, b)
        }
    }
}

extension TwinFinder {
    /// Whether `query` names node `v` (x, y, z, the set or the conditioning set): twins reverse
    /// edges away from these first.
    static func names(_ query: Query, _ v: Int) -> Bool {
        v == query.x || v == query.y || v == query.z || query.set.contains(v) || query.given.contains(v)
    }
}

/// File order: records are written in blocks of `size`, each block shuffled, so file order
/// carries no label pattern (the balancer alternates labels) and a graph's questions are not
/// neighbours.
struct FileOrder: ~Copyable {
    static let size = 1024
    private(set) var block = ByteBuffer(capacity: 1 << 20)
    private var starts: [Int] = []
    private var permutation: [Int] = []

    /// At least `size` records (a question and its twin arrive together, so a block may hold one
    /// more).
    var isFull: Bool { starts.count >= Self.size }

    /// Appends one record, written by `write`, to the block.
    mutating func add(_ write: (inout ByteBuffer) -> Void) {
        starts.append(block.count)
        write(&block)
    }

    /// Appends the block's records to `out` in a random order and empties the block.
    mutating func flush(into out: inout ByteBuffer, using rng: inout SeededRNG) {
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
}

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
    private(set) var type = 0
    private(set) var flips = 0
    /// The original premise's mention ranks (the rest of the graph's questions read them).
    var mainMention: [Int] = []
    private var order: [Int] = []
    private var scratch: [Int] = []

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
        func named(_ v: Int) -> Bool {
            v == query.x || v == query.y || v == query.z || query.set.contains(v) || query.given.contains(v)
        }
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
            let bits = task.cues(query, mention: renderer.mention)
            guard bits == cues, seen.insert(ShardGenerator.textHash(premise, question)) else { continue }
            precondition(
                task.answer(query) == twinLabel,
                "rule engine and second algorithm disagree on the twin of \(query); this is a bug in axiomc"
            )
            type = task.questionType(query, label: twinLabel)
            // A chain edge i → i+1 counts as a flip when reversed, and back.
            flips = info.flips + (info.isChain ? (e.to == e.from + 1 ? 1 : -1) : 0)
            found = true
            break
        }
        renderer.restoreMention(mainMention)
        return found
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

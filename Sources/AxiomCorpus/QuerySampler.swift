import AxiomCore

/// Draws labelled questions of a split's tasks on a prepared graph: rejection sampling towards a
/// wanted label and question type, every candidate screened by the second algorithm and the one
/// kept confirmed by the rule engine. `ShardGenerator` and `axiomc sample` both draw with it.
public struct QuerySampler {
    /// One value per task of the split, in the split's order.
    public internal(set) var tasks: [any CausalTask]
    /// Per task: the weight of each question type (empty: as the graphs give them).
    let typeWeights: [[Double]]
    /// The question last drawn, its type (an index into the task's `typeNames`) and cue bits.
    public internal(set) var query: Query
    public internal(set) var questionType = 0
    public internal(set) var cueBits: UInt32 = 0
    /// Questions already asked about the current graph (never asked twice).
    var asked: [Query] = []
    /// The graph the tasks were last prepared on (its skeleton cues).
    private(set) var graph = CausalGraph()
    private var pick: [Int] = []

    /// - Parameter typeMix: question-type weights by type name (empty: the natural mix).
    public init(axioms: [Axiom], typeMix: [String: Double] = [:]) {
        tasks = axioms.map { TaskCatalog.task($0)! }
        typeWeights = tasks.map { task in typeMix.isEmpty ? [] : task.typeNames.map { typeMix[$0] ?? 0 } }
        query = Query(axioms[0], 0, 0)
    }

    /// Loads `graph` into task `t` and forgets the questions asked about the previous graph.
    public mutating func prepare(_ t: Int, _ graph: CausalGraph, newGraph: Bool = true) {
        tasks[t].prepare(graph)
        self.graph = graph
        if newGraph { asked.removeAll(keepingCapacity: true) }
    }

    /// Loads a causal model into task `t` (a task whose premise states one) and forgets the
    /// questions asked about the previous graph.
    public mutating func prepare(_ t: Int, _ model: CausalModel, newGraph: Bool = true) {
        tasks[t].prepare(model)
        graph = model.graph
        if newGraph { asked.removeAll(keepingCapacity: true) }
    }

    /// The rule engine's proof of the question last drawn, and its explanation steps (`search`:
    /// the task's label-neutral search instead, and `proof` is left as it was).
    public mutating func prove(
        _ t: Int,
        into proof: inout Proof,
        steps: inout Explanation,
        style: ExplanationStyle = .proof
    ) {
        if style == .search {
            tasks[t].explainSearch(query, into: &steps)
            return
        }
        tasks[t].prove(query, into: &proof)
        tasks[t].explain(query, proof: proof, into: &steps)
    }

    /// The question type of label `label` to draw next: the one furthest below its share of the
    /// mix given the records so far per type (`made`); -1 when the split has no mix.
    func targetType(_ t: Int, label: Bool, made counts: [Int]) -> Int {
        let weights = typeWeights[t]
        guard !weights.isEmpty else { return -1 }
        let labels = tasks[t].typeLabels
        var total = 0.0
        var made = 0
        for i in weights.indices where labels[i] == label {
            total += weights[i]
            made += counts[i]
        }
        var best = -1
        var bestDeficit = -Double.infinity
        for i in weights.indices where labels[i] == label && weights[i] > 0 {
            let deficit = weights[i] / total * Double(made + 1) - Double(counts[i])
            if deficit > bestDeficit {
                best = i
                bestDeficit = deficit
            }
        }
        return best
    }

    /// Whether question type `type` of task `t` is more than 5% (+1 record) below its share of
    /// its label's records so far (`made` per type): then only that type will do.
    func isBehind(_ t: Int, type: Int, made counts: [Int]) -> Bool {
        let weights = typeWeights[t]
        guard type >= 0, !weights.isEmpty else { return false }
        let labels = tasks[t].typeLabels
        var total = 0.0
        var made = 0
        for i in weights.indices where labels[i] == labels[type] {
            total += weights[i]
            made += counts[i]
        }
        return Double(counts[type]) < 0.95 * weights[type] / total * Double(made) - 1
    }

    /// Draws a question of task `t` with the wanted label (and type, unless -1) among
    /// `candidates`, by rejection, into `query`; false when 64 draws found none. The wanted type
    /// is preferred for 32 draws, then any type of weight above 0 is taken. A question is kept
    /// only if `admits(cueBits, isWanted)` (the label controller's verdict on its cell; the flag:
    /// the question is of the wanted type, or no type was wanted).
    public mutating func draw(
        _ t: Int,
        from candidates: [Int],
        givenSize k: Int,
        label: Bool,
        type wanted: Int,
        mention: [Int],
        using rng: inout SeededRNG,
        admits: (UInt32, Bool) -> Bool = { _, _ in true }
    ) -> Bool {
        for attempt in 0..<64 {
            tasks[t].draw(from: candidates, givenSize: k, type: wanted, into: &query, scratch: &pick, using: &rng)
            // Candidates are screened with the fast second algorithm; the label of the one kept
            // is then derived by the rule engine, and the two must agree.
            let screened = tasks[t].check(query)
            guard screened == label else { continue }
            if asked.contains(query) { continue }
            questionType = tasks[t].questionType(query, label: label)
            // The wanted type first; after 32 draws any type the mix asks for (a type the graphs
            // cannot give must not stall the split).
            if wanted >= 0 && questionType != wanted && (attempt < 32 || typeWeights[t][questionType] == 0) { continue }
            cueBits = tasks[t].recordCues(query, mention: mention, graph: graph)
            if !admits(cueBits, wanted < 0 || questionType == wanted) { continue }
            let derived = tasks[t].answer(query)
            precondition(
                derived == screened,
                "rule engine and second algorithm disagree on \(query); this is a bug in axiomc"
            )
            asked.append(query)
            return true
        }
        return false
    }
}

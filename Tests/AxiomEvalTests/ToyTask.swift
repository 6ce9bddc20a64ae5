import AxiomCore

// A task that lives outside AxiomCore, written the way docs/adding-a-task.md says: this file
// (rules, second algorithm, proof, explanation and its replay, cues, types, draw), its grammar
// blocks (Tests/Fixtures/toy-task/toy.xml) and its tests (ToyTaskTests.swift). Nothing in
// Sources names it; `TaskCatalog.adding([DirectCause()])` stands for the catalog line.
//
// A toy: "is x a direct cause of y?" is read off one premise sentence, so its own `edge-xy` cue is
// its label — a corpus of it is one perfect shortcut, which is why its recipe is uncontrolled. It
// proves the plumbing, not a reasoning skill. Its shape has no conditioning set, so `draw` asks
// `drawPair` for none; it keeps the default question form (x and y) and overrides the types.

extension Axiom {
    static let directCause = Axiom("direct-cause")
}

extension Proof.Kind {
    /// Direct cause, Yes: `nodes` is [x, y], the stated edge x → y.
    static let statedEdge = Proof.Kind("stated-edge")
    /// Direct cause, No: `nodes` is [x, y]; no sentence states x → y.
    static let noStatedEdge = Proof.Kind("no-stated-edge")
}

/// "Is x a direct cause of y?": Yes iff the premise states x → y.
struct DirectCause: CausalTask {
    // Predicates of `program`.
    static let edge = 0
    static let source = 1
    static let child = 2

    /// `source(a), edge(a, b) ⊢ child(b)`: anchored at the asked x, one run labels every y.
    static let program: RuleProgram = try! RuleProgram(
        predicates: [Predicate("edge", arity: 2), Predicate("source", arity: 1), Predicate("child", arity: 1)],
        rules: [Rule("direct", [Atom(source, 0), Atom(edge, 0, 1)], Atom(child, 1))]
    )

    var axiom: Axiom { .directCause }
    var summary: String { "Is x a direct cause of y? Yes iff the premise states that x causes y." }
    var shape: QuestionShape { [] }
    var program: RuleProgram { Self.program }
    var explanationForms: [ExplanationForm] {
        ExplanationForm.borrowed(["quote"], from: [Transitivity()]) + [
            ExplanationForm("direct-yes", slots: ["x", "y"]),
            ExplanationForm("direct-no", slots: ["x", "y"]),
        ]
    }
    var askExamples: [String] { ["A direct cause of B"] }
    var cueNames: [String] { Cues.pairNames }
    var typeNames: [String] { ["yes-edge", "no-reversed", "no-not-adjacent"] }
    var typeLabels: [Bool] { [true, false, false] }

    private var engine = RuleEngine(program: DirectCause.program)
    private var graph = CausalGraph()
    private var derivedFrom: Int?

    init() {}

    mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        derivedFrom = nil
    }

    private mutating func derive(from x: Int) {
        if derivedFrom == x { return }
        engine.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { engine.state(Self.edge, e.from, e.to) }
        engine.state(Self.source, x)
        engine.run()
        derivedFrom = x
    }

    mutating func answer(_ query: Query) -> Bool {
        guard query.x != query.y else { return false }
        derive(from: query.x)
        return engine.holds(Self.child, query.y)
    }

    /// Reads the adjacency bit row: shares nothing with the rules.
    mutating func check(_ query: Query) -> Bool { query.x != query.y && graph.hasEdge(query.x, query.y) }

    mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        proof.kind = answer(query) ? .statedEdge : .noStatedEdge
        proof.nodes.append(contentsOf: [query.x, query.y])
    }

    /// Yes: the quoted sentence, then the conclusion. No: one step saying no sentence states it.
    func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        if proof.kind == .statedEdge {
            e.add("quote", x: query.x, y: query.y, a: query.x, b: query.y)
            e.add("direct-yes", x: query.x, y: query.y)
        } else {
            e.add("direct-no", x: query.x, y: query.y)
        }
    }

    func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        let (x, y) = (replay.query.x, replay.query.y)
        replay.checkEnds(last)
        switch last.kind {
        case "direct-yes":
            replay.conclude(true)
            if !replay.quotes(steps.dropLast(), in: "a direct-cause explanation").contains(replay.edge(x, y)) {
                replay.fail(last, "no earlier step quotes that \(replay.name(x)) causes \(replay.name(y))")
            }
        case "direct-no":
            replay.conclude(false)
            replay.expectOneStep(steps)
            if replay.graph.hasEdge(x, y) {
                replay.fail(last, "the premise states that \(replay.name(x)) causes \(replay.name(y))")
            }
        default:
            replay.fail(last, "a direct-cause explanation cannot end with a '\(last.kind)' step")
        }
    }

    mutating func describe(_ query: Query, names: [String]) -> String {
        let (x, y) = (names[query.x], names[query.y])
        return answer(query)
            ? "Yes: \(x) is a direct cause of \(y).\nProof: the premise states that \(x) causes \(y).\n"
            : "No: \(x) is not a direct cause of \(y).\nProof: no sentence of the premise states that \(x) causes \(y).\n"
    }

    func cues(_ query: Query, mention: [Int]) -> UInt32 { Cues.pair(query.x, query.y, graph: graph, mention: mention) }

    mutating func questionType(_ query: Query, label: Bool) -> Int {
        label ? 0 : graph.hasEdge(query.y, query.x) ? 1 : 2
    }

    /// Half the draws take a stated edge, in its direction or reversed; the rest any pair.
    func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        drawPair(from: candidates, givenSize: 0, into: &query, scratch: &scratch, using: &rng)
        guard rng.chance(0.5) else { return }
        scratch.removeAll(keepingCapacity: true)
        for (i, e) in graph.edges.enumerated() where candidates.contains(e.from) && candidates.contains(e.to) {
            scratch.append(i)
        }
        guard !scratch.isEmpty else { return }
        let e = graph.edges[scratch[rng.below(scratch.count)]]
        (query.x, query.y) = rng.chance(0.5) ? (e.from, e.to) : (e.to, e.from)
    }

    /// "A direct cause of B".
    func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        let w = words.map { $0.lowercased() }
        guard w.count == 5, w[1] == "direct", w[2] == "cause", w[3] == "of" else { return nil }
        return Query(.directCause, try lookup(words[0]), try lookup(words[4]))
    }
}

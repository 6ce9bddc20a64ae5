extension Axiom {
    public static let dSeparation = Axiom("d-separation")
}

extension Proof.Kind {
    /// D-separation, No: `nodes` is an active trail x … y given Z.
    public static let activeTrail = Proof.Kind("active-trail")
    /// D-separation, Yes: `nodes` are all nodes an active trail from x reaches (not y).
    public static let allTrailsBlocked = Proof.Kind("all-trails-blocked")
}

/// "Are x and y d-separated given Z?": Yes iff no trail between them is active given Z.
public struct DSeparation: CausalTask {
    // Predicates of `program` (0 is `edge`).
    public static let edge = 0
    public static let given = 1
    public static let free = 2
    public static let observedDescendant = 3
    public static let trailUp = 4
    public static let trailDown = 5

    /// Active-trail rules (Koller & Friedman's "reachable", as rules). `trailUp(v)`: an active
    /// trail from x reaches v, entering from a child of v (or v = x); `trailDown(v)`: entering
    /// from a parent. `free(v)`: v ∉ Z; `observedDescendant(v)`: v or a descendant of v is in Z.
    public static let program: RuleProgram = try! RuleProgram(
        predicates: [
            Predicate("edge", arity: 2), Predicate("given", arity: 1), Predicate("free", arity: 1),
            Predicate("observed-descendant", arity: 1), Predicate("trail-up", arity: 1),
            Predicate("trail-down", arity: 1),
        ],
        rules: [
            Rule("observed", [Atom(given, 0)], Atom(observedDescendant, 0)),
            Rule("observed-ancestor", [Atom(edge, 0, 1), Atom(observedDescendant, 1)], Atom(observedDescendant, 0)),
            // Chain or fork, moving against an edge: v unobserved, continue to its parent.
            Rule("up-to-parent", [Atom(trailUp, 0), Atom(free, 0), Atom(edge, 1, 0)], Atom(trailUp, 1)),
            // Fork at v: entered from a child, v unobserved, leave to another child.
            Rule("fork", [Atom(trailUp, 0), Atom(free, 0), Atom(edge, 0, 1)], Atom(trailDown, 1)),
            // Chain along edges: v unobserved, continue to its child.
            Rule("chain", [Atom(trailDown, 0), Atom(free, 0), Atom(edge, 0, 1)], Atom(trailDown, 1)),
            // Collider at v with v or a descendant observed: turn up to another parent.
            Rule("collider", [Atom(trailDown, 0), Atom(observedDescendant, 0), Atom(edge, 1, 0)], Atom(trailUp, 1)),
        ]
    )

    public var axiom: Axiom { .dSeparation }
    public var summary: String { "Are x and y d-separated given Z? Yes iff every trail between them is blocked by Z." }
    public var shape: QuestionShape { [.given, .symmetric] }
    public var program: RuleProgram { Self.program }
    /// No: `trail` (an active trail), one reason per interior node (`trail-chain`, `trail-fork`,
    /// `trail-collider-self`, `trail-collider-desc` naming the descendant in Z), `trail-active`.
    /// Yes: the reachable search from x (`ds-start`, then per entered node `ds-pass`,
    /// `ds-stop-given`, `ds-stop-chain`, `ds-open-self`, `ds-open-desc`, `ds-closed`), then
    /// `ds-never`; or `ds-isolated` when x has no neighbour.
    public var explanationForms: [ExplanationForm] {
        let zx = ["x", "y", "z"]
        let zab = ["a", "b", "z"]
        return [
            ExplanationForm("trail", slots: ["x", "y", "trail"], conditioned: ["x", "y", "z", "trail"]),
            ExplanationForm("trail-chain", slots: ["b"], conditioned: ["b", "z"]),
            ExplanationForm("trail-fork", slots: ["b"], conditioned: ["b", "z"]),
            ExplanationForm("trail-collider-self", slots: ["b", "z"]),
            ExplanationForm("trail-collider-desc", slots: ["b", "c", "z"]),
            ExplanationForm("trail-active", slots: ["x", "y"], conditioned: zx),
            ExplanationForm("ds-start", slots: ["x", "list"], conditioned: ["x", "z", "list"]),
            ExplanationForm("ds-isolated", slots: ["x", "y"], conditioned: zx),
            ExplanationForm("ds-pass", slots: ["a", "b", "list"], conditioned: zab + ["list"]),
            ExplanationForm("ds-stop-given", slots: zab),
            ExplanationForm("ds-stop-chain", slots: zab),
            ExplanationForm("ds-open-self", slots: zab + ["list"]),
            ExplanationForm("ds-open-desc", slots: zab + ["c", "list"]),
            ExplanationForm("ds-closed", slots: ["a", "b", "list"], conditioned: zab + ["list"]),
            ExplanationForm("ds-never", slots: ["x", "y"], conditioned: zx),
        ]
    }
    /// The reachable search from x (`ds-start`, …), then `ds-never` or `ds-reached`.
    public var searchForms: [ExplanationForm] {
        explanationForms.filter { $0.kind.hasPrefix("ds-") } + [
            ExplanationForm("ds-reached", slots: ["x", "y"], conditioned: ["x", "y", "z"])
        ]
    }
    public var askExamples: [String] { ["A and B d-separated", "A and B d-separated given C, D"] }
    public var cueNames: [String] { Cues.pairNames + Cues.givenNames }
    public var typeNames: [String] {
        ["adjacent", "open-chain-or-fork", "open-collider", "blocked-chain-or-fork", "blocked-collider"]
    }
    public var typeLabels: [Bool] { [false, false, false, true, true] }

    private var engine = RuleEngine(program: DSeparation.program)
    private var oracles = Oracles()
    private var graph = CausalGraph()
    private var last: (x: Int, given: [Int])? = nil
    private var mark: [Bool] = []

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        last = nil
    }

    private mutating func derive(from x: Int, given: [Int]) {
        if let last, last.x == x, last.given == given { return }
        Self.deriveTrails(&engine, in: graph, from: x, given: given, mark: &mark)
        last = (x, given)
    }

    /// Runs `engine` (on `program`) to the fixpoint of the active trails from `x` given `given`
    /// in `graph`, leaving out the edges out of `cutFrom` (-1: none; backdoor paths are trails
    /// in the graph without x's outgoing edges). `mark` is reusable scratch.
    static func deriveTrails(
        _ engine: inout RuleEngine,
        in graph: CausalGraph,
        from x: Int,
        given: [Int],
        cutFrom: Int = -1,
        mark: inout [Bool]
    ) {
        let n = graph.nodeCount
        engine.begin(nodeCount: n)
        for e in graph.edges where e.from != cutFrom { engine.state(edge, e.from, e.to) }
        if mark.count != n { mark = Array(repeating: false, count: n) }
        for z in given { mark[z] = true }
        for v in 0..<n {
            if mark[v] { engine.state(Self.given, v) } else { engine.state(free, v) }
        }
        for z in given { mark[z] = false }
        engine.state(trailUp, x)
        engine.run()
    }

    private func reached(_ v: Int) -> Bool {
        engine.holds(Self.trailUp, v) || engine.holds(Self.trailDown, v)
    }

    public mutating func answer(_ query: Query) -> Bool {
        derive(from: query.x, given: query.given)
        return !reached(query.y)
    }

    public mutating func check(_ query: Query) -> Bool {
        oracles.dSeparated(graph, query.x, query.y, given: query.given)
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        if !answer(query) {
            proof.kind = .activeTrail
            var f = engine.holds(Self.trailUp, query.y) ? Fact(Self.trailUp, query.y) : Fact(Self.trailDown, query.y)
            // Every trail rule keeps the trail fact it extends as premise 0.
            while true {
                proof.nodes.append(f.a)
                guard let previous = engine.premise(0, of: f) else { break }
                f = previous
            }
            proof.nodes.reverse()
            if Set(proof.nodes).count != proof.nodes.count {
                proof.nodes = Trails.simplify(proof.nodes, in: graph, given: query.given)
            }
        } else {
            proof.kind = .allTrailsBlocked
            for v in 0..<graph.nodeCount where v != query.x && reached(v) { proof.nodes.append(v) }
        }
    }

    /// No: the proof's active trail with the reason each interior node lets it pass. Yes: the
    /// reachable (Bayes-ball) search from x, entered node by entered node, with where and why it
    /// stops, until it has nowhere new to go.
    ///
    /// - Complexity: O(nodes + edges); at most 2 steps per (node, direction) state, so at most
    ///   4 · nodes + 2 steps, and each listed node is a neighbour of the step's node.
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let conditioned = !query.given.isEmpty
        let trail = proof.kind == .activeTrail ? proof.nodes : []
        guard let given = Self.addTrailSteps(query.x, query.y, given: query.given, trail: trail, in: graph, into: &e)
        else {
            e.add("ds-isolated", conditioned: conditioned, x: query.x, y: query.y, given: e.pool(query.given))
            return
        }
        e.add(
            trail.isEmpty ? "ds-never" : "trail-active",
            conditioned: conditioned,
            x: query.x,
            y: query.y,
            given: given
        )
    }

    /// The reachable search from x given the conditioning set, run to the end whatever y is,
    /// then whether it entered y (`ds-reached`) or not (`ds-never`); `ds-isolated` when x has
    /// no neighbour.
    ///
    /// - Complexity: O(nodes + edges) search states, each listing its neighbours.
    public func explainSearch(_ query: Query, into e: inout Explanation) {
        e.removeAll()
        let (x, y) = (query.x, query.y)
        let conditioned = !query.given.isEmpty
        guard let given = Self.addTrailSteps(x, y, given: query.given, trail: [], in: graph, into: &e) else {
            e.add("ds-isolated", conditioned: conditioned, x: x, y: y, given: e.pool(query.given))
            return
        }
        let reached = e.marks[2 * y] >= 0 || e.marks[2 * y + 1] >= 0
        e.add(reached ? "ds-reached" : "ds-never", conditioned: conditioned, x: x, y: y, given: given)
    }

    /// The steps of a d-separation explanation before its conclusion: with a `trail`, the trail
    /// and the reason each interior node lets it pass; without, the reachable search from x.
    /// `cutFrom` (-1: none) leaves out the edges out of that node (backdoor paths). Returns the
    /// pooled conditioning set, or nil when x has no neighbour (no step added).
    public static func addTrailSteps(
        _ x: Int,
        _ y: Int,
        given z: some Collection<Int>,
        trail proofTrail: [Int],
        in graph: CausalGraph,
        cutFrom cut: Int = -1,
        into e: inout Explanation
    ) -> Range<Int>? {
        let conditioned = !z.isEmpty
        let given = e.pool(z)
        markGivenDescendants(z, in: graph, cutFrom: cut, into: &e)
        let step = SearchStep(x: x, y: y, conditioned: conditioned, given: given, cut: cut, n: graph.nodeCount)
        if !proofTrail.isEmpty {
            addTrailReasons(proofTrail, step, in: graph, into: &e)
            return given
        }
        guard startSearch(step, in: graph, into: &e) else { return nil }
        var head = 0
        while head < e.scratch.count {
            let s = e.scratch[head]
            head += 1
            if s & 1 == 0 {
                enterFromChild(s, step, in: graph, into: &e)
            } else {
                enterFromParent(s, step, in: graph, into: &e)
            }
        }
        return given
    }

    /// What every step of one d-separation search shares.
    private struct SearchStep {
        let x: Int, y: Int
        let conditioned: Bool
        let given: Range<Int>
        /// The node whose outgoing edges are left out (-1: none).
        let cut: Int
        let n: Int
    }

    /// marks[2n + v]: a node of Z that is v or v's nearest descendant in Z (-1: none), by a
    /// breadth-first search up from Z; marks[2v + d] (-1) are left for the search: the node state
    /// (v, d) was entered from.
    private static func markGivenDescendants(
        _ z: some Collection<Int>,
        in graph: CausalGraph,
        cutFrom cut: Int,
        into e: inout Explanation
    ) {
        let n = graph.nodeCount
        e.resetMarks(3 * n)
        e.scratch.removeAll(keepingCapacity: true)
        for v in z {
            e.marks[2 * n + v] = v
            e.scratch.append(v)
        }
        var head = 0
        while head < e.scratch.count {
            let u = e.scratch[head]
            head += 1
            graph.forEachParent(of: u) { p in
                if p != cut && e.marks[2 * n + p] < 0 {
                    e.marks[2 * n + p] = e.marks[2 * n + u]
                    e.scratch.append(p)
                }
            }
        }
    }

    /// The trail, then the reason each interior node lets it pass.
    private static func addTrailReasons(
        _ proofTrail: [Int],
        _ s: SearchStep,
        in graph: CausalGraph,
        into e: inout Explanation
    ) {
        let (x, y, n, given) = (s.x, s.y, s.n, s.given)
        let trail = e.pool(proofTrail)
        e.add("trail", conditioned: s.conditioned, x: x, y: y, given: given, trail: trail)
        for i in (trail.lowerBound + 1)..<max(trail.lowerBound + 1, trail.upperBound - 1) {
            let p = e.nodes[i - 1]
            let v = e.nodes[i]
            let q = e.nodes[i + 1]
            if graph.hasEdge(p, v) && graph.hasEdge(q, v) {
                let d = e.marks[2 * n + v]
                if d == v {
                    e.add("trail-collider-self", conditioned: true, x: x, y: y, b: v, given: given)
                } else {
                    e.add("trail-collider-desc", conditioned: true, x: x, y: y, b: v, c: d, given: given)
                }
            } else {
                let fork = graph.hasEdge(v, p) && graph.hasEdge(v, q)
                e.add(fork ? "trail-fork" : "trail-chain", conditioned: s.conditioned, x: x, y: y, b: v, given: given)
            }
        }
    }

    /// The search's first step: x's neighbours (its children only when x is not cut), as states
    /// (v, 0): entered from a child (or the start), (v, 1): entered from a parent. False when x
    /// has none (no step added).
    private static func startSearch(_ s: SearchStep, in graph: CausalGraph, into e: inout Explanation) -> Bool {
        let x = s.x
        e.scratch.removeAll(keepingCapacity: true)
        let start = e.nodes.count
        graph.forEachParent(of: x) { p in
            e.marks[2 * p] = x
            e.scratch.append(2 * p)
            e.nodes.append(p)
        }
        if x != s.cut {
            graph.forEachChild(of: x) { c in
                e.marks[2 * c + 1] = x
                e.scratch.append(2 * c + 1)
                e.nodes.append(c)
            }
        }
        guard e.nodes.count > start else { return false }
        e.marks[2 * x] = x
        e.add("ds-start", conditioned: s.conditioned, x: x, y: s.y, given: s.given, set: start..<e.nodes.count)
        return true
    }

    /// State (v, 0), entered from the child u: stopped when v ∈ Z, else on to every other
    /// neighbour.
    private static func enterFromChild(_ state: Int, _ s: SearchStep, in graph: CausalGraph, into e: inout Explanation)
    {
        let (x, y, n, cut, given) = (s.x, s.y, s.n, s.cut, s.given)
        let v = state >> 1
        let u = e.marks[state]
        if e.marks[2 * n + v] == v {
            e.add("ds-stop-given", conditioned: true, x: x, y: y, a: v, b: u, given: given)
            return
        }
        let list = e.nodes.count
        graph.forEachParent(of: v) { p in
            guard p != u, p != cut else { return }
            e.nodes.append(p)
            if e.marks[2 * p] < 0 {
                e.marks[2 * p] = v
                e.scratch.append(2 * p)
            }
        }
        if v != cut { passDown(from: v, except: u, in: graph, into: &e) }
        if e.nodes.count > list { addPass(s, at: v, from: u, list: list, into: &e) }
    }

    /// Lists v's children (all but `except`) in the pool and queues each not yet entered from a
    /// parent, as entered from v.
    private static func passDown(from v: Int, except: Int, in graph: CausalGraph, into e: inout Explanation) {
        graph.forEachChild(of: v) { c in
            guard c != except else { return }
            e.nodes.append(c)
            if e.marks[2 * c + 1] < 0 {
                e.marks[2 * c + 1] = v
                e.scratch.append(2 * c + 1)
            }
        }
    }

    /// The `ds-pass` step at v, entered from u, to the nodes listed since `list`.
    private static func addPass(_ s: SearchStep, at v: Int, from u: Int, list: Int, into e: inout Explanation) {
        e.add(
            "ds-pass",
            conditioned: s.conditioned,
            x: s.x,
            y: s.y,
            a: v,
            b: u,
            given: s.given,
            set: list..<e.nodes.count
        )
    }

    /// State (v, 1), entered from the parent u: on to the children unless v ∈ Z (a chain node),
    /// and to the other parents only if v or a descendant is in Z (a collider).
    private static func enterFromParent(_ state: Int, _ s: SearchStep, in graph: CausalGraph, into e: inout Explanation)
    {
        let (x, y, n, cut, given) = (s.x, s.y, s.n, s.cut, s.given)
        let v = state >> 1
        let u = e.marks[state]
        let inZ = e.marks[2 * n + v] == v
        if v != cut && graph.outDegree(of: v) > 0 {
            if inZ {
                e.add("ds-stop-chain", conditioned: true, x: x, y: y, a: v, b: u, given: given)
            } else {
                let list = e.nodes.count
                passDown(from: v, except: -1, in: graph, into: &e)
                addPass(s, at: v, from: u, list: list, into: &e)
            }
        }
        let list = e.nodes.count
        let witness = e.marks[2 * n + v]
        graph.forEachParent(of: v) { p in
            guard p != u, p != cut else { return }
            e.nodes.append(p)
            if witness >= 0 && e.marks[2 * p] < 0 {
                e.marks[2 * p] = v
                e.scratch.append(2 * p)
            }
        }
        guard e.nodes.count > list else { return }
        let others = list..<e.nodes.count
        if witness < 0 {
            e.add("ds-closed", conditioned: s.conditioned, x: x, y: y, a: v, b: u, given: given, set: others)
        } else if inZ {
            e.add("ds-open-self", conditioned: true, x: x, y: y, a: v, b: u, given: given, set: others)
        } else {
            e.add("ds-open-desc", conditioned: true, x: x, y: y, a: v, b: u, c: witness, given: given, set: others)
        }
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        let y = names[query.y]
        let set = "{" + query.given.map { names[$0] }.joined(separator: ", ") + "}"
        var out = ""
        if proof.kind == .activeTrail {
            out += "No: \(x) and \(y) are not d-separated given \(set).\n"
            var trail = names[proof.nodes[0]]
            for i in 1..<proof.nodes.count {
                trail += graph.hasEdge(proof.nodes[i - 1], proof.nodes[i]) ? " -> " : " <- "
                trail += names[proof.nodes[i]]
            }
            out += "Active trail: \(trail)\n"
            for i in 1..<max(1, proof.nodes.count - 1) {
                let (a, v, b) = (proof.nodes[i - 1], proof.nodes[i], proof.nodes[i + 1])
                let name = names[v]
                if graph.hasEdge(a, v) && graph.hasEdge(b, v) {
                    out += "  \(name) is a collider; it or a descendant is in \(set), so the trail passes\n"
                } else {
                    let kind = graph.hasEdge(v, a) && graph.hasEdge(v, b) ? "a fork" : "a chain node"
                    out += "  \(name) is \(kind), not in \(set), so the trail passes\n"
                }
            }
        } else {
            out += "Yes: \(x) and \(y) are d-separated given \(set).\n"
            let reached = proof.nodes.filter { !query.given.contains($0) }.map { names[$0] }
            out +=
                "Proof: active trails from \(x) reach only {\(reached.joined(separator: ", "))}; \(y) is not among them, so every trail between them is blocked.\n"
        }
        return out
    }

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        Cues.pair(query.x, query.y, graph: graph, mention: mention)
            | Cues.given(query.x, query.y, query.given, graph: graph, mention: mention, offset: Cues.pairNames.count)
    }

    /// No: adjacent; open-chain-or-fork (an active trail without a collider); open-collider
    /// (every active trail passes a collider Z opens). Yes: blocked-chain-or-fork (a trail
    /// without a collider exists, so Z blocks it at a chain or fork node); blocked-collider
    /// (only trails through colliders, or none).
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        if !label {
            if graph.adjacent(query.x, query.y) { return 0 }
            return graph.hasColliderFreeTrail(query.x, query.y, avoiding: query.given) ? 1 : 2
        }
        return graph.hasColliderFreeTrail(query.x, query.y, avoiding: []) ? 3 : 4
    }

    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        guard words.count >= 4, words[1].lowercased() == "and", words[3].lowercased() == "d-separated" else {
            return nil
        }
        let x = try lookup(words[0])
        let y = try lookup(words[2])
        guard x != y else { throw SyntaxError("ask about two different nodes") }
        var given: [Int] = []
        if words.count > 4 {
            guard words[4].lowercased() == "given", words.count > 5 else {
                throw SyntaxError("expected 'given' and a set after 'd-separated'")
            }
            let rest = words[5...].joined(separator: " ")
            let members = rest.split(whereSeparator: { " ,{}".contains($0) }).filter { $0.lowercased() != "and" }
            for m in members {
                let z = try lookup(String(m))
                guard z != x && z != y else { throw SyntaxError("'\(m)' cannot be both asked about and given") }
                if !given.contains(z) { given.append(z) }
            }
            given.sort()
        }
        return Query(.dSeparation, x, y, given: given)
    }
}

extension Axiom {
    public static let backdoor = Axiom("backdoor")
}

extension Proof.Kind {
    /// Backdoor, Yes: `nodes` are the nodes outside S that active trails from x reach once x's
    /// outgoing edges are removed (y is not among them).
    public static let backdoorValid = Proof.Kind("backdoor-valid")
    /// Backdoor, No: `nodes[0]` is x or y, which S holds.
    public static let backdoorEndpoint = Proof.Kind("backdoor-endpoint")
    /// Backdoor, No: `nodes` is a directed path x → … → s to a node s of S.
    public static let backdoorDescendant = Proof.Kind("backdoor-descendant")
    /// Backdoor, No: `nodes` is a trail x ← … y, active given S.
    public static let backdoorOpenPath = Proof.Kind("backdoor-open-path")
}

/// "Is S a valid backdoor adjustment set for the effect of x on y?": Yes iff x, y ∉ S, no node
/// of S is a descendant of x, and S blocks every path between x and y that starts with an edge
/// into x (x and y are d-separated by S once x's outgoing edges are removed).
public struct Backdoor: CausalTask {
    /// The d-separation rules (`DSeparation.program`), run twice. Descendants of x: every edge
    /// stated, every node `free`, `trail-down(c)` for each child c of x; `trail-down(v)` then
    /// holds exactly for the descendants (no node is given, so no trail turns up). Blocking:
    /// the edges without x's outgoing ones, `given(v)` for S and `free(v)` for the others
    /// (closed-world from the question), `trail-up(x)`. Yes iff x, y ∉ S, no node of S has
    /// `trail-down` in the first run and y is not reached in the second: the label reads the
    /// absence of the positive facts.
    public static let program: RuleProgram = DSeparation.program

    public var axiom: Axiom { .backdoor }
    public var summary: String {
        "Is S a valid backdoor adjustment set for the effect of x on y? Yes iff S holds no effect of x and blocks every path into x."
    }
    public var shape: QuestionShape { [.set] }
    public var program: RuleProgram { Self.program }
    public var explanationForms: [ExplanationForm] {
        // The quoted chain, effect layers, trail reasons and search steps of transitivity and
        // d-separation, then the backdoor conclusions.
        ExplanationForm.borrowed(Self.borrowedKinds, from: [Transitivity(), DSeparation()]) + [
            ExplanationForm("backdoor-endpoint", slots: ["x", "y", "a"]),
            ExplanationForm("backdoor-descendant", slots: ["x", "y", "a", "trail"]),
            ExplanationForm("backdoor-open-path", slots: ["x", "y", "set", "trail"]),
            ExplanationForm("backdoor-no-effects", slots: ["x", "y", "set"]),
            ExplanationForm("backdoor-no-cause", slots: ["x", "y"]),
            ExplanationForm("backdoor-blocked-at-causes", slots: ["x", "y"]),
            ExplanationForm("backdoor-cut", slots: ["x", "y"]),
            ExplanationForm("backdoor-blocked", slots: ["x", "y", "set"]),
        ]
    }
    /// The label-neutral search (`explanations: search`): x's effects by a search along the
    /// stated edges (transitivity's `search-start`, `search-edge`), then the search for trails
    /// from x without its outgoing edges, given S (d-separation's steps after `backdoor-cut`; or
    /// `backdoor-no-cause` when x has no cause), then the conclusion. The steps before the
    /// conclusion depend on x and S only, never on y or the label; a set holding x or y (which
    /// the question shows) is said at once (`backdoor-endpoint`).
    public var searchForms: [ExplanationForm] {
        let kept = ["backdoor-endpoint", "backdoor-cut", "backdoor-no-cause"]
        return Explanation.searchStepForms
            + DSeparation().searchForms.filter { !["ds-reached", "ds-never", "ds-isolated"].contains($0.kind) }
            + explanationForms.filter { kept.contains($0.kind) } + [
                ExplanationForm("backdoor-search-descendant", slots: ["x", "y", "a", "set"]),
                ExplanationForm("backdoor-search-open", slots: ["x", "y", "set"]),
                ExplanationForm("backdoor-search-valid", slots: ["x", "y", "set"]),
            ]
    }
    /// The step kinds of transitivity and d-separation a backdoor explanation renders (the
    /// front door's too).
    static let borrowedKinds = [
        "quote", "effects", "reach", "trail", "trail-chain", "trail-fork", "trail-collider-self",
        "trail-collider-desc", "ds-start", "ds-pass", "ds-stop-given", "ds-stop-chain", "ds-open-self",
        "ds-open-desc", "ds-closed",
    ]
    public var askExamples: [String] { ["{C} backdoor for A and B"] }
    public var cueNames: [String] {
        Cues.pairNames + [
            "set-empty", "set-size-gt-2", "set-holds-parent-of-x", "set-holds-child-of-x",
            "set-holds-parent-of-y", "set-is-parents-of-x",
        ]
    }
    public var typeNames: [String] {
        [
            "yes-no-backdoor-path", "yes-blocks-backdoor-paths", "no-descendant-in-set", "no-open-backdoor-path",
            "no-descendant-and-open",
        ]
    }
    public var typeLabels: [Bool] { [true, true, false, false, false] }

    private var trails = RuleEngine(program: DSeparation.program)
    private var effects = RuleEngine(program: DSeparation.program)
    private var graph = CausalGraph()
    private var effectsOf = -1
    private var trailsFor: (x: Int, set: [Int])? = nil
    private var mark: [Bool] = []
    // Second algorithm.
    private var oracles = Oracles()
    private var cut = CausalGraph()
    private var cutOf = -1
    private var row: [UInt64] = []
    private var rowScratch: [UInt64] = []

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        effectsOf = -1
        trailsFor = nil
        cutOf = -1
    }

    private mutating func deriveEffects(of x: Int) {
        if effectsOf == x { return }
        effects.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { effects.state(DSeparation.edge, e.from, e.to) }
        for v in 0..<graph.nodeCount { effects.state(DSeparation.free, v) }
        for e in graph.edges where e.from == x { effects.state(DSeparation.trailDown, e.to) }
        effects.run()
        effectsOf = x
    }

    private mutating func deriveTrails(from x: Int, given set: [Int]) {
        if let t = trailsFor, t.x == x, t.set == set { return }
        DSeparation.deriveTrails(&trails, in: graph, from: x, given: set, cutFrom: x, mark: &mark)
        trailsFor = (x, set)
    }

    private func reached(_ v: Int) -> Bool {
        trails.holds(DSeparation.trailUp, v) || trails.holds(DSeparation.trailDown, v)
    }

    public mutating func answer(_ query: Query) -> Bool {
        if query.set.contains(query.x) || query.set.contains(query.y) { return false }
        deriveEffects(of: query.x)
        if query.set.contains(where: { effects.holds(DSeparation.trailDown, $0) }) { return false }
        deriveTrails(from: query.x, given: query.set)
        return !reached(query.y)
    }

    /// The graph without x's outgoing edges, cached per x.
    private mutating func cutGraph(_ x: Int) {
        if cutOf == x { return }
        cut.reset(nodeCount: graph.nodeCount)
        for e in graph.edges where e.from != x { cut.addEdge(e.from, e.to) }
        cutOf = x
    }

    private mutating func holdsEffect(_ query: Query) -> Bool {
        graph.descendants(of: query.x, into: &row, scratch: &rowScratch)
        return query.set.contains { row.testBit($0) }
    }

    /// Descendants by a bit-row search, blocking by the moralized ancestral graph of the cut
    /// graph (`Oracles.dSeparated`).
    public mutating func check(_ query: Query) -> Bool {
        if query.set.contains(query.x) || query.set.contains(query.y) || holdsEffect(query) { return false }
        cutGraph(query.x)
        return oracles.dSeparated(cut, query.x, query.y, given: query.set)
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        let x = query.x
        let y = query.y
        if let v = query.set.first(where: { $0 == x || $0 == y }) {
            proof.kind = .backdoorEndpoint
            proof.nodes.append(v)
            return
        }
        deriveEffects(of: x)
        if let s = query.set.first(where: { effects.holds(DSeparation.trailDown, $0) }) {
            proof.kind = .backdoorDescendant
            // The chain rule keeps the trail fact it extends as premise 0; the seeds are x's children.
            var f = Fact(DSeparation.trailDown, s)
            while true {
                proof.nodes.append(f.a)
                guard let previous = effects.premise(0, of: f) else { break }
                f = previous
            }
            proof.nodes.append(x)
            proof.nodes.reverse()
            return
        }
        deriveTrails(from: x, given: query.set)
        if reached(y) {
            proof.kind = .backdoorOpenPath
            var f = trails.holds(DSeparation.trailUp, y) ? Fact(DSeparation.trailUp, y) : Fact(DSeparation.trailDown, y)
            while true {
                proof.nodes.append(f.a)
                guard let previous = trails.premise(0, of: f) else { break }
                f = previous
            }
            proof.nodes.reverse()
            if Set(proof.nodes).count != proof.nodes.count {
                cutGraph(x)
                proof.nodes = Trails.simplify(proof.nodes, in: cut, given: query.set)
            }
        } else {
            proof.kind = .backdoorValid
            for v in 0..<graph.nodeCount where v != x && reached(v) && !query.set.contains(v) { proof.nodes.append(v) }
        }
    }

    /// No: S holds x or y; or the quoted directed path from x to a node of S; or the open
    /// backdoor path with d-separation's reason per interior node (given S). Yes: what x
    /// reaches, layer by layer, misses S; then x has no causes, or all are in S, or d-separation's
    /// reachable search from x given S, without the edges out of x, never reaches y.
    ///
    /// - Complexity: O(nodes + edges); at most (path length) + 1 steps (descendant), (trail
    ///   length) + 1 (open path), reached nodes + 4 · nodes + 4 (Yes).
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let x = query.x
        let y = query.y
        switch proof.kind {
        case .backdoorEndpoint:
            e.add("backdoor-endpoint", x: x, y: y, a: proof.nodes[0])
        case .backdoorDescendant:
            let p = proof.nodes
            for i in 0..<(p.count - 1) { e.add("quote", x: x, y: y, a: p[i], b: p[i + 1]) }
            e.add("backdoor-descendant", x: x, y: y, a: p[p.count - 1], trail: e.pool(p))
        case .backdoorOpenPath:
            _ = DSeparation.addTrailSteps(x, y, given: query.set, trail: proof.nodes, in: graph, cutFrom: x, into: &e)
            e.add("backdoor-open-path", x: x, y: y, set: e.pool(query.set), trail: e.pool(proof.nodes))
        default:
            if !query.set.isEmpty {
                e.addLayers(from: x, in: graph, first: "effects", next: "reach", x: x, y: y)
                e.add("backdoor-no-effects", x: x, y: y, set: e.pool(query.set))
            }
            var causesAdjusted = true
            graph.forEachParent(of: x) { p in if !query.set.contains(p) { causesAdjusted = false } }
            if graph.inDegree(of: x) == 0 {
                e.add("backdoor-no-cause", x: x, y: y)
            } else if causesAdjusted {
                e.add("backdoor-blocked-at-causes", x: x, y: y)
            } else {
                e.add("backdoor-cut", x: x, y: y)
                _ = DSeparation.addTrailSteps(x, y, given: query.set, trail: [], in: graph, cutFrom: x, into: &e)
                e.add("backdoor-blocked", x: x, y: y)
            }
        }
    }

    public func explainSearch(_ query: Query, into e: inout Explanation) {
        e.removeAll()
        let (x, y) = (query.x, query.y)
        if let v = query.set.first(where: { $0 == x || $0 == y }) {
            e.add("backdoor-endpoint", x: x, y: y, a: v)
            return
        }
        e.addSearch(from: x, in: graph, x: x, y: y)
        let descendant = query.set.first { e.marks[$0] >= 0 }
        var reachesY = false
        if graph.inDegree(of: x) == 0 {
            e.add("backdoor-no-cause", x: x, y: y)
        } else {
            e.add("backdoor-cut", x: x, y: y)
            if DSeparation.addTrailSteps(x, y, given: query.set, trail: [], in: graph, cutFrom: x, into: &e) != nil {
                reachesY = e.marks[2 * y] >= 0 || e.marks[2 * y + 1] >= 0
            }
        }
        let set = e.pool(query.set)
        if let a = descendant {
            e.add("backdoor-search-descendant", x: x, y: y, a: a, set: set)
        } else if reachesY {
            e.add("backdoor-search-open", x: x, y: y, set: set)
        } else {
            e.add("backdoor-search-valid", x: x, y: y, set: set)
        }
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        let y = names[query.y]
        func list(_ vs: [Int]) -> String { "{" + vs.map { names[$0] }.joined(separator: ", ") + "}" }
        let s = list(query.set)
        func trail(_ t: [Int]) -> String {
            var out = names[t[0]]
            for i in 1..<t.count { out += (graph.hasEdge(t[i - 1], t[i]) ? " -> " : " <- ") + names[t[i]] }
            return out
        }
        let no = "No: \(s) is not a valid backdoor adjustment set for the effect of \(x) on \(y).\n"
        switch proof.kind {
        case .backdoorEndpoint:
            return no
                + "Proof: \(names[proof.nodes[0]]) is the cause or the effect asked about; it cannot be adjusted for.\n"
        case .backdoorDescendant:
            return no
                + "Proof: \(names[proof.nodes.last!]) is an effect of \(x) (\(trail(proof.nodes))); adjusting for it is not allowed.\n"
        case .backdoorOpenPath:
            return no + "Proof: the backdoor path \(trail(proof.nodes)) is active given \(s).\n"
        default:
            var out = "Yes: \(s) is a valid backdoor adjustment set for the effect of \(x) on \(y).\nProof: "
            out += query.set.isEmpty ? "" : "no node of \(s) is an effect of \(x); "
            if !proof.nodes.isEmpty {
                out +=
                    "with the edges out of \(x) removed, active trails from \(x) given \(s) reach only \(list(proof.nodes)), not \(y).\n"
            } else if graph.inDegree(of: query.x) == 0 {
                out += "\(x) has no causes, so no backdoor path leaves it.\n"
            } else {
                out += "every cause of \(x) is in \(s), so every backdoor path is blocked where it leaves \(x).\n"
            }
            return out
        }
    }

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        var bits = Cues.pair(query.x, query.y, graph: graph, mention: mention)
        let o = Cues.pairNames.count
        func set(_ i: Int, _ on: Bool) { if on { bits |= 1 << UInt32(o + i) } }
        let x = query.x
        let y = query.y
        let s = query.set
        set(0, s.isEmpty)
        set(1, s.count > 2)
        set(2, s.contains { graph.hasEdge($0, x) })
        set(3, s.contains { graph.hasEdge(x, $0) })
        set(4, s.contains { graph.hasEdge($0, y) })
        set(5, s.count == graph.inDegree(of: x) && s.allSatisfy { graph.hasEdge($0, x) })
        return bits
    }

    /// Yes: yes-no-backdoor-path (x and y are d-separated by the empty set once x's outgoing
    /// edges are removed), yes-blocks-backdoor-paths. No: no-descendant-in-set (S blocks every
    /// backdoor path but holds an effect of x), no-open-backdoor-path (S holds no effect of x
    /// but leaves a backdoor path open), no-descendant-and-open (both; or S holds x or y).
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        let x = query.x
        let y = query.y
        cutGraph(x)
        if label { return oracles.dSeparated(cut, x, y, given: []) ? 0 : 1 }
        if query.set.contains(x) || query.set.contains(y) { return 4 }
        let effect = holdsEffect(query)
        let blocked = oracles.dSeparated(cut, x, y, given: query.set)
        return effect ? (blocked ? 2 : 4) : 3
    }

    /// x among the candidates, y usually one of its effects; S is x's parents (a valid set
    /// unless y is one), another valid set found among random ones, the empty set, x's parents plus an effect of x, x's parents less one,
    /// x's parents plus another node, or a few random non-effects.
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        drawPair(from: candidates, givenSize: 0, into: &query, scratch: &scratch, using: &rng)
        var row: [UInt64] = []
        var rowScratch: [UInt64] = []
        graph.descendants(of: query.x, into: &row, scratch: &rowScratch)
        let x = query.x
        let effects = candidates.filter { row.testBit($0) }
        if !effects.isEmpty && rng.chance(0.75) { query.y = effects[rng.below(effects.count)] }
        let y = query.y
        let parents = graph.parents(of: x).filter { $0 != y }
        let otherEffects = effects.filter { $0 != y }
        let nonEffects = candidates.filter { $0 != x && $0 != y && !row.testBit($0) && !parents.contains($0) }
        var set: [Int] = []
        switch rng.below(20) {
        case 0..<2:
            set = parents
        case 2..<5:
            // Another valid set when a few random ones find it (screened by the second
            // algorithm), so that "S is x's parents" does not stand for Yes.
            set = parents
            var probe = self
            var q = query
            for _ in 0..<8 {
                q.set = (nonEffects + parents).filter { _ in rng.chance(0.35) }.sorted()
                if q.set != parents && probe.check(q) {
                    set = q.set
                    break
                }
            }
        case 5..<8:
            break
        case 8..<12:
            set = parents
            if !otherEffects.isEmpty { set.append(otherEffects[rng.below(otherEffects.count)]) }
        case 12..<16:
            set = parents
            if !set.isEmpty { set.remove(at: rng.below(set.count)) }
        case 16..<18:
            set = parents
            if !nonEffects.isEmpty { set.append(nonEffects[rng.below(nonEffects.count)]) }
        default:
            for v in nonEffects + parents where rng.chance(0.3) { set.append(v) }
        }
        set.sort()
        query.set = set
        query.z = -1
    }

    /// Every ordered pair and every set of the other nodes (n(n-1) · 2^(n-2) questions).
    public func questions(nodeCount n: Int, givenSizes: ClosedRange<Int>) -> [Query] {
        setQuestions(nodeCount: n, pairs: true)
    }

    /// "{C, D} backdoor for A and B" (the set may be "{}").
    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        let lower = words.map { $0.lowercased() }
        guard let k = lower.firstIndex(of: "backdoor"), k + 5 == words.count, lower[k + 1] == "for",
            lower[k + 3] == "and"
        else { return nil }
        let x = try lookup(words[k + 2])
        let y = try lookup(words[k + 4])
        guard x != y else { throw SyntaxError("ask about two different nodes") }
        return Query(.backdoor, x, y, set: try askedSet(words[..<k], lookup: lookup))
    }
}

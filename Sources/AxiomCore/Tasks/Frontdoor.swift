extension Axiom {
    public static let frontdoor = Axiom("frontdoor")
}

extension Proof.Kind {
    /// Front door, Yes: the three conditions hold (`nodes` is empty).
    public static let frontdoorValid = Proof.Kind("frontdoor-valid")
    /// Front door, No: S is empty (`nodes` is empty).
    public static let frontdoorEmpty = Proof.Kind("frontdoor-empty")
    /// Front door, No: `nodes[0]` is x or y, which S holds.
    public static let frontdoorEndpoint = Proof.Kind("frontdoor-endpoint")
    /// Front door, No: `nodes` is a directed path x → … → y avoiding S.
    public static let frontdoorDirectedPath = Proof.Kind("frontdoor-directed-path")
    /// Front door, No: `nodes` is a trail x ← … s to a node s of S, active given the empty set.
    public static let frontdoorBackdoorToSet = Proof.Kind("frontdoor-backdoor-to-set")
    /// Front door, No: `nodes` is a trail s ← … y from a node s of S, active given {x}.
    public static let frontdoorBackdoorToY = Proof.Kind("frontdoor-backdoor-to-y")
}

/// "Does S satisfy the front-door criterion for the effect of x on y?" (Pearl): Yes iff S is
/// non-empty, holds neither x nor y, and (i) every directed path x ⇝ y passes through S, (ii) no
/// path from x to a node of S that starts with an edge into x is open given the empty set, and
/// (iii) every path from a node s of S to y that starts with an edge into s is blocked by {x}.
public struct Frontdoor: CausalTask {
    /// The d-separation rules (`DSeparation.program`), each condition a run over the stated
    /// edges with the trail seeded next to its start, so that only paths leaving it the asked
    /// way are followed. (i): `free(v)` for v ∉ S, nothing given, `trail-down(c)` for each child
    /// c of x; with nothing given no trail turns up, so `trail-down(y)` holds iff a directed path
    /// x → … → y avoids S. (ii): `free(v)` for v ≠ x, nothing given, `trail-up(p)` for each
    /// parent p of x; x, neither free nor given, ends every trail, so a node of S is reached iff
    /// a path into x reaches it open. (iii), per s ∈ S: `given(x)`, `free(v)` for v ∉ {x, s},
    /// `trail-up(p)` for each parent p of s; s, neither free nor given, passes trails only as
    /// an observed collider (which leaves to another parent of s, already seeded). Yes iff y
    /// is reached in none of them and no node of S in (ii): absence read off the fixpoints.
    public static let program: RuleProgram = DSeparation.program

    public var axiom: Axiom { .frontdoor }
    public var summary: String {
        "Does S satisfy the front-door criterion for the effect of x on y? Yes iff S intercepts every directed path x ⇝ y, no backdoor path from x to S is open, and x blocks every backdoor path from S to y."
    }
    public var shape: QuestionShape { [.set] }
    public var program: RuleProgram { Self.program }
    public var explanationForms: [ExplanationForm] {
        // The quoted chain, effect layers, trail reasons and search steps of transitivity,
        // d-separation and backdoor, then the front-door conclusions.
        ExplanationForm.borrowed(
            Backdoor.borrowedKinds + ["backdoor-cut"],
            from: [Transitivity(), DSeparation(), Backdoor()]
        ) + [
            ExplanationForm("frontdoor-empty", slots: ["x", "y"]),
            ExplanationForm("frontdoor-endpoint", slots: ["x", "y", "a"]),
            ExplanationForm("frontdoor-directed-path", slots: ["x", "y", "set", "trail"]),
            ExplanationForm("frontdoor-backdoor-to-set", slots: ["x", "y", "a", "trail"]),
            ExplanationForm("frontdoor-backdoor-to-y", slots: ["x", "y", "a", "trail"]),
            ExplanationForm("frontdoor-intercepts", slots: ["x", "y", "set"]),
            ExplanationForm("frontdoor-no-backdoor-to-set", slots: ["x", "y", "set"]),
            ExplanationForm("frontdoor-no-cause", slots: ["x", "y", "set"]),
            ExplanationForm("frontdoor-set-no-cause", slots: ["x", "y", "a"]),
            ExplanationForm("frontdoor-blocked-from", slots: ["x", "y", "a"]),
            ExplanationForm("frontdoor-blocked-by-x", slots: ["x", "y", "set"]),
        ]
    }
    /// The label-neutral search (`explanations: search`): `frontdoor-search-start`, (i) x's
    /// effects layer by layer along paths avoiding S, (ii) the search for trails from x without its outgoing edges
    /// (`frontdoor-no-cause` when x has no cause), (iii) per node s of S, the search for trails
    /// from s without its outgoing edges given {x} (`frontdoor-set-no-cause` when s has no cause),
    /// then the conclusion. The steps before it depend on x and S only; an empty set or one
    /// holding x or y (which the question shows) is said at once.
    public var searchForms: [ExplanationForm] {
        let kept = [
            "effects", "reach", "backdoor-cut", "frontdoor-empty", "frontdoor-endpoint", "frontdoor-no-cause",
            "frontdoor-set-no-cause",
        ]
        return DSeparation().searchForms.filter { !["ds-reached", "ds-never", "ds-isolated"].contains($0.kind) }
            + explanationForms.filter { kept.contains($0.kind) } + [
                ExplanationForm("frontdoor-search-start", slots: ["x", "set"]),
                ExplanationForm("frontdoor-search-directed", slots: ["x", "y", "set"]),
                ExplanationForm("frontdoor-search-to-set", slots: ["x", "y", "a"]),
                ExplanationForm("frontdoor-search-to-y", slots: ["x", "y", "a"]),
                ExplanationForm("frontdoor-search-valid", slots: ["x", "y", "set"]),
            ]
    }
    public var askExamples: [String] { ["{M} frontdoor for A and B"] }
    public var cueNames: [String] {
        Cues.pairNames + [
            "set-empty", "set-size-gt-2", "set-holds-child-of-x", "set-holds-parent-of-y",
            "set-is-children-of-x", "set-holds-parent-of-x",
        ]
    }
    public var typeNames: [String] {
        [
            "yes-confounded", "yes-unconfounded", "no-misses-directed-path", "no-backdoor-to-set", "no-backdoor-to-y",
            "no-empty-or-endpoint",
        ]
    }
    public var typeLabels: [Bool] { [true, true, false, false, false, false] }

    private var engine = RuleEngine(program: DSeparation.program)
    private var graph = CausalGraph()
    private var mark: [Bool] = []
    /// Nodes reached by run (ii) from x, and by run (iii) from s given x (key s · n + x).
    private var intoX: [Int: [Bool]] = [:]
    private var intoSet: [Int: [Bool]] = [:]
    // Second algorithm.
    private var oracles = Oracles()
    private var cut = CausalGraph()
    private var reach: [Bool] = []
    private var stack: [Int] = []

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        intoX.removeAll(keepingCapacity: true)
        intoSet.removeAll(keepingCapacity: true)
    }

    private func reached(_ v: Int) -> Bool {
        engine.holds(DSeparation.trailUp, v) || engine.holds(DSeparation.trailDown, v)
    }

    /// Run (i): directed paths from x avoiding S.
    private mutating func deriveDirected(_ x: Int, avoiding set: [Int]) {
        let n = graph.nodeCount
        engine.begin(nodeCount: n)
        for e in graph.edges { engine.state(DSeparation.edge, e.from, e.to) }
        if mark.count != n { mark = Array(repeating: false, count: n) }
        for v in set { mark[v] = true }
        for v in 0..<n where !mark[v] { engine.state(DSeparation.free, v) }
        for v in set { mark[v] = false }
        for e in graph.edges where e.from == x { engine.state(DSeparation.trailDown, e.to) }
        engine.run()
    }

    /// Runs (ii) (`start` = x, `given` = nil) and (iii) (`start` = s, `given` = x): trails that
    /// leave `start` against one of its incoming edges.
    private mutating func deriveInto(_ start: Int, given x: Int?) {
        let n = graph.nodeCount
        engine.begin(nodeCount: n)
        for e in graph.edges { engine.state(DSeparation.edge, e.from, e.to) }
        if let x { engine.state(DSeparation.given, x) }
        for v in 0..<n where v != start && v != x { engine.state(DSeparation.free, v) }
        for e in graph.edges where e.to == start { engine.state(DSeparation.trailUp, e.from) }
        engine.run()
    }

    /// Which condition fails first (by the rule engine), or nil when S is a front-door set:
    /// 0 empty or endpoint, 1 (i), 2 (ii) with the reached node, 3 (iii) with the node of S.
    private mutating func failure(_ query: Query) -> (condition: Int, node: Int)? {
        let x = query.x
        let y = query.y
        if query.set.isEmpty { return (0, -1) }
        if let v = query.set.first(where: { $0 == x || $0 == y }) { return (0, v) }
        deriveDirected(x, avoiding: query.set)
        if reached(y) { return (1, y) }
        deriveInto(x, given: nil)
        if let s = query.set.first(where: reached) { return (2, s) }
        for s in query.set {
            deriveInto(s, given: x)
            if reached(y) { return (3, s) }
        }
        return nil
    }

    /// The rule engine's label. The fixpoints of (ii) and (iii) depend on x, resp. (s, x), not
    /// on the rest of the question, so their reached flags are kept for the prepared graph.
    public mutating func answer(_ query: Query) -> Bool {
        let x = query.x
        let y = query.y
        let n = graph.nodeCount
        if query.set.isEmpty || query.set.contains(x) || query.set.contains(y) { return false }
        if intoX[x] == nil {
            deriveInto(x, given: nil)
            intoX[x] = (0..<n).map(reached)
        }
        if query.set.contains(where: { intoX[x]![$0] }) { return false }
        for s in query.set {
            let key = s * n + x
            if intoSet[key] == nil {
                deriveInto(s, given: x)
                intoSet[key] = (0..<n).map(reached)
            }
            if intoSet[key]![y] { return false }
        }
        deriveDirected(x, avoiding: query.set)
        return !reached(y)
    }

    /// (i) by a depth-first search from x avoiding S; (ii) and (iii) by `Oracles.dSeparated`
    /// (moralized ancestral graph) on the graph without x's, resp. s's, outgoing edges. Cutting
    /// s's outgoing edges also drops descendants of colliders reached only through s; that can
    /// only matter when s is an ancestor of x, and then (ii) already fails.
    public mutating func check(_ query: Query) -> Bool {
        let x = query.x
        let y = query.y
        let set = query.set
        if set.isEmpty || set.contains(x) || set.contains(y) { return false }
        if directedPathAvoiding(set, from: x, to: y) { return false }
        cutOutgoing(x)
        for s in set where !oracles.dSeparated(cut, x, s, given: []) { return false }
        for s in set {
            cutOutgoing(s)
            if !oracles.dSeparated(cut, s, y, given: [x]) { return false }
        }
        return true
    }

    private mutating func directedPathAvoiding(_ set: [Int], from x: Int, to y: Int) -> Bool {
        reach.removeAll(keepingCapacity: true)
        reach.append(contentsOf: repeatElement(false, count: graph.nodeCount))
        for v in set { reach[v] = true }
        stack.removeAll(keepingCapacity: true)
        stack.append(x)
        while let u = stack.popLast() {
            let w = graph.words
            for k in 0..<w {
                var word = graph.childBits[u * w + k]
                while word != 0 {
                    let c = k << 6 | word.trailingZeroBitCount
                    word &= word &- 1
                    if c == y { return true }
                    if !reach[c] {
                        reach[c] = true
                        stack.append(c)
                    }
                }
            }
        }
        return false
    }

    private mutating func cutOutgoing(_ v: Int) {
        cut.reset(nodeCount: graph.nodeCount)
        for e in graph.edges where e.from != v { cut.addEdge(e.from, e.to) }
    }

    /// The trail of `fact`'s derivation, from its seed to `fact` (every trail rule keeps the
    /// trail fact it extends as premise 0).
    private func walk(to v: Int, into nodes: inout [Int]) {
        let start = nodes.count
        var f = engine.holds(DSeparation.trailUp, v) ? Fact(DSeparation.trailUp, v) : Fact(DSeparation.trailDown, v)
        while true {
            nodes.append(f.a)
            guard let previous = engine.premise(0, of: f) else { break }
            f = previous
        }
        nodes[start...].reverse()
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        guard let (condition, node) = failure(query) else {
            proof.kind = .frontdoorValid
            return
        }
        switch condition {
        case 0:
            proof.kind = node < 0 ? .frontdoorEmpty : .frontdoorEndpoint
            if node >= 0 { proof.nodes.append(node) }
        case 1:
            proof.kind = .frontdoorDirectedPath
            proof.nodes.append(query.x)
            walk(to: node, into: &proof.nodes)
        case 2:
            proof.kind = .frontdoorBackdoorToSet
            proof.nodes.append(query.x)
            walk(to: node, into: &proof.nodes)
        default:
            proof.kind = .frontdoorBackdoorToY
            proof.nodes.append(node)
            walk(to: query.y, into: &proof.nodes)
            if Set(proof.nodes).count != proof.nodes.count {
                // Loop-erase at repeated nodes; the walk passes s only as an observed collider,
                // so what is left still starts against an edge into s.
                var erased: [Int] = []
                for v in proof.nodes {
                    if let i = erased.firstIndex(of: v) { erased.removeSubrange((i + 1)...) } else { erased.append(v) }
                }
                proof.nodes =
                    Trails.isActive(erased, in: graph, given: [query.x])
                    ? erased : Trails.simplify(proof.nodes, in: graph, given: [query.x])
            }
        }
    }

    /// No: the failed condition's witness: the quoted directed path avoiding S, or the open
    /// backdoor path with d-separation's reason per interior node. Yes: (i) what x reaches
    /// without entering S, layer by layer; (ii) d-separation's search from x without its
    /// outgoing edges reaching no node of S; (iii) per s ∈ S, the search from s without its
    /// outgoing edges, given {x}, never reaching y.
    ///
    /// - Complexity: O(|S| · (nodes + edges)); at most (path length) + 1 steps (No), reached
    ///   nodes + (|S| + 1) · (4 · nodes + 4) + 2 (Yes).
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let x = query.x
        let y = query.y
        switch proof.kind {
        case .frontdoorEmpty:
            e.add("frontdoor-empty", x: x, y: y)
        case .frontdoorEndpoint:
            e.add("frontdoor-endpoint", x: x, y: y, a: proof.nodes[0])
        case .frontdoorDirectedPath:
            let p = proof.nodes
            for i in 0..<(p.count - 1) { e.add("quote", x: x, y: y, a: p[i], b: p[i + 1]) }
            e.add("frontdoor-directed-path", x: x, y: y, set: e.pool(query.set), trail: e.pool(p))
        case .frontdoorBackdoorToSet:
            let s = proof.nodes[proof.nodes.count - 1]
            _ = DSeparation.addTrailSteps(x, s, given: EmptyCollection(), trail: proof.nodes, in: graph, into: &e)
            e.add("frontdoor-backdoor-to-set", x: x, y: y, a: s, trail: e.pool(proof.nodes))
        case .frontdoorBackdoorToY:
            let s = proof.nodes[0]
            _ = DSeparation.addTrailSteps(s, y, given: CollectionOfOne(x), trail: proof.nodes, in: graph, into: &e)
            e.add("frontdoor-backdoor-to-y", x: x, y: y, a: s, trail: e.pool(proof.nodes))
        default:
            let set = e.pool(query.set)
            e.addLayers(from: x, avoidingAll: query.set, in: graph, first: "effects", next: "reach", x: x, y: y)
            e.add("frontdoor-intercepts", x: x, y: y, set: set)
            if graph.inDegree(of: x) == 0 {
                e.add("frontdoor-no-cause", x: x, y: y, set: set)
            } else {
                e.add("backdoor-cut", x: x, y: y)
                _ = DSeparation.addTrailSteps(
                    x,
                    y,
                    given: EmptyCollection(),
                    trail: [],
                    in: graph,
                    cutFrom: x,
                    into: &e
                )
                e.add("frontdoor-no-backdoor-to-set", x: x, y: y, set: set)
            }
            for s in query.set {
                if graph.inDegree(of: s) == 0 {
                    e.add("frontdoor-set-no-cause", x: x, y: y, a: s)
                    continue
                }
                e.add("backdoor-cut", x: s, y: y)
                _ = DSeparation.addTrailSteps(
                    s,
                    y,
                    given: CollectionOfOne(x),
                    trail: [],
                    in: graph,
                    cutFrom: s,
                    into: &e
                )
                e.add("frontdoor-blocked-from", x: x, y: y, a: s)
            }
            e.add("frontdoor-blocked-by-x", x: x, y: y, set: set)
        }
    }

    public func explainSearch(_ query: Query, into e: inout Explanation) {
        e.removeAll()
        let (x, y) = (query.x, query.y)
        if query.set.isEmpty {
            e.add("frontdoor-empty", x: x, y: y)
            return
        }
        if let v = query.set.first(where: { $0 == x || $0 == y }) {
            e.add("frontdoor-endpoint", x: x, y: y, a: v)
            return
        }
        let set = e.pool(query.set)
        // A fixed opening: whether x has effects outside S shows only after it.
        e.add("frontdoor-search-start", x: x, y: y, set: set)
        e.addLayers(from: x, avoidingAll: query.set, in: graph, first: "effects", next: "reach", x: x, y: y)
        let directed = e.marks[y] >= 0
        // (ii) the nodes of S a trail into x reaches; (iii) the first node of S from which a
        // trail into it reaches y given {x}.
        var toSet = -1
        var toY = -1
        if graph.inDegree(of: x) == 0 {
            e.add("frontdoor-no-cause", x: x, y: y, set: set)
        } else {
            e.add("backdoor-cut", x: x, y: y)
            if DSeparation.addTrailSteps(x, y, given: EmptyCollection(), trail: [], in: graph, cutFrom: x, into: &e)
                != nil
            {
                toSet = query.set.first { e.marks[2 * $0] >= 0 || e.marks[2 * $0 + 1] >= 0 } ?? -1
            }
        }
        for s in query.set {
            if graph.inDegree(of: s) == 0 {
                e.add("frontdoor-set-no-cause", x: x, y: y, a: s)
                continue
            }
            e.add("backdoor-cut", x: s, y: y)
            if DSeparation.addTrailSteps(s, y, given: CollectionOfOne(x), trail: [], in: graph, cutFrom: s, into: &e)
                != nil, toY < 0, e.marks[2 * y] >= 0 || e.marks[2 * y + 1] >= 0
            {
                toY = s
            }
        }
        if directed {
            e.add("frontdoor-search-directed", x: x, y: y, set: set)
        } else if toSet >= 0 {
            e.add("frontdoor-search-to-set", x: x, y: y, a: toSet)
        } else if toY >= 0 {
            e.add("frontdoor-search-to-y", x: x, y: y, a: toY)
        } else {
            e.add("frontdoor-search-valid", x: x, y: y, set: set)
        }
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        let y = names[query.y]
        let s = "{" + query.set.map { names[$0] }.joined(separator: ", ") + "}"
        func trail(_ t: [Int]) -> String {
            var out = names[t[0]]
            for i in 1..<t.count { out += (graph.hasEdge(t[i - 1], t[i]) ? " -> " : " <- ") + names[t[i]] }
            return out
        }
        let no = "No: \(s) does not satisfy the front-door criterion for the effect of \(x) on \(y).\nProof: "
        switch proof.kind {
        case .frontdoorEmpty: return no + "the set is empty.\n"
        case .frontdoorEndpoint: return no + "it holds \(names[proof.nodes[0]]), the cause or the effect asked about.\n"
        case .frontdoorDirectedPath: return no + "the directed path \(trail(proof.nodes)) avoids it.\n"
        case .frontdoorBackdoorToSet: return no + "the backdoor path \(trail(proof.nodes)) from \(x) is open.\n"
        case .frontdoorBackdoorToY: return no + "the backdoor path \(trail(proof.nodes)) is open given {\(x)}.\n"
        default:
            return "Yes: \(s) satisfies the front-door criterion for the effect of \(x) on \(y).\n"
                + "Proof: every directed path from \(x) to \(y) passes through \(s); no backdoor path from \(x) to \(s) is open; "
                + "given {\(x)}, every backdoor path from \(s) to \(y) is blocked.\n"
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
        set(2, s.contains { graph.hasEdge(x, $0) })
        set(3, s.contains { graph.hasEdge($0, y) })
        set(4, s.count == graph.outDegree(of: x) && s.allSatisfy { graph.hasEdge(x, $0) })
        set(5, s.contains { graph.hasEdge($0, x) })
        return bits
    }

    /// Yes: yes-confounded (a path into x reaches y open given the empty set: the front door is
    /// needed), yes-unconfounded. No, by the first condition that fails: no-misses-directed-path
    /// (i), no-backdoor-to-set (ii), no-backdoor-to-y (iii), no-empty-or-endpoint.
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        let x = query.x
        let y = query.y
        let set = query.set
        if label {
            cutOutgoing(x)
            return oracles.dSeparated(cut, x, y, given: []) ? 1 : 0
        }
        if set.isEmpty || set.contains(x) || set.contains(y) { return 5 }
        if directedPathAvoiding(set, from: x, to: y) { return 2 }
        cutOutgoing(x)
        for s in set where !oracles.dSeparated(cut, x, s, given: []) { return 3 }
        return 4
    }

    /// x among the candidates with an effect among them (most of the time), y one of its
    /// effects. S is, 45% of the time, a front-door set when one of the usual cut sets is one
    /// (x's children on the directed paths to y, y's parents on them, a single mediator, in random
    /// order; up to six pairs are tried, screened by the second algorithm); otherwise those children with one
    /// dropped or another node added, y's parents on the paths, the children and a parent of x,
    /// one mediator, or (rarely) the empty set.
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        let choice = rng.below(20)
        var probe = self
        var rows = DrawRows()
        var onPath: [Int] = []
        var children: [Int] = []
        for attempt in 0..<(choice < 9 ? 6 : 1) {
            let effects = drawPairWithEffects(
                from: candidates,
                into: &query,
                scratch: &scratch,
                rows: &rows,
                using: &rng
            )
            onPath = nodesOnPaths(query.x, query.y, among: effects, rows: &rows)
            children = graph.children(of: query.x).filter { onPath.contains($0) }
            guard choice < 9 else { break }
            if findFrontDoor(children: children, onPath: onPath, into: &query, probe: &probe, using: &rng) { return }
            if attempt == 5 { break }
        }
        query.set = nearMiss(
            choice,
            children: children,
            onPath: onPath,
            candidates: candidates,
            x: query.x,
            y: query.y,
            using: &rng
        )
        query.z = -1
    }

    /// Reused descendant rows of a draw.
    private struct DrawRows {
        var row: [UInt64] = []
        var rowScratch: [UInt64] = []
        var toY: [UInt64] = []
        var toYScratch: [UInt64] = []
    }

    /// Draws (x, y), preferring an x with an effect it does not cause directly (a direct edge
    /// x → y can never be intercepted, so only such a y can have a front door) and such a y.
    /// Returns x's effects among the candidates.
    private func drawPairWithEffects(
        from candidates: [Int],
        into query: inout Query,
        scratch: inout [Int],
        rows: inout DrawRows,
        using rng: inout SeededRNG
    ) -> [Int] {
        drawPair(from: candidates, givenSize: 0, into: &query, scratch: &scratch, using: &rng)
        var effects: [Int] = []
        var far: [Int] = []
        for tries in 0..<8 {
            graph.descendants(of: query.x, into: &rows.row, scratch: &rows.rowScratch)
            effects = candidates.filter { rows.row.testBit($0) }
            far = effects.filter { !graph.hasEdge(query.x, $0) }
            if !far.isEmpty || tries == 7 { break }
            query.x = candidates[rng.below(candidates.count)]
        }
        let x = query.x
        if !far.isEmpty && rng.chance(0.85) {
            query.y = far[rng.below(far.count)]
        } else if !effects.isEmpty && rng.chance(0.5) {
            query.y = effects[rng.below(effects.count)]
        }
        if query.y == x { query.y = candidates.first { $0 != x }! }
        return effects
    }

    /// Nodes on directed paths x ⇝ y: effects of x that are y's ancestors.
    private func nodesOnPaths(_ x: Int, _ y: Int, among effects: [Int], rows: inout DrawRows) -> [Int] {
        effects.filter { v in
            v != y
                && {
                    graph.descendants(of: v, into: &rows.toY, scratch: &rows.toYScratch)
                    return rows.toY.testBit(y)
                }()
        }
    }

    /// Tries x's children on the paths, y's parents on them, and each path node alone, in a
    /// random order; sets the first valid front door as the query's set.
    private func findFrontDoor(
        children: [Int],
        onPath: [Int],
        into query: inout Query,
        probe: inout Frontdoor,
        using rng: inout SeededRNG
    ) -> Bool {
        var options = [children, graph.parents(of: query.y).filter { onPath.contains($0) }]
        for v in onPath { options.append([v]) }
        rng.shuffle(&options)
        for o in options where !o.isEmpty {
            query.set = o.sorted()
            if probe.check(query) {
                query.z = -1
                return true
            }
        }
        return false
    }

    /// A set near a front door, by `choice`: x's children on the paths (9 in 20), empty, one
    /// child fewer or another node more, y's parents on the paths, a cause of x added, or one
    /// path node.
    private func nearMiss(
        _ choice: Int,
        children: [Int],
        onPath: [Int],
        candidates: [Int],
        x: Int,
        y: Int,
        using rng: inout SeededRNG
    ) -> [Int] {
        let others = candidates.filter { $0 != x && $0 != y && !children.contains($0) }
        var set = children
        switch choice {
        case 0..<9:
            break
        case 9 where rng.chance(0.5):
            set = []
        case 9..<12:
            if set.count > 1 {
                set.remove(at: rng.below(set.count))
            } else if !others.isEmpty {
                set.append(others[rng.below(others.count)])
            }
        case 12..<14:
            if !others.isEmpty { set.append(others[rng.below(others.count)]) }
        case 14..<17:
            set = graph.parents(of: y).filter { onPath.contains($0) }
        case 17..<19:
            let parents = graph.parents(of: x).filter { $0 != y }
            if !parents.isEmpty { set.append(parents[rng.below(parents.count)]) }
        default:
            if !onPath.isEmpty { set = [onPath[rng.below(onPath.count)]] }
        }
        if set.isEmpty, choice != 9, !others.isEmpty { set = [others[rng.below(others.count)]] }
        set.sort()
        return set
    }

    /// Every ordered pair and every set of the other nodes (n(n-1) · 2^(n-2) questions).
    public func questions(nodeCount n: Int, givenSizes: ClosedRange<Int>) -> [Query] {
        setQuestions(nodeCount: n, pairs: true)
    }

    /// "{M} frontdoor for A and B".
    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        let lower = words.map { $0.lowercased() }
        guard let k = lower.firstIndex(of: "frontdoor"), k + 5 == words.count, lower[k + 1] == "for",
            lower[k + 3] == "and"
        else { return nil }
        let x = try lookup(words[k + 2])
        let y = try lookup(words[k + 4])
        guard x != y else { throw SyntaxError("ask about two different nodes") }
        return Query(.frontdoor, x, y, set: try askedSet(words[..<k], lookup: lookup))
    }
}

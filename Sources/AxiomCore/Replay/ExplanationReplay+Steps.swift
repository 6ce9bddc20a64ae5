/// Replay steps several tasks share: quoted edges, causal chains, searches and breadth-first
/// layers, active trails and d-separation searches (see `ExplanationReplay`).
extension ExplanationReplay {
    public func edge(_ a: Int, _ b: Int) -> CausalGraph.Edge { CausalGraph.Edge(a, b) }

    /// Steps that may only be quotes: each checked; returns the quoted edges.
    public mutating func quotes(_ steps: ArraySlice<ParsedStep>, in what: String) -> Set<CausalGraph.Edge> {
        var quoted = Set<CausalGraph.Edge>()
        for s in steps {
            guard s.kind == "quote" else {
                fail(s, "a '\(s.kind)' step does not belong in \(what)")
                continue
            }
            if checkQuote(s, s.a, s.b) { quoted.insert(edge(s.a, s.b)) }
        }
        return quoted
    }

    public mutating func expectOneStep(_ steps: [ParsedStep]) {
        if steps.count != 1 { fail(nil, "a '\(steps.last!.kind)' explanation has one step, not \(steps.count)") }
    }

    public var isEndpoint: Bool { query.z < 0 || query.z == query.x || query.z == query.y || query.x == query.y }

    /// A `search-start` step at `source` at the front of `steps`, then `search-edge` steps: each
    /// quoting a premise sentence for an edge out of a node already reached into one not yet
    /// reached, until every node `source` reaches is. Returns the nodes reached (with `source`)
    /// and the index after the steps.
    public mutating func replaySearchTrace(
        _ steps: ArraySlice<ParsedStep>,
        from source: Int
    ) -> (reached: Set<Int>, end: Int) {
        var i = steps.startIndex
        guard i < steps.endIndex, steps[i].kind == "search-start" else {
            fail(nil, "the search from \(name(source)) does not start with a 'search-start' step")
            return ([source], i)
        }
        if steps[i].a != source {
            fail(steps[i], "the search starts at \(name(steps[i].a)), not at \(name(source))")
        }
        i += 1
        var reached: Set<Int> = [source]
        while i < steps.endIndex, steps[i].kind == "search-edge" {
            let s = steps[i]
            i += 1
            guard let q = s.quote else {
                fail(s, "it quotes no sentence of the premise")
                continue
            }
            guard checkQuote(s, q.from, q.to) else { continue }
            if s.b >= 0 && s.b != q.to { fail(s, "the quoted sentence reaches \(name(q.to)), not \(name(s.b))") }
            if s.a >= 0 && s.a != q.from { fail(s, "the quoted sentence leaves \(name(q.from)), not \(name(s.a))") }
            if !reached.contains(q.from) { fail(s, "the search has not reached \(name(q.from)) yet") }
            if !reached.insert(q.to).inserted { fail(s, "\(name(q.to)) was already reached") }
        }
        var truth: Set<Int> = [source]
        var stack = [source]
        while let u = stack.popLast() {
            for c in graph.children(of: u) where truth.insert(c).inserted { stack.append(c) }
        }
        if reached != truth {
            fail(
                nil,
                "the search from \(name(source)) reaches \(nameSet(reached.subtracting([source]))), but \(name(source)) causes \(nameSet(truth.subtracting([source])))"
            )
        }
        return (reached, i)
    }

    /// `quote` and `step` steps: each quote true of the premise, each step combining two earlier
    /// facts. Returns the derived `causes` facts as edges.
    public mutating func replayChains(_ steps: ArraySlice<ParsedStep>) -> Set<CausalGraph.Edge> {
        var derived = Set<CausalGraph.Edge>()
        for s in steps {
            switch s.kind {
            case "quote":
                checkQuote(s, s.a, s.b)
                derived.insert(CausalGraph.Edge(s.a, s.b))
            case "step":
                for (p, q) in [(s.a, s.b), (s.b, s.c)] where !derived.contains(CausalGraph.Edge(p, q)) {
                    fail(s, "it uses '\(name(p)) causes \(name(q))', which no earlier step derives")
                }
                derived.insert(CausalGraph.Edge(s.a, s.c))
            default:
                fail(s, "a '\(s.kind)' step does not belong in a causal chain")
            }
        }
        return derived
    }

    /// Steps of kinds `first` (for `source`) and `next` at the front of `steps`: the breadth-first
    /// layers from `source` along edges (`upward`: against them, its causes), never entering
    /// `avoiding`, each exactly right. Returns what they reach (without `source`) and the index
    /// after them.
    public mutating func replayLayers(
        _ steps: ArraySlice<ParsedStep>,
        from source: Int,
        upward: Bool = false,
        avoiding blocked: Int = -1,
        avoidingAll avoided: Set<Int> = [],
        first: String,
        next nextKind: String
    ) -> (reached: Set<Int>, end: Int) {
        var reached: Set<Int> = avoided.union([source])
        if blocked >= 0 { reached.insert(blocked) }
        var layer: [Int] = [source]
        var i = steps.startIndex
        var depth = 0
        let what = upward ? "the causes of \(name(source))" : "what \(name(source)) reaches"
        while !layer.isEmpty {
            depth += 1
            // The true next layer: unreached children (parents) of this layer.
            var next = Set<Int>()
            for u in layer {
                for c in upward ? graph.parents(of: u) : graph.children(of: u) where !reached.contains(c) {
                    next.insert(c)
                }
            }
            var stated = Set<Int>()
            var used = Set<Int>()
            while i < steps.endIndex, [first, nextKind].contains(steps[i].kind), layer.contains(steps[i].a) {
                let s = steps[i]
                i += 1
                if s.kind != (s.a == source ? first : nextKind) {
                    fail(
                        s,
                        "a '\(s.kind)' step where \(s.a == source ? "the first layer ('\(first)')" : "a later layer ('\(nextKind)')") belongs"
                    )
                }
                if !used.insert(s.a).inserted {
                    fail(s, "\(name(s.a))'s \(upward ? "causes" : "effects") are stated twice")
                }
                let list = Set(s.list ?? [])
                for v in list where !(upward ? graph.hasEdge(v, s.a) : graph.hasEdge(s.a, v)) {
                    fail(
                        s,
                        upward
                            ? "the premise states no edge \(name(v)) → \(name(s.a))"
                            : "the premise states no edge \(name(s.a)) → \(name(v))"
                    )
                }
                for v in list where reached.contains(v) || stated.contains(v) {
                    fail(
                        s,
                        v == blocked || avoided.contains(v)
                            ? "paths through \(name(v)) do not count" : "\(name(v)) was already reached"
                    )
                }
                stated.formUnion(list)
            }
            if stated != next {
                let missing = next.subtracting(stated)
                let extra = stated.subtracting(next)
                var m = "layer \(depth) of \(what) is \(nameSet(next)), but the explanation reaches \(nameSet(stated))"
                if !missing.isEmpty { m += " (missing \(nameSet(missing)))" }
                if !extra.isEmpty { m += " (not in this layer: \(nameSet(extra)))" }
                fail(nil, m)
            }
            reached.formUnion(next)
            layer = next.sorted()
        }
        reached.remove(source)
        if blocked >= 0 { reached.remove(blocked) }
        reached.subtract(avoided)
        return (reached, i)
    }

    /// `trail`, one reason per interior node in order, `trail-active`.
    public mutating func replayTrail(_ steps: [ParsedStep]) {
        guard steps.count >= 2, steps[0].kind == "trail", let t = steps[0].trail else {
            fail(nil, "an active-trail explanation starts with the trail")
            return
        }
        let z = given
        let ends = Set([t.first!, t.last!])
        if ends != Set([query.x, query.y]) || t.count < 2 {
            fail(steps[0], "the trail does not run between \(name(query.x)) and \(name(query.y))")
        }
        if Set(t).count != t.count { fail(steps[0], "the trail passes a node twice") }
        for (k, forward) in steps[0].forward.enumerated() where k + 1 < t.count {
            let (p, q) = (t[k], t[k + 1])
            if !(forward ? graph.hasEdge(p, q) : graph.hasEdge(q, p)) {
                fail(
                    steps[0],
                    "the trail's link \(name(p)) \(forward ? "→" : "←") \(name(q)) is not an edge of the premise"
                )
            }
        }
        let reasons = steps.dropFirst().dropLast()
        if reasons.count != max(0, t.count - 2) {
            fail(
                nil,
                "the trail has \(max(0, t.count - 2)) interior nodes, but the explanation gives \(reasons.count) reasons"
            )
        }
        for (k, s) in zip(1..., reasons) where k + 1 < t.count {
            let (p, v, q) = (t[k - 1], t[k], t[k + 1])
            if s.b != v {
                fail(s, "the reason is about \(name(s.b)), but the trail's next interior node is \(name(v))")
                continue
            }
            let collider = graph.hasEdge(p, v) && graph.hasEdge(q, v)
            let fork = graph.hasEdge(v, p) && graph.hasEdge(v, q)
            switch s.kind {
            case "trail-chain", "trail-fork":
                if collider {
                    fail(s, "\(name(v)) is a collider on the trail")
                } else if fork != (s.kind == "trail-fork") {
                    fail(s, "\(name(v)) is a \(fork ? "fork" : "chain node") on the trail")
                }
                if z.contains(v) { fail(s, "\(name(v)) is in the conditioning set, so it blocks the trail") }
            case "trail-collider-self":
                if !collider { fail(s, "\(name(v)) is not a collider on the trail") }
                if !z.contains(v) { fail(s, "\(name(v)) is not in the conditioning set") }
            case "trail-collider-desc":
                if !collider { fail(s, "\(name(v)) is not a collider on the trail") }
                if !z.contains(s.c) { fail(s, "\(name(s.c)) is not in the conditioning set") }
                if !reaches(v, s.c) { fail(s, "\(name(s.c)) is not a descendant of \(name(v))") }
            default:
                fail(s, "a '\(s.kind)' step is not a reason for a trail node")
            }
        }
    }

    /// The reachable search: every step true, and the nodes it reaches exactly those d-connected
    /// to x, without y.
    public mutating func replaySearch(_ steps: [ParsedStep], never targets: [Int]? = nil) {
        let x = query.x
        if steps.last?.kind == "ds-isolated" {
            if steps.count != 1 { fail(nil, "a 'ds-isolated' explanation has one step, not \(steps.count)") }
            if !neighbours(x).isEmpty { fail(steps.last, "\(name(x)) is adjacent to \(nameSet(neighbours(x)))") }
            return
        }
        guard steps.count >= 2, steps[0].kind == "ds-start" else {
            fail(nil, "the search explanation starts with a 'ds-start' step")
            return
        }
        let z = given
        var trace = SearchTrace()
        for s in steps.dropLast() { replaySearchStep(s, given: z, &trace) }
        // The search must reach exactly the nodes d-connected to x (those outside Z).
        var oracle = Oracles()
        var truth = Set<Int>()
        for v in 0..<graph.nodeCount where v != x && !z.contains(v) && graph.isMentioned(v) {
            if !oracle.dSeparated(graph, x, v, given: query.given) { truth.insert(v) }
        }
        let found = trace.reached.subtracting(z).subtracting([x])
        if found != truth {
            fail(
                nil,
                "the search reaches \(nameSet(found)), but the nodes d-connected to \(name(x)) are \(nameSet(truth))"
            )
        }
        for t in targets ?? [query.y] where trace.reached.contains(t) { fail(nil, "the search reaches \(name(t))") }
    }

    /// What a d-separation search has entered so far: (node, the node it was entered from).
    public struct SearchTrace {
        var entered = Set<CausalGraph.Edge>()
        var reached = Set<Int>()

        mutating func enter(_ list: [Int], from a: Int) {
            for v in list {
                entered.insert(CausalGraph.Edge(v, a))
                reached.insert(v)
            }
        }
    }

    /// One search step: entered from where it says, and its reason true under Z.
    private mutating func replaySearchStep(_ s: ParsedStep, given z: Set<Int>, _ trace: inout SearchTrace) {
        let list = s.list ?? []
        let (a, b) = (s.a, s.b)
        if s.kind != "ds-start" && !trace.entered.contains(CausalGraph.Edge(a, b)) {
            fail(s, "no earlier step enters \(name(a)) from \(name(b))")
        }
        let valid = (0..<graph.nodeCount).contains(a) && (0..<graph.nodeCount).contains(b)
        let fromParent = valid && graph.hasEdge(b, a)
        let fromChild = valid && graph.hasEdge(a, b)
        func expect(_ truth: Set<Int>, _ what: String) {
            if Set(list) != truth || list.count != truth.count {
                fail(s, "\(what) are \(nameSet(truth)), not \(nameSet(list))")
            }
        }
        switch s.kind {
        case "ds-start":
            if s.x != query.x { fail(s, "the search starts at \(name(s.x)), not at \(name(query.x))") }
            expect(neighbours(query.x), "the nodes adjacent to \(name(query.x))")
            trace.enter(list, from: query.x)
        case "ds-pass":
            if z.contains(a) { fail(s, "\(name(a)) is in the conditioning set, so it blocks the trails") }
            if fromParent {
                expect(children(a), "the children of \(name(a))")
            } else if fromChild {
                expect(neighbours(a).subtracting([b]), "the nodes adjacent to \(name(a)) other than \(name(b))")
            } else {
                fail(s, "\(name(a)) and \(name(b)) are not adjacent")
            }
            trace.enter(list, from: a)
        case "ds-stop-given":
            if !z.contains(a) { fail(s, "\(name(a)) is not in the conditioning set") }
            if !fromChild { fail(s, "\(name(b)) is not a child of \(name(a))") }
        case "ds-stop-chain":
            if !z.contains(a) { fail(s, "\(name(a)) is not in the conditioning set") }
            if !fromParent { fail(s, "\(name(b)) is not a parent of \(name(a))") }
        case "ds-open-self", "ds-open-desc", "ds-closed":
            if !fromParent {
                fail(s, "\(name(b)) is not a parent of \(name(a)), so \(name(a)) is no collider here")
            }
            expect(parents(a).subtracting([b]), "the other parents of \(name(a))")
            let observed = z.contains(a) || z.contains { reaches(a, $0) }
            if s.kind == "ds-open-self" && !z.contains(a) { fail(s, "\(name(a)) is not in the conditioning set") }
            if s.kind == "ds-open-desc" {
                if !z.contains(s.c) { fail(s, "\(name(s.c)) is not in the conditioning set") }
                if !reaches(a, s.c) { fail(s, "\(name(s.c)) is not a descendant of \(name(a))") }
            }
            if s.kind == "ds-closed" {
                if observed {
                    fail(s, "\(name(a)) or a descendant of it is in the conditioning set, so the collider is open")
                }
            } else {
                trace.enter(list, from: a)
            }
        default:
            fail(s, "a '\(s.kind)' step does not belong in the search")
        }
    }
    /// D-separation's replay of `steps` (a trail or a search from `a`, about `a` and `b`) given
    /// `given`, in the graph without the edges out of `cutFrom` (-1: none).
    public mutating func replayDSeparation(
        _ steps: [ParsedStep],
        _ a: Int,
        _ b: Int,
        given: [Int],
        cutFrom: Int,
        trail: Bool,
        never: [Int]? = nil
    ) {
        var cut = CausalGraph(nodeCount: graph.nodeCount)
        for e in graph.edges where e.from != cutFrom { cut.addEdge(e.from, e.to) }
        var sub = ExplanationReplay(
            sentences: readSentences,
            names: names,
            graph: cut,
            query: Query(.dSeparation, a, b, given: given.sorted()),
            label: label
        )
        for s in steps { sub.checkGiven(s) }
        if trail { sub.replayTrail(steps) } else { sub.replaySearch(steps, never: never) }
        problems += sub.problems
    }

    public mutating func replayCut(_ steps: [ParsedStep], trail: Bool) {
        replayDSeparation(steps, query.x, query.y, given: query.set, cutFrom: query.x, trail: trail)
    }
}

import AxiomCore
import AxiomGrammar

/// The replays of the local and set tasks' explanations: collider, common cause, mediator, Markov
/// blanket and backdoor (see `ExplanationReplay`).
extension ExplanationReplay {
    private func edge(_ a: Int, _ b: Int) -> CausalGraph.Edge { CausalGraph.Edge(a, b) }

    /// Steps that may only be quotes: each checked; returns the quoted edges.
    private mutating func quotes(_ steps: ArraySlice<ParsedStep>, in what: String) -> Set<CausalGraph.Edge> {
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

    private mutating func expectOneStep(_ steps: [ParsedStep]) {
        if steps.count != 1 { fail(nil, "a '\(steps.last!.kind)' explanation has one step, not \(steps.count)") }
    }

    private var isEndpoint: Bool { query.z < 0 || query.z == query.x || query.z == query.y || query.x == query.y }

    // MARK: - Collider

    mutating func replayCollider(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y, z) = (query.x, query.y, query.z)
        checkEnds(last)
        if last.c != z { fail(last, "it is about \(name(last.c)), but the question asks about \(name(z))") }
        let quoted = quotes(steps.dropLast(), in: "a collider explanation")
        func need(_ p: Int, _ q: Int) {
            if !quoted.contains(edge(p, q)) { fail(last, "no earlier step quotes that \(name(p)) causes \(name(q))") }
        }
        switch last.kind {
        case "collider-yes":
            conclude(true)
            need(x, z)
            need(y, z)
            if graph.adjacent(x, y) { fail(last, "\(name(x)) and \(name(y)) are adjacent") }
        case "collider-shielded":
            conclude(false)
            need(x, z)
            need(y, z)
            need(last.a, last.b)
            if Set([last.a, last.b]) != Set([x, y]) {
                fail(last, "the edge \(name(last.a)) → \(name(last.b)) does not join \(name(x)) and \(name(y))")
            }
        case "collider-not-effect":
            conclude(false)
            expectOneStep(steps)
            if last.a != x && last.a != y { fail(last, "\(name(last.a)) is neither \(name(x)) nor \(name(y))") }
            if graph.hasEdge(last.a, z) { fail(last, "the premise states that \(name(last.a)) causes \(name(z))") }
        case "collider-endpoint":
            conclude(false)
            expectOneStep(steps)
            if !isEndpoint { fail(last, "\(name(z)) is neither \(name(x)) nor \(name(y))") }
        default:
            fail(last, "a collider explanation cannot end with a '\(last.kind)' step")
        }
    }

    // MARK: - Common cause

    mutating func replayCommonCause(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
        checkEnds(last)
        switch last.kind {
        case "common-cause-fork":
            conclude(true)
            let quoted = quotes(steps.dropLast(), in: "a common-cause fork")
            guard let t = last.trail, t.count >= 3 else {
                fail(last, "the fork has no node between \(name(x)) and \(name(y))")
                return
            }
            if t.first != x || t.last != y { fail(last, "the trail does not run from \(name(x)) to \(name(y))") }
            if Set(t).count != t.count { fail(last, "the trail passes a node twice") }
            guard let k = t.firstIndex(of: last.c), k > 0, k < t.count - 1 else {
                fail(last, "\(name(last.c)) is not inside the trail")
                return
            }
            for (i, forward) in last.forward.enumerated() where i + 1 < t.count {
                // Links before c point toward x (←), links after it toward y (→).
                let (p, q) = forward ? (t[i], t[i + 1]) : (t[i + 1], t[i])
                if forward != (i >= k) {
                    fail(
                        last,
                        "the trail's link at \(name(t[i])) points \(forward ? "away from" : "toward") \(name(x)), so \(name(last.c)) is not a cause of both"
                    )
                } else if !graph.hasEdge(p, q) {
                    fail(last, "the trail's link \(name(p)) → \(name(q)) is not an edge of the premise")
                } else if !quoted.contains(edge(p, q)) {
                    fail(last, "no earlier step quotes that \(name(p)) causes \(name(q))")
                }
            }
        case "common-cause-none", "common-cause-shared":
            conclude(last.kind == "common-cause-shared")
            var i = 0
            var found: [Set<Int>] = []
            for (u, v) in [(x, y), (y, x)] {
                if style == .search {
                    if i < steps.count - 1, steps[i].kind == "common-cause-search" {
                        if steps[i].x != u || steps[i].y != v {
                            fail(steps[i], "the search for the causes of \(name(u)) avoiding \(name(v)) belongs here")
                        }
                        i += 1
                    } else {
                        fail(
                            nil,
                            "the search for the causes of \(name(u)) avoiding \(name(v)) does not start with a 'common-cause-search' step"
                        )
                    }
                }
                let (reached, end) = replayLayers(
                    steps[i...].dropLast(),
                    from: u,
                    upward: true,
                    avoiding: v,
                    first: "common-cause-parents",
                    next: "common-cause-layer"
                )
                i = end
                found.append(reached)
                guard i < steps.count - 1 else {
                    fail(
                        nil,
                        "the explanation does not state the causes of \(name(u)) along paths that avoid \(name(v))"
                    )
                    return
                }
                let s = steps[i]
                i += 1
                if s.x != u || s.y != v {
                    fail(
                        s,
                        "it is about the causes of \(name(s.x)) avoiding \(name(s.y)), but the search was from \(name(u)) avoiding \(name(v))"
                    )
                }
                switch s.kind {
                case "common-cause-causes":
                    let set = s.set ?? []
                    if Set(set) != reached || set.count != reached.count {
                        fail(s, "the search from \(name(u)) reaches \(nameSet(reached)), not \(nameSet(set))")
                    }
                case "common-cause-no-causes":
                    if !reached.isEmpty { fail(s, "\(name(u)) has the causes \(nameSet(reached)) along such paths") }
                default:
                    fail(s, "a '\(s.kind)' step where the causes of \(name(u)) belong")
                }
            }
            for s in steps[i..<(steps.count - 1)] { fail(s, "the step does not belong after both searches") }
            let shared = found[0].intersection(found[1])
            if last.kind == "common-cause-shared" {
                if !shared.contains(last.c) { fail(last, "\(name(last.c)) is not among the causes of both") }
            } else if !shared.isEmpty {
                fail(last, "\(nameSet(shared)) causes both \(name(x)) and \(name(y))")
            }
        default:
            fail(last, "a common-cause explanation cannot end with a '\(last.kind)' step")
        }
    }

    // MARK: - Mediator

    mutating func replayMediator(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y, z) = (query.x, query.y, query.z)
        checkEnds(last)
        if last.a != z && !(last.kind == "mediator-endpoint" && z < 0) {
            fail(last, "it is about \(name(last.a)), but the question asks about \(name(z))")
        }
        switch last.kind {
        case "mediator-found", "mediator-unreached", "mediator-unreaching":
            conclude(last.kind == "mediator-found")
            let (fromX, afterX) = replaySearchTrace(steps.dropLast(), from: x)
            let (fromZ, afterZ) = replaySearchTrace(steps.dropLast()[afterX...], from: z)
            for s in steps[afterZ..<(steps.count - 1)] { fail(s, "the step does not belong after both searches") }
            let effect = fromX.contains(z)
            let cause = fromZ.contains(y)
            let found = !effect ? "mediator-unreached" : cause ? "mediator-found" : "mediator-unreaching"
            if last.kind != found {
                fail(
                    last,
                    "the searches reach \(name(z)) from \(name(x)): \(effect), \(name(y)) from \(name(z)): \(cause)"
                )
            }
        case "mediator-path":
            conclude(true)
            let derived = replayChains(steps.dropLast())
            for (p, q) in [(x, z), (z, y)] where !derived.contains(edge(p, q)) {
                fail(last, "the steps never derive that \(name(p)) causes \(name(q))")
            }
        case "mediator-not-effect", "mediator-not-cause":
            conclude(false)
            let (from, to) = last.kind == "mediator-not-effect" ? (x, z) : (z, y)
            let (reached, end) = replayLayers(steps.dropLast(), from: from, first: "effects", next: "reach")
            for s in steps[end..<(steps.count - 1)] {
                fail(s, "the step does not follow the breadth-first layers from \(name(from))")
            }
            if reached.contains(to) { fail(last, "\(name(from)) reaches \(name(to))") }
        case "mediator-no-effects", "mediator-node-no-effects":
            conclude(false)
            expectOneStep(steps)
            let from = last.kind == "mediator-no-effects" ? x : z
            if from >= 0 && graph.outDegree(of: from) != 0 {
                fail(last, "the premise states effects of \(name(from)): \(nameSet(graph.children(of: from)))")
            }
        case "mediator-endpoint":
            conclude(false)
            expectOneStep(steps)
            if !isEndpoint { fail(last, "\(name(z)) is neither \(name(x)) nor \(name(y))") }
        default:
            fail(last, "a mediator explanation cannot end with a '\(last.kind)' step")
        }
    }

    // MARK: - Markov blanket

    mutating func replayMarkovBlanket(_ steps: [ParsedStep], last: ParsedStep) {
        let x = query.x
        var truth = parents(x).union(children(x))
        for c in children(x) { truth.formUnion(parents(c)) }
        truth.remove(x)
        let proposed = Set(query.set)
        var members = Set<Int>()
        var childrenStated = Set<Int>()
        for s in steps.dropLast() {
            if s.x != x { fail(s, "it is about \(name(s.x)), but the question asks about \(name(x))") }
            let member: Int
            switch s.kind {
            case "markov-blanket-parent":
                checkQuote(s, s.a, x)
                member = s.a
            case "markov-blanket-child":
                checkQuote(s, x, s.b)
                member = s.b
                childrenStated.insert(s.b)
            case "markov-blanket-co-parent":
                checkQuote(s, s.a, s.b)
                if !childrenStated.contains(s.b) {
                    fail(s, "no earlier step states that \(name(s.b)) is a child of \(name(x))")
                }
                member = s.a
            default:
                fail(s, "a '\(s.kind)' step does not belong before the blanket's conclusion")
                continue
            }
            if member == x { fail(s, "\(name(x)) is not in its own Markov blanket") }
            if !members.insert(member).inserted { fail(s, "\(name(member)) is stated twice") }
        }
        func blanket(_ set: [Int]?, _ s: ParsedStep) {
            let set = Set(set ?? [])
            if members != truth {
                fail(
                    nil,
                    "the Markov blanket of \(name(x)) is \(nameSet(truth)), but the steps derive \(nameSet(members))"
                )
            } else if set != members {
                fail(s, "the steps derive the blanket \(nameSet(members)), not \(nameSet(set))")
            }
        }
        switch last.kind {
        case "markov-blanket-equal":
            conclude(true)
            blanket(last.set, last)
            if Set(last.set ?? []) != proposed { fail(last, "the proposed set is \(nameSet(proposed))") }
        case "markov-blanket-extra":
            conclude(false)
            blanket(last.set, last)
            if !proposed.contains(last.a) { fail(last, "the proposed set does not hold \(name(last.a))") }
            if truth.contains(last.a) { fail(last, "\(name(last.a)) is in the Markov blanket of \(name(x))") }
        case "markov-blanket-missing":
            conclude(false)
            if !members.contains(last.a) {
                fail(last, "no earlier step puts \(name(last.a)) in the Markov blanket of \(name(x))")
            }
            if proposed.contains(last.a) { fail(last, "the proposed set holds \(name(last.a))") }
        case "markov-blanket-isolated", "markov-blanket-isolated-equal":
            let equal = last.kind == "markov-blanket-isolated-equal"
            conclude(equal)
            expectOneStep(steps)
            if !neighbours(x).isEmpty { fail(last, "\(name(x)) is adjacent to \(nameSet(neighbours(x)))") }
            if equal && !proposed.isEmpty { fail(last, "the proposed set is \(nameSet(proposed))") }
            if !equal && !proposed.contains(last.a) { fail(last, "the proposed set does not hold \(name(last.a))") }
        default:
            fail(last, "a Markov blanket explanation cannot end with a '\(last.kind)' step")
        }
    }

    // MARK: - Backdoor

    /// D-separation's replay of `steps` (a trail or a search from `a`, about `a` and `b`) given
    /// `given`, in the graph without the edges out of `cutFrom` (-1: none).
    private mutating func replayDSeparation(
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
            grammar: grammar,
            premise: premise,
            names: names,
            graph: cut,
            query: Query(.dSeparation, a, b, given: given.sorted()),
            label: label
        )
        for s in steps { sub.checkGiven(s) }
        if trail { sub.replayTrail(steps) } else { sub.replaySearch(steps, never: never) }
        problems += sub.problems
    }

    private mutating func replayCut(_ steps: [ParsedStep], trail: Bool) {
        replayDSeparation(steps, query.x, query.y, given: query.set, cutFrom: query.x, trail: trail)
    }

    mutating func replayBackdoor(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
        let set = Set(query.set)
        if last.x != x || (last.y >= 0 && last.y != y) {
            fail(
                last,
                "it is about \(name(last.x)) and \(name(last.y)), but the question asks about \(name(x)) and \(name(y))"
            )
        }
        switch last.kind {
        case "backdoor-endpoint":
            conclude(false)
            expectOneStep(steps)
            if !set.contains(last.a) || (last.a != x && last.a != y) {
                fail(
                    last,
                    "the set \(nameSet(set)) does not hold \(name(last.a)), or it is neither \(name(x)) nor \(name(y))"
                )
            }
        case "backdoor-descendant":
            conclude(false)
            let quoted = quotes(steps.dropLast(), in: "a directed path")
            let t = last.trail ?? []
            if t.first != x || t.last != last.a {
                fail(last, "the path does not run from \(name(x)) to \(name(last.a))")
            }
            if last.forward.contains(false) { fail(last, "the path is not directed from \(name(x))") }
            for k in 0..<max(0, t.count - 1) where !quoted.contains(edge(t[k], t[k + 1])) {
                fail(last, "no earlier step quotes that \(name(t[k])) causes \(name(t[k + 1]))")
            }
            if !set.contains(last.a) { fail(last, "the set \(nameSet(set)) does not hold \(name(last.a))") }
        case "backdoor-open-path":
            conclude(false)
            guard let t = steps.first?.trail, steps.first?.kind == "trail" else {
                fail(nil, "an open-path explanation starts with the trail")
                return
            }
            replayCut(steps, trail: true)
            if last.trail != t { fail(last, "it names another path than the trail") }
            if t.count < 2 || t[0] != x || !graph.hasEdge(t[1], x) {
                fail(steps[0], "the trail does not start with an edge into \(name(x))")
            }
        case "backdoor-blocked", "backdoor-no-cause", "backdoor-blocked-at-causes":
            conclude(true)
            var i = 0
            if !set.isEmpty {
                let (reached, end) = replayLayers(steps.dropLast(), from: x, first: "effects", next: "reach")
                i = end
                if i < steps.count - 1 && steps[i].kind == "backdoor-no-effects" {
                    if Set(steps[i].set ?? []) != set { fail(steps[i], "the adjustment set is \(nameSet(set))") }
                    i += 1
                } else {
                    fail(
                        nil,
                        "the explanation does not show that no node of \(nameSet(set)) is an effect of \(name(x))"
                    )
                }
                let effects = reached.intersection(set)
                if !effects.isEmpty { fail(nil, "\(nameSet(effects)) of the set are effects of \(name(x))") }
            }
            let rest = Array(steps[i..<(steps.count - 1)])
            switch last.kind {
            case "backdoor-no-cause":
                for s in rest { fail(s, "the step does not belong here") }
                if graph.inDegree(of: x) != 0 {
                    fail(last, "the premise states causes of \(name(x)): \(nameSet(parents(x)))")
                }
            case "backdoor-blocked-at-causes":
                for s in rest { fail(s, "the step does not belong here") }
                if parents(x).isEmpty || !parents(x).isSubset(of: set) {
                    fail(last, "the causes of \(name(x)) are \(nameSet(parents(x))), not all in \(nameSet(set))")
                }
            default:
                guard rest.first?.kind == "backdoor-cut", rest.first?.x == x else {
                    fail(nil, "the search does not say that it leaves out the edges out of \(name(x))")
                    return
                }
                replayCut(Array(rest.dropFirst()) + [last], trail: false)
            }
        default:
            fail(last, "a backdoor explanation cannot end with a '\(last.kind)' step")
        }
    }

    // MARK: - Frontdoor

    mutating func replayFrontdoor(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
        let set = Set(query.set)
        if last.x != x || (last.y >= 0 && last.y != y) {
            fail(
                last,
                "it is about \(name(last.x)) and \(name(last.y)), but the question asks about \(name(x)) and \(name(y))"
            )
        }
        /// An open trail from `a` (starting with an edge into it) to `b` given `given`.
        func openTrail(_ a: Int, _ b: Int, given: [Int]) {
            guard let t = steps.first?.trail, steps.first?.kind == "trail" else {
                fail(nil, "an open-path explanation starts with the trail")
                return
            }
            replayDSeparation(steps, a, b, given: given, cutFrom: -1, trail: true)
            if last.trail != t { fail(last, "it names another path than the trail") }
            if t.count < 2 || t[0] != a || !graph.hasEdge(t[1], a) {
                fail(steps[0], "the trail does not start with an edge into \(name(a))")
            }
            if !set.contains(last.a) { fail(last, "the set \(nameSet(set)) does not hold \(name(last.a))") }
        }
        switch last.kind {
        case "frontdoor-empty":
            conclude(false)
            expectOneStep(steps)
            if !set.isEmpty { fail(last, "the set is \(nameSet(set))") }
        case "frontdoor-endpoint":
            conclude(false)
            expectOneStep(steps)
            if !set.contains(last.a) || (last.a != x && last.a != y) {
                fail(
                    last,
                    "the set \(nameSet(set)) does not hold \(name(last.a)), or it is neither \(name(x)) nor \(name(y))"
                )
            }
        case "frontdoor-directed-path":
            conclude(false)
            let quoted = quotes(steps.dropLast(), in: "a directed path")
            let t = last.trail ?? []
            if t.first != x || t.last != y || last.forward.contains(false) {
                fail(last, "the path is not directed from \(name(x)) to \(name(y))")
            }
            for k in 0..<max(0, t.count - 1) where !quoted.contains(edge(t[k], t[k + 1])) {
                fail(last, "no earlier step quotes that \(name(t[k])) causes \(name(t[k + 1]))")
            }
            let inside = set.intersection(t)
            if !inside.isEmpty { fail(last, "the path passes through \(nameSet(inside))") }
        case "frontdoor-backdoor-to-set":
            conclude(false)
            openTrail(x, last.a, given: [])
        case "frontdoor-backdoor-to-y":
            conclude(false)
            openTrail(last.a, y, given: [x])
        case "frontdoor-blocked-by-x":
            conclude(true)
            if set.isEmpty || set.contains(x) || set.contains(y) {
                fail(last, "the set \(nameSet(set)) is empty or holds \(name(x)) or \(name(y))")
            }
            replayFrontdoorConditions(steps, last: last)
        default:
            fail(last, "a frontdoor explanation cannot end with a '\(last.kind)' step")
        }
    }

    /// The three conditions of a Yes: (i) layers from x avoiding S, (ii) the search from x
    /// without its outgoing edges, (iii) per node of S, the search from it given {x}.
    private mutating func replayFrontdoorConditions(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
        let set = Set(query.set)
        let end = steps.count - 1
        let (reached, after) = replayLayers(steps[..<end], from: x, avoidingAll: set, first: "effects", next: "reach")
        var i = after
        guard i < end, steps[i].kind == "frontdoor-intercepts" else {
            fail(
                nil,
                "the explanation does not show that every directed path from \(name(x)) to \(name(y)) passes through \(nameSet(set))"
            )
            return
        }
        if Set(steps[i].set ?? []) != set { fail(steps[i], "the set is \(nameSet(set))") }
        if reached.contains(y) {
            fail(steps[i], "\(name(x)) reaches \(name(y)) without passing through \(nameSet(set))")
        }
        i += 1
        /// A search segment: `backdoor-cut` about `from`, search steps, then a step of kind `conclusion`.
        func search(from a: Int, to b: Int, given: [Int], conclusion: String, never: [Int]) -> Bool {
            guard i < end, steps[i].kind == "backdoor-cut", steps[i].x == a,
                let j = steps[(i + 1)..<end].firstIndex(where: { $0.kind == conclusion })
            else { return false }
            replayDSeparation(Array(steps[(i + 1)...j]), a, b, given: given, cutFrom: a, trail: false, never: never)
            i = j + 1
            return true
        }
        if i < end && steps[i].kind == "frontdoor-no-cause" {
            if graph.inDegree(of: x) != 0 {
                fail(steps[i], "the premise states causes of \(name(x)): \(nameSet(parents(x)))")
            }
            i += 1
        } else if !search(from: x, to: y, given: [], conclusion: "frontdoor-no-backdoor-to-set", never: query.set) {
            fail(nil, "the explanation does not show that no backdoor path from \(name(x)) to \(nameSet(set)) is open")
            return
        }
        for s in query.set {
            if i < end && steps[i].kind == "frontdoor-set-no-cause" && steps[i].a == s {
                if graph.inDegree(of: s) != 0 {
                    fail(steps[i], "the premise states causes of \(name(s)): \(nameSet(parents(s)))")
                }
                i += 1
            } else if !search(from: s, to: y, given: [x], conclusion: "frontdoor-blocked-from", never: [y]) {
                fail(
                    nil,
                    "the explanation does not show that given \(name(x)) every backdoor path from \(name(s)) to \(name(y)) is blocked"
                )
                return
            } else if steps[i - 1].a != s {
                fail(steps[i - 1], "it is about \(name(steps[i - 1].a)), but the search was from \(name(s))")
            }
        }
        for s in steps[i..<end] { fail(s, "the step does not belong after the three conditions") }
    }
}

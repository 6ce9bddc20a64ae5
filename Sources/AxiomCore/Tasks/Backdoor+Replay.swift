extension Backdoor {
    /// The adjustment set's conditions: no effect of x in it, every backdoor trail blocked (the
    /// steps name the set as their conditioning set).
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.replayBackdoor(steps, last: last)
    }
}

extension ExplanationReplay {
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
        case "backdoor-search-descendant", "backdoor-search-open", "backdoor-search-valid":
            replayBackdoorSearch(steps, last: last)
        case "backdoor-blocked", "backdoor-no-cause", "backdoor-blocked-at-causes":
            conclude(true)
            replayValidSet(steps, last: last)
        default:
            fail(last, "a backdoor explanation cannot end with a '\(last.kind)' step")
        }
    }

    /// Yes: (for a non-empty set) the layers of x's effects and that none is in the set, then
    /// why every backdoor trail is blocked: x has no cause, its causes are all in the set, or
    /// the search without x's outgoing edges never reaches y.
    private mutating func replayValidSet(_ steps: [ParsedStep], last: ParsedStep) {
        let x = query.x
        let set = Set(query.set)
        var i = 0
        if !set.isEmpty {
            let (reached, end) = replayLayers(steps.dropLast(), from: x, first: "effects", next: "reach")
            i = end
            if i < steps.count - 1 && steps[i].kind == "backdoor-no-effects" {
                if Set(steps[i].set ?? []) != set { fail(steps[i], "the adjustment set is \(nameSet(set))") }
                i += 1
            } else {
                fail(nil, "the explanation does not show that no node of \(nameSet(set)) is an effect of \(name(x))")
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
    }

    /// The label-neutral search: x's effects (exactly), then the search for trails without x's
    /// outgoing edges given S (exactly, or `backdoor-no-cause` where x has no cause), then a
    /// conclusion the searches show: an effect of x in S, y reached, or neither.
    private mutating func replayBackdoorSearch(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
        let set = Set(query.set)
        if Set(last.set ?? []) != set { fail(last, "the adjustment set is \(nameSet(set))") }
        let (reached, end) = replaySearchTrace(steps[..<(steps.count - 1)], from: x)
        let rest = Array(steps[end..<(steps.count - 1)])
        var cutSearch = false
        switch rest.first?.kind {
        case "backdoor-no-cause":
            if rest.count != 1 { fail(rest[1], "the step does not belong here") }
            if graph.inDegree(of: x) != 0 {
                fail(rest[0], "the premise states causes of \(name(x)): \(nameSet(parents(x)))")
            }
        case "backdoor-cut" where rest[0].x == x:
            cutSearch = true
        default:
            fail(nil, "after the effects of \(name(x)), the search leaves out the edges out of \(name(x))")
            return
        }
        // Whether a backdoor path is open: y d-connected to x given S once x's outgoing edges
        // are removed.
        var cut = CausalGraph(nodeCount: graph.nodeCount)
        for e in graph.edges where e.from != x { cut.addEdge(e.from, e.to) }
        var oracle = Oracles()
        let open = !oracle.dSeparated(cut, x, y, given: query.set)
        switch last.kind {
        case "backdoor-search-descendant":
            conclude(false)
            if !set.contains(last.a) || !reached.contains(last.a) || last.a == x {
                fail(last, "\(name(last.a)) is not an effect of \(name(x)) that \(nameSet(set)) holds")
            }
        case "backdoor-search-open":
            conclude(false)
            if !open { fail(last, "given \(nameSet(set)) no backdoor path from \(name(x)) to \(name(y)) is open") }
        default:
            conclude(true)
            let effects = reached.subtracting([x]).intersection(set)
            if !effects.isEmpty { fail(last, "\(nameSet(effects)) of the set are effects of \(name(x))") }
            if open { fail(last, "given \(nameSet(set)) a backdoor path from \(name(x)) to \(name(y)) is open") }
        }
        if cutSearch {
            replayDSeparation(
                Array(rest.dropFirst()) + [last],
                x,
                y,
                given: query.set,
                cutFrom: x,
                trail: false,
                never: []
            )
        }
    }
}

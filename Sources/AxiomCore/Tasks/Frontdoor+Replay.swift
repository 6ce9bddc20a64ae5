extension Frontdoor {
    /// The front-door conditions, each a replayed search or trail (the steps name their own conditioning sets).
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.replayFrontdoor(steps, last: last)
    }
}

extension ExplanationReplay {
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
        case "frontdoor-search-directed", "frontdoor-search-to-set", "frontdoor-search-to-y", "frontdoor-search-valid":
            replayFrontdoorSearch(steps, last: last)
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

    /// The label-neutral search: (i) layers from x avoiding S, (ii) the search for trails from x
    /// without its outgoing edges, (iii) per node of S (in order) the search from it without its
    /// outgoing edges given {x}, each exact; then a conclusion they show.
    private mutating func replayFrontdoorSearch(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
        let set = Set(query.set)
        if set.isEmpty || set.contains(x) || set.contains(y) {
            fail(last, "the set \(nameSet(set)) is empty or holds \(name(x)) or \(name(y))")
            return
        }
        let end = steps.count - 1
        guard end > 0, steps[0].kind == "frontdoor-search-start", steps[0].x == x, Set(steps[0].set ?? []) == set else {
            fail(steps.first, "the search opens with 'frontdoor-search-start' at \(name(x)), avoiding \(nameSet(set))")
            return
        }
        let (reached, after) = replayLayers(steps[1..<end], from: x, avoidingAll: set, first: "effects", next: "reach")
        var i = after
        /// `backdoor-cut` about `a`, then its search steps, replayed as the search for trails from
        /// `a` without its outgoing edges given `given`.
        func search(from a: Int, given: [Int]) -> Bool {
            guard i < end, steps[i].kind == "backdoor-cut", steps[i].x == a else { return false }
            var j = i + 1
            while j < end && steps[j].kind.hasPrefix("ds-") { j += 1 }
            replayDSeparation(
                Array(steps[(i + 1)..<j]) + [last],
                a,
                y,
                given: given,
                cutFrom: a,
                trail: false,
                never: []
            )
            i = j
            return true
        }
        if i < end && steps[i].kind == "frontdoor-no-cause" {
            if graph.inDegree(of: x) != 0 {
                fail(steps[i], "the premise states causes of \(name(x)): \(nameSet(parents(x)))")
            }
            i += 1
        } else if !search(from: x, given: []) {
            fail(nil, "after the effects of \(name(x)), the search for trails from \(name(x)) is missing")
            return
        }
        for s in query.set {
            if i < end && steps[i].kind == "frontdoor-set-no-cause" && steps[i].a == s {
                if graph.inDegree(of: s) != 0 {
                    fail(steps[i], "the premise states causes of \(name(s)): \(nameSet(parents(s)))")
                }
                i += 1
            } else if !search(from: s, given: [x]) {
                fail(nil, "the search for trails from \(name(s)) is missing")
                return
            }
        }
        for s in steps[i..<end] { fail(s, "the step does not belong after the three searches") }
        // What the searches show, recomputed: a trail into `a` that reaches `b` given `given`.
        func open(_ a: Int, _ b: Int, given: [Int]) -> Bool {
            var cut = CausalGraph(nodeCount: graph.nodeCount)
            for e in graph.edges where e.from != a { cut.addEdge(e.from, e.to) }
            var oracle = Oracles()
            return !oracle.dSeparated(cut, a, b, given: given)
        }
        switch last.kind {
        case "frontdoor-search-directed":
            conclude(false)
            if !reached.contains(y) {
                fail(last, "\(name(x)) does not reach \(name(y)) without passing through \(nameSet(set))")
            }
        case "frontdoor-search-to-set":
            conclude(false)
            if !set.contains(last.a) || !open(x, last.a, given: []) {
                fail(last, "no backdoor path from \(name(x)) to \(name(last.a)) of the set is open")
            }
        case "frontdoor-search-to-y":
            conclude(false)
            if !set.contains(last.a) || !open(last.a, y, given: [x]) {
                fail(last, "given \(name(x)) no backdoor path from \(name(last.a)) of the set to \(name(y)) is open")
            }
        default:
            conclude(true)
            if reached.contains(y) {
                fail(last, "\(name(x)) reaches \(name(y)) without passing through \(nameSet(set))")
            }
            for s in query.set where open(x, s, given: []) {
                fail(last, "a backdoor path from \(name(x)) to \(name(s)) is open")
            }
            for s in query.set where open(s, y, given: [x]) {
                fail(last, "given \(name(x)) a backdoor path from \(name(s)) to \(name(y)) is open")
            }
        }
    }
}

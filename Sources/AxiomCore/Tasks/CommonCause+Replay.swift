extension CommonCause {
    /// A quoted fork (Yes) or the two layered searches for causes (No), or the search style's.
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.checkGiven(steps)
        replay.replayCommonCause(steps, last: last)
    }
}

extension ExplanationReplay {
    mutating func replayCommonCause(_ steps: [ParsedStep], last: ParsedStep) {
        checkEnds(last)
        switch last.kind {
        case "common-cause-fork":
            conclude(true)
            replayFork(steps, last: last)
        case "common-cause-none", "common-cause-shared":
            conclude(last.kind == "common-cause-shared")
            replayCauseSearches(steps, last: last)
        default:
            fail(last, "a common-cause explanation cannot end with a '\(last.kind)' step")
        }
    }

    /// Quoted edges, then the fork: a trail from x to y through c whose links point away from c.
    private mutating func replayFork(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
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
    }

    /// The causes of x avoiding y, then of y avoiding x, then the conclusion about the causes
    /// they share.
    private mutating func replayCauseSearches(_ steps: [ParsedStep], last: ParsedStep) {
        let (x, y) = (query.x, query.y)
        var i = 0
        var found: [Set<Int>] = []
        for (u, v) in [(x, y), (y, x)] {
            guard let reached = replayCauses(of: u, avoiding: v, steps, at: &i) else { return }
            found.append(reached)
        }
        for s in steps[i..<(steps.count - 1)] { fail(s, "the step does not belong after both searches") }
        let shared = found[0].intersection(found[1])
        if last.kind == "common-cause-shared" {
            if !shared.contains(last.c) { fail(last, "\(name(last.c)) is not among the causes of both") }
        } else if !shared.isEmpty {
            fail(last, "\(nameSet(shared)) causes both \(name(x)) and \(name(y))")
        }
    }

    /// One search from `steps[i]`: (in the search style, its opening step,) the layers of u's
    /// causes along paths that avoid v, and the step stating them. Returns what it reaches (nil:
    /// the explanation stops before stating them); `i` moves past it.
    private mutating func replayCauses(
        of u: Int,
        avoiding v: Int,
        _ steps: [ParsedStep],
        at i: inout Int
    ) -> Set<Int>? {
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
        guard i < steps.count - 1 else {
            fail(nil, "the explanation does not state the causes of \(name(u)) along paths that avoid \(name(v))")
            return nil
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
        return reached
    }
}

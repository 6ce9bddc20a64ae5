extension Transitivity {
    /// A chain of quoted edges and steps (Yes), the breadth-first layers from x (No), or the search trace (`explanations: search`).
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.checkGiven(steps)
        replay.replayTransitivity(steps, last: last)
    }
}

extension ExplanationReplay {
    mutating func replayTransitivity(_ steps: [ParsedStep], last: ParsedStep) {
        let x = query.x
        let y = query.y
        if steps[0].kind == "search-start" {
            let (reached, end) = replaySearchTrace(steps[...], from: x)
            for s in steps[end..<(steps.count - 1)] { fail(s, "the step does not belong after the search") }
            checkEnds(last)
            switch last.kind {
            case "search-found":
                conclude(true)
                if !reached.contains(y) { fail(last, "the search never reaches \(name(y))") }
            case "reached-all":
                conclude(false)
                if reached.contains(y) { fail(last, "the search reaches \(name(y))") }
            default:
                fail(last, "a transitivity search cannot end with a '\(last.kind)' step")
            }
            return
        }
        switch last.kind {
        case "quote", "step":
            conclude(true)
            let derived = replayChains(steps[...])
            let quoted = steps.filter { $0.kind == "quote" }.count
            if !derived.contains(CausalGraph.Edge(x, y)) {
                fail(nil, "the steps never derive that \(name(x)) causes \(name(y))")
            }
            var scratch: [UInt64] = []
            if let hops = graph.shortestPathLength(from: x, to: y, scratch: &scratch), quoted != hops {
                fail(
                    nil,
                    "the chain quotes \(quoted) edges, but the shortest chain from \(name(x)) to \(name(y)) has \(hops)"
                )
            }
        case "no-effects":
            conclude(false)
            checkEnds(last)
            if steps.count != 1 { fail(nil, "a 'no-effects' explanation has one step, not \(steps.count)") }
            if graph.outDegree(of: x) != 0 {
                fail(last, "the premise states effects of \(name(x)): \(nameSet(graph.children(of: x)))")
            }
        case "reached-all":
            conclude(false)
            checkEnds(last)
            replayLayers(steps.dropLast())
        default:
            fail(last, "a transitivity explanation cannot end with a '\(last.kind)' step")
        }
    }

    /// `effects`, then `reach` steps: breadth-first layers from x, each exactly right.
    fileprivate mutating func replayLayers(_ steps: ArraySlice<ParsedStep>) {
        let x = query.x
        let (reached, end) = replayLayers(steps, from: x, first: "effects", next: "reach")
        for s in steps[end...] { fail(s, "the step does not follow the breadth-first layers from \(name(x))") }
        if reached.contains(query.y) { fail(nil, "\(name(x)) reaches \(name(query.y))") }
    }
}

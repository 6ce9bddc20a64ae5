extension Mediator {
    /// The quoted directed paths through z, or the search that never reaches it.
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.checkGiven(steps)
        replay.replayMediator(steps, last: last)
    }
}

extension ExplanationReplay {
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
}

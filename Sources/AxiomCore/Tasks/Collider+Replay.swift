extension Collider {
    /// The quoted edges into z and the v-structure, or the edge that shields it or the one missing.
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.checkGiven(steps)
        replay.replayCollider(steps, last: last)
    }
}

extension ExplanationReplay {
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
}

/// The replay of correlation-to-causation explanations: the PC algorithm's steps, each checked
/// against the premise's statistics (the independencies the hidden DAG implies, which the round
/// trip checks the text states) and the Markov equivalence class they determine.
///
/// - `c2c-independent`: the premise states that independence.
/// - `c2c-adjacent`: no independence separates the pair (they are adjacent in the class).
/// - `c2c-collider` a → b ← c: a and c were shown independent given a set without b, both are
///   adjacent to b, and the class orients both edges so.
/// - Meek's rules: the premises the sentence names hold (the arrows were derived by earlier
///   steps, the adjacencies hold) and the class orients the concluded edge so.
/// - `c2c-orient` / `c2c-undirected`: the edge is undirected in the class.
/// - `c2c-common-effect` / `c2c-common-cause`: the named node is one in every member of the class.
/// - The last step concludes the record's label.
extension CorrelationToCausation {
    /// The PC algorithm's steps (the steps name the premise's separating sets).
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.replayCorrelationToCausation(steps, last: last)
    }
}

extension ExplanationReplay {
    private struct PCState {
        var separating: [Int: UInt64] = [:]
        var arrows: Set<CausalGraph.Edge> = []
    }

    mutating func replayCorrelationToCausation(_ steps: [ParsedStep], last: ParsedStep) {
        let model = IndependenceModel(graph)
        let pattern = MarkovClass(model)
        let stated = Set(model.independencies)
        var state = PCState()
        let n = graph.nodeCount
        func key(_ a: Int, _ b: Int) -> Int { min(a, b) * n + max(a, b) }
        for s in steps.dropLast() {
            let (a, b, c) = (s.a, s.b, s.c)
            if s.kind == "c2c-common-effect" || s.kind == "c2c-common-cause" {
                replayCommon(s, pattern: pattern)
                continue
            }
            guard [a, b].allSatisfy((0..<n).contains) else {
                fail(s, "it names a node the premise does not")
                continue
            }
            switch s.kind {
            case "c2c-independent":
                var mask: UInt64 = 0
                for v in s.z ?? [] { mask |= 1 << UInt64(v) }
                if stated.contains(IndependenceModel.Statement(a, b, given: mask)) {
                    state.separating[key(a, b)] = mask
                } else {
                    fail(s, "the premise states no such independence")
                }
            case "c2c-adjacent":
                if !pattern.isAdjacent(a, b) {
                    fail(s, "the premise states an independence of \(name(a)) and \(name(b))")
                }
            case "c2c-collider":
                replayCollider(s, pattern: pattern, state: &state, separating: state.separating[key(a, c)])
            case "c2c-meek-1", "c2c-meek-2", "c2c-meek-3", "c2c-meek-4":
                replayMeek(s, pattern: pattern, state: &state)
            case "c2c-orient":
                if !pattern.isUndirected(a, b) {
                    fail(s, "the edge between \(name(a)) and \(name(b)) is not undirected")
                }
            case "c2c-undirected":
                if !pattern.isUndirected(a, b) {
                    fail(s, "the edge between \(name(a)) and \(name(b)) is not undirected")
                }
                if Set([a, b]) != Set([query.x, query.y]) {
                    fail(s, "it is not the edge between the hypothesis's nodes")
                }
            default:
                fail(s, "a correlation-to-causation explanation has no '\(s.kind)' step before its end")
            }
        }
        switch last.kind {
        case "c2c-holds": conclude(true)
        case "c2c-fails": conclude(false)
        default: fail(last, "a correlation-to-causation explanation cannot end with a '\(last.kind)' step")
        }
        if last.x != query.x || last.y != query.y {
            fail(last, "it is about \(name(last.x)) and \(name(last.y)), not the hypothesis's nodes")
        }
    }

    /// "c is a common effect (cause) of both": so in every member of the class, and the
    /// hypothesis asserts that relation of the question's pair.
    private mutating func replayCommon(_ s: ParsedStep, pattern: MarkovClass) {
        let effect = s.kind == "c2c-common-effect"
        let relation = effect ? CausalRelation.commonEffect : .commonCause
        guard (0..<graph.nodeCount).contains(s.c) else { return fail(s, "it names a node the premise does not") }
        if query.relation != relation.rawValue || s.x != query.x || s.y != query.y {
            fail(
                s,
                "the hypothesis does not assert a common \(effect ? "effect" : "cause") of \(name(s.x)) and \(name(s.y))"
            )
        }
        for k in 0..<pattern.memberCount {
            let shared = CausalRelation.common(
                query.x,
                query.y,
                effect: effect,
                rows: pattern.members,
                offset: k * graph.nodeCount,
                nodeCount: graph.nodeCount
            )
            if shared & (1 << UInt64(s.c)) == 0 {
                return fail(
                    s,
                    "a graph that fits these relations does not have \(name(s.c)) as a common \(effect ? "effect" : "cause")"
                )
            }
        }
    }

    private mutating func replayCollider(
        _ s: ParsedStep,
        pattern: MarkovClass,
        state: inout PCState,
        separating: UInt64?
    ) {
        let (a, b, c) = (s.a, s.b, s.c)
        guard (0..<graph.nodeCount).contains(c) else { return fail(s, "it names a node the premise does not") }
        if let mask = separating {
            if mask & (1 << UInt64(b)) != 0 {
                fail(s, "\(name(b)) is in the set that separates \(name(a)) and \(name(c))")
            }
        } else {
            fail(s, "no earlier step shows \(name(a)) and \(name(c)) independent")
        }
        if !pattern.isAdjacent(a, b) || !pattern.isAdjacent(c, b) {
            fail(s, "\(name(b)) is not adjacent to both \(name(a)) and \(name(c))")
        }
        if !pattern.isDirected(a, b) || !pattern.isDirected(c, b) {
            fail(s, "the relations do not orient \(name(a)) → \(name(b)) ← \(name(c))")
        }
        state.arrows.insert(CausalGraph.Edge(a, b))
        state.arrows.insert(CausalGraph.Edge(c, b))
    }

    /// Meek's rules as the sentences state them (`c2c-meek-N` in the grammar): the arrows a rule
    /// starts from must have been derived already; the edge it orients must be directed so in
    /// the class.
    private mutating func replayMeek(_ s: ParsedStep, pattern: MarkovClass, state: inout PCState) {
        let (a, b, c) = (s.a, s.b, s.c)
        let n = graph.nodeCount
        let set = s.set ?? []
        // Meek's third rule names its two witnesses as a set, the others a node c.
        guard s.kind == "c2c-meek-3" || (0..<n).contains(c), set.allSatisfy((0..<n).contains) else {
            return fail(s, "it names a node the premise does not")
        }
        func arrow(_ p: Int, _ q: Int) {
            if !state.arrows.contains(CausalGraph.Edge(p, q)) {
                fail(s, "no earlier step orients \(name(p)) → \(name(q))")
            }
        }
        func adjacent(_ p: Int, _ q: Int, _ yes: Bool) {
            if pattern.isAdjacent(p, q) != yes {
                fail(s, "\(name(p)) and \(name(q)) are \(yes ? "not " : "")adjacent")
            }
        }
        adjacent(a, b, true)
        switch s.kind {
        case "c2c-meek-1":
            arrow(c, a)
            adjacent(c, b, false)
        case "c2c-meek-2":
            arrow(a, c)
            arrow(c, b)
        case "c2c-meek-3":
            guard set.count == 2 else { return fail(s, "it names \(set.count) non-adjacent nodes, not two") }
            adjacent(set[0], set[1], false)
            for v in set {
                adjacent(v, a, true)
                arrow(v, b)
            }
        default:
            guard set.count == 1 else { return fail(s, "it names \(set.count) middle nodes, not one") }
            arrow(c, set[0])
            arrow(set[0], b)
            adjacent(a, c, true)
            adjacent(a, set[0], true)
            adjacent(c, b, false)
        }
        if !pattern.isDirected(a, b) { fail(s, "the relations do not orient \(name(a)) → \(name(b))") }
        state.arrows.insert(CausalGraph.Edge(a, b))
    }
}

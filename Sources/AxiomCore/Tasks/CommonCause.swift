extension Axiom {
    public static let commonCause = Axiom("common-cause")
}

extension Proof.Kind {
    /// Common cause, Yes: `nodes[0]` is the common cause c, `nodes[1...]` the trail
    /// x ← … ← c → … → y (its two directed paths, the one to x avoiding y and the one to y
    /// avoiding x).
    public static let sharedCause = Proof.Kind("shared-cause")
    /// Common cause, No: `nodes` are the causes of x along paths avoiding y, then -1, then the
    /// causes of y along paths avoiding x (the two share no node).
    public static let noSharedCause = Proof.Kind("no-shared-cause")
}

/// "Do x and y have a common cause?": Yes iff some c ∉ {x, y} has a directed path to x that
/// avoids y and a directed path to y that avoids x.
public struct CommonCause: CausalTask {
    // Predicates of `program`.
    public static let edge = 0
    public static let first = 1
    public static let second = 2
    public static let notFirst = 3
    public static let notSecond = 4
    public static let causeOfFirst = 5
    public static let causeOfSecond = 6
    public static let commonCause = 7

    /// `first(a), edge(b,a), not-second(b) ⊢ cause-of-first(b)`;
    /// `cause-of-first(a), edge(b,a), not-second(b) ⊢ cause-of-first(b)` (the same two for
    /// `second` with `not-first`); `cause-of-first(c), cause-of-second(c) ⊢ common-cause(c)`.
    ///
    /// `first(x)` and `second(y)` anchor the asked pair; "avoids y" is the closed-world base
    /// fact `not-second(v)`, stated for every node v ≠ y (and `not-first(v)` for v ≠ x). The
    /// label is Yes iff some `common-cause(c)` holds; c ∉ {x, y} follows (c ≠ y by
    /// `not-second`, c ≠ x by `not-first`).
    public static let program: RuleProgram = try! RuleProgram(
        predicates: [
            Predicate("edge", arity: 2), Predicate("first", arity: 1), Predicate("second", arity: 1),
            Predicate("not-first", arity: 1), Predicate("not-second", arity: 1),
            Predicate("cause-of-first", arity: 1), Predicate("cause-of-second", arity: 1),
            Predicate("common-cause", arity: 1),
        ],
        rules: [
            Rule("parent-of-first", [Atom(first, 0), Atom(edge, 1, 0), Atom(notSecond, 1)], Atom(causeOfFirst, 1)),
            Rule(
                "ancestor-of-first",
                [Atom(causeOfFirst, 0), Atom(edge, 1, 0), Atom(notSecond, 1)],
                Atom(causeOfFirst, 1)
            ),
            Rule("parent-of-second", [Atom(second, 0), Atom(edge, 1, 0), Atom(notFirst, 1)], Atom(causeOfSecond, 1)),
            Rule(
                "ancestor-of-second",
                [Atom(causeOfSecond, 0), Atom(edge, 1, 0), Atom(notFirst, 1)],
                Atom(causeOfSecond, 1)
            ),
            Rule("common-cause", [Atom(causeOfFirst, 0), Atom(causeOfSecond, 0)], Atom(commonCause, 0)),
        ]
    )

    public var axiom: Axiom { .commonCause }
    public var summary: String {
        "Do x and y have a common cause? Yes iff some other node causes x along a path avoiding y and y along a path avoiding x."
    }
    public var shape: QuestionShape { [.symmetric] }
    public var program: RuleProgram { Self.program }
    public var explanationForms: [ExplanationForm] {
        // The quoted edge of transitivity, then this task's steps.
        ExplanationForm.borrowed(["quote"], from: [Transitivity()]) + [
            ExplanationForm("common-cause-parents", slots: ["x", "y", "a", "list"]),
            ExplanationForm("common-cause-layer", slots: ["x", "y", "a", "list"]),
            ExplanationForm("common-cause-fork", slots: ["x", "y", "c", "trail"]),
            ExplanationForm("common-cause-causes", slots: ["x", "y", "set"]),
            ExplanationForm("common-cause-none", slots: ["x", "y"]),
            ExplanationForm("common-cause-no-causes", slots: ["x", "y"]),
        ]
    }
    /// Per side, `common-cause-search` (the same opening whatever the answer), then the causes
    /// of x avoiding y and of y avoiding x (both always); then `common-cause-shared` (a node
    /// among both) or `common-cause-none`.
    public var searchForms: [ExplanationForm] {
        explanationForms.filter { !["quote", "common-cause-fork"].contains($0.kind) } + [
            ExplanationForm("common-cause-search", slots: ["x", "y"]),
            ExplanationForm("common-cause-shared", slots: ["x", "y", "c"]),
        ]
    }
    public var askExamples: [String] { ["A and B common cause"] }
    public static let cueNames = Cues.pairNames + ["y-source", "shared-parent", "shared-child"]
    public var cueNames: [String] { Self.cueNames }
    public var typeNames: [String] {
        ["yes-shared-parent", "yes-deep", "no-through-other", "no-causal-only", "no-unrelated"]
    }
    public var typeLabels: [Bool] { [true, true, false, false, false] }

    private var engine = RuleEngine(program: CommonCause.program)
    private var graph = CausalGraph()
    private var last: (x: Int, y: Int)? = nil
    private var rowX: [UInt64] = []
    private var rowY: [UInt64] = []
    private var scratch: [UInt64] = []

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        last = nil
    }

    private mutating func derive(_ x: Int, _ y: Int) {
        if let last, last.x == x, last.y == y { return }
        engine.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { engine.state(Self.edge, e.from, e.to) }
        for v in 0..<graph.nodeCount {
            if v != x { engine.state(Self.notFirst, v) }
            if v != y { engine.state(Self.notSecond, v) }
        }
        engine.state(Self.first, x)
        engine.state(Self.second, y)
        engine.run()
        last = (x, y)
    }

    public mutating func answer(_ query: Query) -> Bool {
        guard query.x != query.y else { return false }
        derive(query.x, query.y)
        for c in 0..<graph.nodeCount where engine.holds(Self.commonCause, c) { return true }
        return false
    }

    /// The proper ancestors of `v` in the graph with `blocked` removed, into `row`, by a
    /// breadth-first search over parent bit rows.
    private func ancestors(of v: Int, avoiding blocked: Int, into row: inout [UInt64], scratch: inout [UInt64]) {
        let w = graph.words
        row.resetZero(count: w)
        scratch.resetZero(count: 2 * w)
        scratch.setBit(v)
        var any = true
        while any {
            any = false
            for k in 0..<w { scratch[w + k] = 0 }
            for k in 0..<w {
                var word = scratch[k]
                while word != 0 {
                    let u = k << 6 | word.trailingZeroBitCount
                    word &= word &- 1
                    for j in 0..<w { scratch[w + j] |= graph.parentBits[u * w + j] }
                }
            }
            scratch[w + (blocked >> 6)] &= ~(1 << UInt64(blocked & 63))
            for k in 0..<w {
                let fresh = scratch[w + k] & ~row[k]
                row[k] |= fresh
                scratch[k] = fresh
                if fresh != 0 { any = true }
            }
        }
    }

    /// Intersects the ancestors of x in the graph without y and those of y without x.
    public mutating func check(_ query: Query) -> Bool {
        guard query.x != query.y else { return false }
        ancestors(of: query.x, avoiding: query.y, into: &rowX, scratch: &scratch)
        ancestors(of: query.y, avoiding: query.x, into: &rowY, scratch: &scratch)
        for k in 0..<graph.words where rowX[k] & rowY[k] != 0 { return true }
        return false
    }

    /// The directed path c → … → (the anchor) that derived `fact` (a cause-of-first or
    /// cause-of-second fact), c first.
    private func path(_ fact: Fact, into nodes: inout [Int]) {
        var f = fact
        while true {
            nodes.append(f.a)
            // Premise 0 is the fact it extends: cause-of-… (a parent on the path) or the anchor.
            let previous = engine.premise(0, of: f)!
            if previous.predicate == Self.first || previous.predicate == Self.second {
                nodes.append(previous.a)
                return
            }
            f = previous
        }
    }

    private func pathLength(_ fact: Fact) -> Int {
        var f = fact
        var length = 1
        while let p = engine.premise(0, of: f), p.predicate == fact.predicate {
            f = p
            length += 1
        }
        return length
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        let (x, y) = (query.x, query.y)
        if answer(query) {
            // The common cause with the shortest pair of derived paths: its paths share only c
            // (a shared node would be a common cause with shorter paths).
            var best = -1
            var bestLength = Int.max
            for c in 0..<graph.nodeCount where engine.holds(Self.commonCause, c) {
                let length = pathLength(Fact(Self.causeOfFirst, c)) + pathLength(Fact(Self.causeOfSecond, c))
                if length < bestLength {
                    best = c
                    bestLength = length
                }
            }
            proof.kind = .sharedCause
            proof.nodes.append(best)
            let start = proof.nodes.count
            path(Fact(Self.causeOfFirst, best), into: &proof.nodes)
            proof.nodes[start...].reverse()
            var toY: [Int] = []
            path(Fact(Self.causeOfSecond, best), into: &toY)
            proof.nodes.append(contentsOf: toY.dropFirst())
        } else {
            proof.kind = .noSharedCause
            derive(x, y)
            for v in 0..<graph.nodeCount where engine.holds(Self.causeOfFirst, v) { proof.nodes.append(v) }
            proof.nodes.append(-1)
            for v in 0..<graph.nodeCount where engine.holds(Self.causeOfSecond, v) { proof.nodes.append(v) }
        }
    }

    /// Yes: each edge of the fork x ← … ← c → … → y quoted, then the fork. No: the causes of x
    /// along paths avoiding y, layer by layer (parents first), the same for y, and that the two
    /// share no node.
    ///
    /// - Complexity: O(nodes + edges); at most trail length steps (Yes) or reached nodes + 5 (No).
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let (x, y) = (query.x, query.y)
        if proof.kind == .sharedCause {
            let c = proof.nodes[0]
            let trail = e.pool(proof.nodes.dropFirst())
            var past = false
            for i in trail.lowerBound..<(trail.upperBound - 1) {
                let p = e.nodes[i]
                let q = e.nodes[i + 1]
                if p == c { past = true }
                e.add("quote", x: x, y: y, a: past ? p : q, b: past ? q : p)
            }
            e.add("common-cause-fork", x: x, y: y, c: c, trail: trail)
            return
        }
        addCauses(x, y, opening: false, into: &e)
        e.add("common-cause-none", x: x, y: y)
    }

    /// For each side (x avoiding y, then y avoiding x): `common-cause-search` when `opening`,
    /// the causes layer by layer, then `common-cause-causes` or `common-cause-no-causes`.
    /// Returns the pooled range of x's causes; afterwards `marks` hold the second search (the
    /// causes of y avoiding x, and x and y themselves).
    @discardableResult
    private func addCauses(_ x: Int, _ y: Int, opening: Bool, into e: inout Explanation) -> Range<Int> {
        var causesOfX = 0..<0
        for side in 0..<2 {
            let (u, v) = side == 0 ? (x, y) : (y, x)
            if opening { e.add("common-cause-search", x: u, y: v) }
            let start = e.nodes.count
            let reached = e.addLayers(
                from: u,
                upward: true,
                avoiding: v,
                in: graph,
                first: "common-cause-parents",
                next: "common-cause-layer",
                x: u,
                y: v
            )
            if reached == 0 {
                e.add("common-cause-no-causes", x: u, y: v)
            } else {
                e.add("common-cause-causes", x: u, y: v, set: start..<e.nodes.count)
            }
            if side == 0 { causesOfX = start..<e.nodes.count }
        }
        return causesOfX
    }

    /// The layered causes of each side avoiding the other, whatever the answer, then the first
    /// cause of x's (in the order reached) that is also one of y's, or none.
    ///
    /// - Complexity: O(nodes + edges).
    public func explainSearch(_ query: Query, into e: inout Explanation) {
        e.removeAll()
        let (x, y) = (query.x, query.y)
        let causesOfX = addCauses(x, y, opening: true, into: &e)
        for i in causesOfX {
            let c = e.nodes[i]
            if c != x && c != y && e.marks[c] >= 0 {
                e.add("common-cause-shared", x: x, y: y, c: c)
                return
            }
        }
        e.add("common-cause-none", x: x, y: y)
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        let y = names[query.y]
        if proof.kind == .sharedCause {
            let c = names[proof.nodes[0]]
            let trail = Array(proof.nodes.dropFirst())
            var text = names[trail[0]]
            for i in 1..<trail.count {
                text += (graph.hasEdge(trail[i - 1], trail[i]) ? " -> " : " <- ") + names[trail[i]]
            }
            return "Yes: \(x) and \(y) have a common cause, \(c).\nProof: \(text)\n"
                + "  \(c) causes \(x) along a path avoiding \(y), and \(y) along a path avoiding \(x)  (common-cause)\n"
        }
        let split = proof.nodes.firstIndex(of: -1)!
        let cx = proof.nodes[..<split].map { names[$0] }
        let cy = proof.nodes[(split + 1)...].map { names[$0] }
        return "No: \(x) and \(y) have no common cause.\n"
            + "Proof: the causes of \(x) along paths avoiding \(y) are {\(cx.joined(separator: ", "))}; "
            + "the causes of \(y) along paths avoiding \(x) are {\(cy.joined(separator: ", "))}; they share no node.\n"
    }

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        let (x, y) = (query.x, query.y)
        var bits = Cues.pair(x, y, graph: graph, mention: mention)
        var sharedParent = false
        var sharedChild = false
        for v in 0..<graph.nodeCount where v != x && v != y {
            if graph.hasEdge(v, x) && graph.hasEdge(v, y) { sharedParent = true }
            if graph.hasEdge(x, v) && graph.hasEdge(y, v) { sharedChild = true }
        }
        let base = Cues.pairNames.count
        for (i, on) in [graph.inDegree(of: y) == 0, sharedParent, sharedChild].enumerated() where on {
            bits |= 1 << UInt32(base + i)
        }
        return bits
    }

    /// Yes: yes-shared-parent (some node causes both directly), yes-deep (only longer paths).
    /// No: no-through-other (a common ancestor exists, but every path from it to one of them
    /// passes the other), no-causal-only (one causes the other, no common ancestor),
    /// no-unrelated.
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        let (x, y) = (query.x, query.y)
        if label {
            for v in 0..<graph.nodeCount where v != x && v != y && graph.hasEdge(v, x) && graph.hasEdge(v, y) {
                return 0
            }
            return 1
        }
        var ax: [UInt64] = []
        var ay: [UInt64] = []
        var s: [UInt64] = []
        // All ancestors: x and y are not their own ancestors, so blocking them removes nothing.
        ancestors(of: x, avoiding: x, into: &ax, scratch: &s)
        ancestors(of: y, avoiding: y, into: &ay, scratch: &s)
        var shared = false
        for v in 0..<graph.nodeCount where v != x && v != y && ax.testBit(v) && ay.testBit(v) { shared = true }
        if shared { return 2 }
        return ax.testBit(y) || ay.testBit(x) ? 3 : 4
    }

    /// 60% of the draws are uniform pairs; the others take a node c with two effects (when one
    /// exists), and walk down 0–2 random steps from two of its effects: shared parents, deep
    /// common causes, and walks that pass one end on the way to the other.
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        drawPair(from: candidates, givenSize: 0, into: &query, scratch: &scratch, using: &rng)
        if rng.chance(0.6) { return }
        scratch.removeAll(keepingCapacity: true)
        for v in candidates where graph.outDegree(of: v) >= 2 { scratch.append(v) }
        guard !scratch.isEmpty else { return }
        let c = scratch[rng.below(scratch.count)]
        scratch.removeAll(keepingCapacity: true)
        forEachBit(graph.childBits, offset: c * graph.words, words: graph.words) { scratch.append($0) }
        let i = rng.below(scratch.count)
        var j = rng.below(scratch.count - 1)
        if j >= i { j += 1 }
        let (a, b) = (scratch[i], scratch[j])
        let x = walk(from: a, steps: rng.below(3), scratch: &scratch, using: &rng)
        let y = walk(from: b, steps: rng.below(3), scratch: &scratch, using: &rng)
        if x != y {
            query.x = x
            query.y = y
        }
    }

    /// The end of a random walk down from `v` of at most `steps` edges.
    func walk(from v: Int, steps: Int, scratch: inout [Int], using rng: inout SeededRNG) -> Int {
        var u = v
        for _ in 0..<steps {
            scratch.removeAll(keepingCapacity: true)
            forEachBit(graph.childBits, offset: u * graph.words, words: graph.words) { scratch.append($0) }
            if scratch.isEmpty { break }
            u = scratch[rng.below(scratch.count)]
        }
        return u
    }

    /// "A and B common cause" (or "[Do] A and B have a common cause", "… share a common cause").
    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        var w = words.map { $0.lowercased() }
        var words = words
        if w.first == "do" {
            w.removeFirst()
            words.removeFirst()
        }
        guard w.count >= 5, w[1] == "and" else { return nil }
        if w.count == 7, ["have", "share"].contains(w[3]), w[4] == "a" { w.removeSubrange(3...4) }
        guard w.count == 5, w[3] == "common", w[4] == "cause" else { return nil }
        let x = try lookup(words[0])
        let y = try lookup(words[2])
        guard x != y else { throw SyntaxError("ask about two different nodes") }
        return Query(.commonCause, x, y)
    }
}

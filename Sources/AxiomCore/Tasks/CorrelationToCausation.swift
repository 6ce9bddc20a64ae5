extension Axiom {
    public static let correlationToCausation = Axiom("correlation-to-causation")
}

extension Proof.Kind {
    /// Corr2Cause, Yes: `nodes` are the logged steps (see `CorrelationToCausation.prove`).
    public static let relationHoldsInClass = Proof.Kind("relation-holds-in-class")
    /// Corr2Cause, No: the logged steps, then a member of the class without the relation.
    public static let relationFailsInClass = Proof.Kind("relation-fails-in-class")
}

/// The six relations a Corr2Cause hypothesis asserts between x and y.
public enum CausalRelation: Int, Sendable, CaseIterable {
    /// x → y.
    case parent
    /// x is an ancestor of y but not a parent: every directed path x ⇝ y has length ≥ 2.
    case nonParentAncestor
    /// y → x.
    case child
    /// y is an ancestor of x but not a parent.
    case nonChildDescendant
    /// Some c ∉ {x, y} has a directed path from x avoiding y and one from y avoiding x.
    case commonEffect
    /// Some c ∉ {x, y} has a directed path to x avoiding y and one to y avoiding x.
    case commonCause

    public var name: String {
        ["parent", "non-parent-ancestor", "child", "non-child-descendant", "common-effect", "common-cause"][rawValue]
    }

    /// Bit `r` set when relation r holds for (x, y) in the DAG with child rows `rows`.
    public static func bits(_ x: Int, _ y: Int, rows: [UInt64], offset: Int = 0, nodeCount n: Int) -> UInt8 {
        func reach(_ from: Int, avoiding: Int, forward: Bool) -> UInt64 {
            Self.reach(from, avoiding: avoiding, forward: forward, rows: rows, offset: offset, nodeCount: n)
        }
        let bx: UInt64 = 1 << UInt64(x)
        let by: UInt64 = 1 << UInt64(y)
        let parent = rows[offset + x] & by != 0
        let child = rows[offset + y] & bx != 0
        let ancestor = reach(x, avoiding: -1, forward: true) & by != 0
        let descendant = reach(y, avoiding: -1, forward: true) & bx != 0
        let effect = common(x, y, effect: true, rows: rows, offset: offset, nodeCount: n) != 0
        let cause = common(x, y, effect: false, rows: rows, offset: offset, nodeCount: n) != 0
        var out: UInt8 = 0
        if parent { out |= 1 }
        if ancestor && !parent { out |= 2 }
        if child { out |= 4 }
        if descendant && !child { out |= 8 }
        if effect { out |= 16 }
        if cause { out |= 32 }
        return out
    }

    /// The nodes reached from `from` along directed edges (against them unless `forward`), never
    /// through `avoiding` (-1: none), `from` included; `rows` are child bit masks from `offset`.
    public static func reach(
        _ from: Int,
        avoiding: Int,
        forward: Bool,
        rows: [UInt64],
        offset: Int = 0,
        nodeCount n: Int
    ) -> UInt64 {
        var seen: UInt64 = 1 << UInt64(from)
        var stack = seen
        while stack != 0 {
            let v = stack.trailingZeroBitCount
            stack &= stack &- 1
            var next: UInt64 = 0
            if forward {
                next = rows[offset + v]
            } else {
                for u in 0..<n where rows[offset + u] & (1 << UInt64(v)) != 0 { next |= 1 << UInt64(u) }
            }
            next &= ~seen
            if avoiding >= 0 { next &= ~(1 << UInt64(avoiding)) }
            seen |= next
            stack |= next
        }
        return seen
    }

    /// The common effects (`effect`) or common causes of x and y in one graph, as a bit mask: the
    /// nodes c ∉ {x, y} reached from (reaching) x along paths avoiding y and from (reaching) y
    /// along paths avoiding x.
    public static func common(
        _ x: Int,
        _ y: Int,
        effect: Bool,
        rows: [UInt64],
        offset: Int = 0,
        nodeCount n: Int
    ) -> UInt64 {
        let fromX = reach(x, avoiding: y, forward: effect, rows: rows, offset: offset, nodeCount: n)
        let fromY = reach(y, avoiding: x, forward: effect, rows: rows, offset: offset, nodeCount: n)
        return fromX & fromY & ~(1 << UInt64(x) | 1 << UInt64(y))
    }
}

/// Corr2Cause-style inference: the premise lists every statistical relation a hidden DAG implies
/// (correlations, then every conditional independence); the hypothesis asserts one of six
/// relations between x and y. Yes iff the relation holds in every DAG of the hidden DAG's Markov
/// equivalence class — the graphs no list of statistical relations can tell apart.
public struct CorrelationToCausation: CausalTask {
    // Predicates of `program`, over the CPDAG the Meek rules leave.
    public static let directed = 0
    public static let definite = 1
    public static let source = 2

    /// The class itself comes from `MarkovClass` (skeleton, colliders, Meek R1–R4, logged as
    /// steps); this program derives, on the CPDAG's directed edges, the causal chains that hold
    /// in every member: `source(a), directed(a,b) ⊢ definite(a,b)`;
    /// `definite(a,b), directed(b,c) ⊢ definite(a,c)`. A definite chain proves an ancestor
    /// relation without looking at members; everything else is read off the members.
    public static let program: RuleProgram = try! RuleProgram(
        predicates: [Predicate("directed", arity: 2), Predicate("definite", arity: 2), Predicate("source", arity: 1)],
        rules: [
            Rule("oriented", [Atom(source, 0), Atom(directed, 0, 1)], Atom(definite, 0, 1)),
            Rule("chain", [Atom(definite, 0, 1), Atom(directed, 1, 2)], Atom(definite, 0, 2)),
        ]
    )

    public var axiom: Axiom { .correlationToCausation }
    public var summary: String {
        "Does a relation (parent, ancestor, child, descendant, common effect, common cause) follow from correlations and independencies? Yes iff it holds in every DAG of the Markov equivalence class."
    }
    public var shape: QuestionShape { [.relation] }
    public var program: RuleProgram { Self.program }
    public var premiseStyle: PremiseStyle { .statistics }
    public var difficulty: Difficulty { .statistics }
    public var relationNames: [String] { CausalRelation.allCases.map(\.name) }
    public var explanationForms: [ExplanationForm] {
        [
            ExplanationForm("c2c-independent", slots: ["a", "b"], conditioned: ["a", "b", "z"]),
            ExplanationForm("c2c-adjacent", slots: ["a", "b"]),
            ExplanationForm("c2c-collider", slots: ["a", "b", "c"]),
            ExplanationForm("c2c-meek-1", slots: ["a", "b", "c"]),
            ExplanationForm("c2c-meek-2", slots: ["a", "b", "c"]),
            ExplanationForm("c2c-meek-3", slots: ["a", "b", "set"]),
            ExplanationForm("c2c-meek-4", slots: ["a", "b", "c", "set"]),
            ExplanationForm("c2c-undirected", slots: ["a", "b"]),
            ExplanationForm("c2c-orient", slots: ["a", "b"]),
            ExplanationForm("c2c-common-effect", slots: ["x", "y", "c"]),
            ExplanationForm("c2c-common-cause", slots: ["x", "y", "c"]),
            ExplanationForm("c2c-holds", slots: ["x", "y"]),
            ExplanationForm("c2c-fails", slots: ["x", "y"]),
        ]
    }
    public var askExamples: [String] { ["A corr2cause parent B", "A corr2cause common-cause B"] }
    public var cueNames: [String] {
        [
            "x-y-correlate", "x-y-adjacent", "x-y-independent-given-some", "x-first", "x-more-independencies",
            "x-y-common-neighbor", "x-y-collider-between",
        ]
    }
    public var typeNames: [String] { CausalRelation.allCases.flatMap { ["\($0.name)-yes", "\($0.name)-no"] } }
    public var typeLabels: [Bool] { CausalRelation.allCases.flatMap { _ in [true, false] } }

    private var engine = RuleEngine(program: CorrelationToCausation.program)
    private var graph = CausalGraph()
    private var model = IndependenceModel()
    private var pattern: MarkovClass?
    /// Per (relation, x, y): holds in every member (rule side), and the first member without it.
    private var holds: [Bool] = []
    private var counterexample: [Int] = []
    private var definiteFrom = -1
    /// The second algorithm's labels per (relation, x, y), computed on first use (draws read
    /// them once a check has run).
    private var checked: [Bool] = []
    private var modelReady = false

    public init() {}

    /// Loads a graph; its statements and class are derived when a question needs them (the
    /// reasoner prepares every task for graphs of any size).
    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        modelReady = false
        pattern = nil
        checked.removeAll(keepingCapacity: true)
        definiteFrom = -1
    }

    private mutating func loadModel() {
        if modelReady { return }
        model = IndependenceModel(graph)
        modelReady = true
    }

    private mutating func derive() {
        loadModel()
        if pattern != nil { return }
        let p = MarkovClass(model)
        let n = model.nodeCount
        holds = [Bool](repeating: true, count: 6 * n * n)
        counterexample = [Int](repeating: -1, count: 6 * n * n)
        for k in 0..<p.memberCount {
            for x in 0..<n {
                for y in 0..<n where x != y {
                    let bits = CausalRelation.bits(x, y, rows: p.members, offset: k * n, nodeCount: n)
                    for r in 0..<6 where bits & (1 << UInt8(r)) == 0 && holds[(r * n + x) * n + y] {
                        holds[(r * n + x) * n + y] = false
                        counterexample[(r * n + x) * n + y] = k
                    }
                }
            }
        }
        pattern = p
    }

    private mutating func deriveDefinite(from x: Int) {
        if definiteFrom == x { return }
        let p = pattern!
        engine.begin(nodeCount: p.nodeCount)
        for a in 0..<p.nodeCount {
            for b in 0..<p.nodeCount where p.isDirected(a, b) { engine.state(Self.directed, a, b) }
        }
        engine.state(Self.source, x)
        engine.run()
        definiteFrom = x
    }

    public mutating func answer(_ query: Query) -> Bool {
        derive()
        let n = model.nodeCount
        let x = query.x
        let y = query.y
        guard x != y, let r = CausalRelation(rawValue: query.relation) else { return false }
        switch r {
        case .parent: return pattern!.isDirected(x, y)
        case .child: return pattern!.isDirected(y, x)
        case .nonParentAncestor, .nonChildDescendant:
            // Adjacent pairs are a parent or a child in some member.
            let (a, b) = r == .nonParentAncestor ? (x, y) : (y, x)
            if pattern!.isAdjacent(a, b) { return false }
            deriveDefinite(from: a)
            if engine.holds(Self.definite, a, b) { return true }
            return holds[(r.rawValue * n + x) * n + y]
        default:
            return holds[(r.rawValue * n + x) * n + y]
        }
    }

    // MARK: - The second algorithm (`classLabels`, in CorrelationToCausation+Oracle.swift)

    public mutating func check(_ query: Query) -> Bool {
        loadModel()
        if checked.isEmpty { checked = Self.classLabels(model) }
        let n = model.nodeCount
        guard query.x != query.y, (0..<6).contains(query.relation) else { return false }
        return checked[(query.relation * n + query.x) * n + query.y]
    }

    // MARK: - Proofs

    /// `nodes`: quadruples (rule, a, b, c) of the class's steps — rule 0 separated (c: the set
    /// as a bit pattern), 1 adjacent, 2 collider a → b ← c, 3–6 Meek R1–R4 (a → b, witness c;
    /// R3 and R4 add a quadruple (7, d, 0, 0) for their second witness); then for No
    /// (8, a, b, 0) per undirected edge a → b of a member without the relation, or (9, a, b, 0)
    /// when the x–y edge is undirected; for a common effect (cause) that holds, (10 or 11, c, 0, 0)
    /// names one node that is a common effect (cause) in every member, when one is.
    public mutating func prove(_ query: Query, into proof: inout Proof) {
        let yes = answer(query)
        let p = pattern!
        let n = model.nodeCount
        proof.kind = yes ? .relationHoldsInClass : .relationFailsInClass
        proof.nodes.removeAll(keepingCapacity: true)
        for s in p.steps {
            switch s.rule {
            case .separated: proof.nodes += [0, s.a, s.b, Int(bitPattern: UInt(s.given))]
            case .adjacent: proof.nodes += [1, s.a, s.b, 0]
            case .collider: proof.nodes += [2, s.a, s.b, s.c]
            case .meek1, .meek2: proof.nodes += [s.rule.rawValue, s.a, s.b, s.c]
            case .meek3, .meek4: proof.nodes += [s.rule.rawValue, s.a, s.b, s.c, 7, s.d, 0, 0]
            }
        }
        if yes, let r = CausalRelation(rawValue: query.relation), r == .commonEffect || r == .commonCause {
            // A node that is a common effect (cause) in every member, when one is: the explanation names it.
            var shared: UInt64 = ~0
            for k in 0..<p.memberCount {
                shared &= CausalRelation.common(
                    query.x,
                    query.y,
                    effect: r == .commonEffect,
                    rows: p.members,
                    offset: k * n,
                    nodeCount: n
                )
            }
            if shared != 0 && p.memberCount > 0 {
                proof.nodes += [r == .commonEffect ? 10 : 11, shared.trailingZeroBitCount, 0, 0]
            }
        }
        guard !yes, let r = CausalRelation(rawValue: query.relation) else { return }
        let x = query.x
        let y = query.y
        if (r == .parent || r == .child) && p.isUndirected(x, y) {
            proof.nodes += [9, x, y, 0]
            return
        }
        let k = counterexample[(r.rawValue * n + x) * n + y]
        guard k >= 0 else { return }
        for a in 0..<n {
            for b in 0..<n where p.isUndirected(a, b) && p.members[k * n + a] & (1 << UInt64(b)) != 0 {
                proof.nodes += [8, a, b, 0]
            }
        }
    }

    private static let ruleKinds = [
        "c2c-independent", "c2c-adjacent", "c2c-collider", "c2c-meek-1", "c2c-meek-2", "c2c-meek-3", "c2c-meek-4",
    ]

    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let p = proof.nodes
        var i = 0
        while i + 3 < p.count {
            let code = p[i]
            let a = p[i + 1]
            let b = p[i + 2]
            let c = p[i + 3]
            switch code {
            case 0:
                let mask = UInt64(UInt(bitPattern: c))
                let given = e.pool(IndependenceModel.ranks(mask))
                e.add("c2c-independent", conditioned: mask != 0, x: query.x, y: query.y, a: a, b: b, given: given)
            case 1, 2, 3, 4:
                e.add(Self.ruleKinds[code], x: query.x, y: query.y, a: a, b: b, c: c)
            case 5, 6:
                let d = i + 7 < p.count && p[i + 4] == 7 ? p[i + 5] : c
                let set = e.pool(code == 5 ? [c, d].sorted() : [d])
                e.add(Self.ruleKinds[code], x: query.x, y: query.y, a: a, b: b, c: c, set: set)
                i += 4
            case 10: e.add("c2c-common-effect", x: query.x, y: query.y, c: a)
            case 11: e.add("c2c-common-cause", x: query.x, y: query.y, c: a)
            case 8: e.add("c2c-orient", x: query.x, y: query.y, a: a, b: b)
            case 9: e.add("c2c-undirected", x: query.x, y: query.y, a: a, b: b)
            default: break
            }
            i += 4
        }
        e.add(proof.kind == .relationHoldsInClass ? "c2c-holds" : "c2c-fails", x: query.x, y: query.y)
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let relation = CausalRelation(rawValue: query.relation)?.name ?? "?"
        let yes = proof.kind == .relationHoldsInClass
        var out =
            "\(yes ? "Yes" : "No"): \(relation)(\(names[query.x]), \(names[query.y])) \(yes ? "holds" : "does not hold") in every DAG of the Markov equivalence class (\(pattern!.memberCount) DAGs).\nProof:\n"
        let p = proof.nodes
        var i = 0
        while i + 3 < p.count {
            let code = p[i]
            let a = names[p[i + 1]]
            let b = names[p[i + 2]]
            switch code {
            case 0:
                let set = IndependenceModel.ranks(UInt64(UInt(bitPattern: p[i + 3]))).map { names[$0] }
                out +=
                    "  \(a) and \(b) are independent given {\(set.joined(separator: ", "))}, so not adjacent  (skeleton)\n"
            case 1: out += "  no independence separates \(a) and \(b), so they are adjacent  (skeleton)\n"
            case 2: out += "  \(a) -> \(b) <- \(names[p[i + 3]]): \(b) is not in the set separating them  (collider)\n"
            case 3, 4, 5, 6: out += "  \(a) -> \(b)  (Meek R\(code - 2), via \(names[p[i + 3]]))\n"
            case 8: out += "  a member orients \(a) -> \(b)\n"
            case 9: out += "  \(a) - \(b) is undirected: some member has \(b) -> \(a)\n"
            case 10: out += "  \(a) is a common effect of both in every member\n"
            case 11: out += "  \(a) is a common cause of both in every member\n"
            default: break
            }
            i += 4
        }
        return out
    }

    // MARK: - Cues, types, draws

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        let model = modelReady ? self.model : IndependenceModel(graph)
        var bits: UInt32 = 0
        func set(_ i: Int, _ on: Bool) { if on { bits |= 1 << UInt32(i) } }
        let x = query.x
        let y = query.y
        let n = model.nodeCount
        let lo = min(x, y)
        let hi = max(x, y)
        var separatedXY = false
        var marginal = false
        var countX = 0
        var countY = 0
        var separated = [Bool](repeating: false, count: n * n)
        for s in model.independencies {
            separated[s.a * n + s.b] = true
            separated[s.b * n + s.a] = true
            if s.a == lo && s.b == hi {
                separatedXY = true
                if s.given == 0 { marginal = true }
            }
            if s.a == x || s.b == x { countX += 1 }
            if s.a == y || s.b == y { countY += 1 }
        }
        func adjacent(_ a: Int, _ b: Int) -> Bool { a != b && !separated[a * n + b] }
        set(0, !marginal)
        set(1, !separatedXY)
        set(2, separatedXY)
        set(3, mention[x] < mention[y])
        set(4, countX > countY)
        set(5, (0..<n).contains { adjacent($0, x) && adjacent($0, y) })
        // x – m – y unshielded with m in no set separating x and y.
        set(
            6,
            separatedXY
                && (0..<n).contains { m in
                    adjacent(m, x) && adjacent(m, y)
                        && !model.independencies.contains { $0.a == lo && $0.b == hi && $0.given >> UInt64(m) & 1 == 1 }
                }
        )
        return bits
    }

    /// child(x, y) is parent(y, x) and non-child-descendant(x, y) is non-parent-ancestor(y, x):
    /// Corr2Cause words both of each pair the same way ("y directly causes x").
    public func normalized(_ query: Query) -> Query {
        switch CausalRelation(rawValue: query.relation) {
        case .child: return Query(axiom, query.y, query.x, relation: CausalRelation.parent.rawValue)
        case .nonChildDescendant:
            return Query(axiom, query.y, query.x, relation: CausalRelation.nonParentAncestor.rawValue)
        default: return query
        }
    }

    public mutating func questionType(_ query: Query, label: Bool) -> Int { query.relation * 2 + (label ? 0 : 1) }

    public func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        draw(from: candidates, givenSize: givenSize, type: -1, into: &query, scratch: &scratch, using: &rng)
    }

    /// A question of the wanted type (relation and label) when the graph has one: a uniform
    /// pair among those whose label (by the second algorithm) is the type's; otherwise a uniform
    /// pair with the wanted relation, whose label is then the other one, so the sampler moves on
    /// to another graph rather than take another relation (relations stay balanced per label).
    /// Without a wanted type: a uniform pair and relation.
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        type: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        if type >= 0 && !checked.isEmpty {
            let n = model.nodeCount
            let r = type / 2
            let label = type % 2 == 0
            scratch.removeAll(keepingCapacity: true)
            for x in candidates {
                for y in candidates where x != y && checked[(r * n + x) * n + y] == label { scratch.append(x * n + y) }
            }
            if !scratch.isEmpty {
                let pick = scratch[rng.below(scratch.count)]
                query = Query(axiom, pick / n, pick % n, relation: r)
                return
            }
        }
        drawPair(from: candidates, givenSize: 0, into: &query, scratch: &scratch, using: &rng)
        query.relation = type >= 0 ? type / 2 : rng.below(6)
    }

    /// Every ordered pair with every relation.
    public func questions(nodeCount n: Int, givenSizes: ClosedRange<Int>) -> [Query] {
        var out: [Query] = []
        for x in 0..<n {
            for y in 0..<n where x != y { for r in 0..<6 { out.append(Query(axiom, x, y, relation: r)) } }
        }
        return out
    }

    /// "A corr2cause parent B" (any relation name).
    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        guard words.count == 4, words[1].lowercased() == "corr2cause",
            let r = CausalRelation.allCases.first(where: { $0.name == words[2].lowercased() })
        else { return nil }
        let x = try lookup(words[0])
        let y = try lookup(words[3])
        guard x != y else { throw SyntaxError("ask about two different nodes") }
        return Query(axiom, x, y, relation: r.rawValue)
    }
}

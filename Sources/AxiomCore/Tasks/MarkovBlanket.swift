extension Axiom {
    public static let markovBlanket = Axiom("markov-blanket")
}

extension Proof.Kind {
    /// Markov blanket, Yes: `nodes` are (member, role, via) triples for the whole blanket; role 0
    /// is a parent of x, 1 a child, 2 another parent of the child `via`.
    public static let markovBlanketEqual = Proof.Kind("markov-blanket-equal")
    /// Markov blanket, No: `nodes` start with the triple of a blanket member the set leaves out.
    public static let markovBlanketMissing = Proof.Kind("markov-blanket-missing")
    /// Markov blanket, No: `nodes[0]` is a set member outside the blanket; then the blanket's
    /// triples.
    public static let markovBlanketExtra = Proof.Kind("markov-blanket-extra")
}

/// "Is S the Markov blanket of x?": Yes iff S = Pa(x) ∪ Ch(x) ∪ Pa(Ch(x)) minus x.
///
/// Questions name no y: `query.y = query.x`.
public struct MarkovBlanket: CausalTask {
    // Predicates of `program`.
    public static let edge = 0
    public static let target = 1
    public static let child = 2
    public static let blanket = 3

    /// `target(x)` is the asked node; `blanket(v)` derives its parents, children and the
    /// children's parents (also `blanket(x)` when x has a child, which the label ignores). The
    /// fixpoint depends on x alone; Yes iff S is exactly {v ≠ x : blanket(v)}, read off it: a
    /// set node without `blanket(v)` (absence, which Horn rules cannot derive) or a blanket
    /// node outside S makes it No.
    public static let program: RuleProgram = try! RuleProgram(
        predicates: [
            Predicate("edge", arity: 2), Predicate("target", arity: 1), Predicate("child", arity: 1),
            Predicate("blanket", arity: 1),
        ],
        rules: [
            Rule("parent", [Atom(target, 0), Atom(edge, 1, 0)], Atom(blanket, 1)),
            Rule("child", [Atom(target, 0), Atom(edge, 0, 1)], Atom(child, 1)),
            Rule("child-in-blanket", [Atom(child, 0)], Atom(blanket, 0)),
            Rule("co-parent", [Atom(child, 0), Atom(edge, 1, 0)], Atom(blanket, 1)),
        ]
    )

    public var axiom: Axiom { .markovBlanket }
    public var summary: String {
        "Is S the Markov blanket of x? Yes iff S is exactly x's parents, children and the children's other parents."
    }
    public var shape: QuestionShape { [.set] }
    public var program: RuleProgram { Self.program }
    public var questionForms: [QuestionForm] { [QuestionForm(conditioned: false, slots: ["x", "set"])] }
    public var explanationForms: [ExplanationForm] {
        // Role steps quote the edge a → b: parent a → x, child x → b, co-parent a → b (b a child).
        [
            ExplanationForm("markov-blanket-parent", slots: ["x", "a", "b", "quote"]),
            ExplanationForm("markov-blanket-child", slots: ["x", "a", "b", "quote"]),
            ExplanationForm("markov-blanket-co-parent", slots: ["x", "a", "b", "quote"]),
            ExplanationForm("markov-blanket-equal", slots: ["x", "set"]),
            ExplanationForm("markov-blanket-missing", slots: ["x", "a"]),
            ExplanationForm("markov-blanket-extra", slots: ["x", "a", "set"]),
            // x has no neighbours: the blanket is empty (never "the blanket is nothing").
            ExplanationForm("markov-blanket-isolated", slots: ["x", "a"]),
            ExplanationForm("markov-blanket-isolated-equal", slots: ["x"]),
        ]
    }
    public var askExamples: [String] { ["{C, D} markov blanket of A"] }
    public var cueNames: [String] {
        [
            "set-empty", "set-size-gt-2", "set-holds-parent-of-x", "set-holds-child-of-x", "set-holds-nonadjacent",
            "set-size-eq-degree", "x-source", "x-sink", "set-mentioned-before-x",
        ]
    }
    public var typeNames: [String] {
        [
            "yes-with-co-parents", "yes-neighbors-only", "no-missing-co-parent", "no-missing-neighbor", "no-extra-node",
            "no-missing-and-extra",
        ]
    }
    public var typeLabels: [Bool] { [true, true, false, false, false, false] }

    private var engine = RuleEngine(program: MarkovBlanket.program)
    private var graph = CausalGraph()
    private var blanketOf = -1

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        blanketOf = -1
    }

    private mutating func derive(_ x: Int) {
        if blanketOf == x { return }
        engine.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { engine.state(Self.edge, e.from, e.to) }
        engine.state(Self.target, x)
        engine.run()
        blanketOf = x
    }

    private func inBlanket(_ v: Int, of x: Int) -> Bool { v != x && engine.holds(Self.blanket, v) }

    public mutating func answer(_ query: Query) -> Bool {
        derive(query.x)
        var count = 0
        for v in 0..<graph.nodeCount where inBlanket(v, of: query.x) { count += 1 }
        return count == query.set.count && query.set.allSatisfy { inBlanket($0, of: query.x) }
    }

    /// The blanket of `x` as bit rows: parents, children and the children's parents, less x.
    private static func blanketBits(_ graph: CausalGraph, _ x: Int, into row: inout [UInt64]) {
        let w = graph.words
        row.removeAll(keepingCapacity: true)
        row.append(contentsOf: repeatElement(0, count: w))
        for k in 0..<w {
            row[k] |= graph.parentBits[x * w + k] | graph.childBits[x * w + k]
            var word = graph.childBits[x * w + k]
            while word != 0 {
                let c = k << 6 | word.trailingZeroBitCount
                word &= word &- 1
                for j in 0..<w { row[j] |= graph.parentBits[c * w + j] }
            }
        }
        row[x >> 6] &= ~(1 << UInt64(x & 63))
    }

    private var row: [UInt64] = []

    public mutating func check(_ query: Query) -> Bool {
        Self.blanketBits(graph, query.x, into: &row)
        var count = 0
        for k in row.indices { count += row[k].nonzeroBitCount }
        guard count == query.set.count else { return false }
        return query.set.allSatisfy { row[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
    }

    /// (role, via) of a blanket fact's first derivation.
    private func role(of v: Int) -> (Int, Int) {
        guard let p = engine.premise(0, of: Fact(Self.blanket, v)) else { return (0, 0) }
        if p.predicate == Self.target { return (0, 0) }
        return p.a == v ? (1, 0) : (2, p.a)
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        let x = query.x
        derive(x)
        proof.nodes.removeAll(keepingCapacity: true)
        if let extra = query.set.first(where: { !inBlanket($0, of: x) }) {
            proof.kind = .markovBlanketExtra
            proof.nodes.append(extra)
        } else if let gap = (0..<graph.nodeCount).first(where: { inBlanket($0, of: x) && !query.set.contains($0) }) {
            proof.kind = .markovBlanketMissing
            let (r, via) = role(of: gap)
            proof.nodes += [gap, r, via]
        } else {
            proof.kind = .markovBlanketEqual
        }
        for v in 0..<graph.nodeCount where inBlanket(v, of: x) {
            let (r, via) = role(of: v)
            proof.nodes += [v, r, via]
        }
    }

    /// The first role of blanket member `v` among parent (0), child (1) and co-parent (2, with
    /// x's first child that v causes): a node that is both is stated as the first.
    private func plainRole(of v: Int, _ x: Int) -> (Int, Int) {
        if graph.hasEdge(v, x) { return (0, x) }
        if graph.hasEdge(x, v) { return (1, x) }
        var via = -1
        graph.forEachChild(of: x) { c in if via < 0 && graph.hasEdge(v, c) { via = c } }
        return (2, max(via, 0))
    }

    /// The role step of blanket member `v`: it quotes the edge that puts v in the blanket.
    private func addRole(_ v: Int, x: Int, y: Int, only role: Int, into e: inout Explanation) {
        let (r, via) = plainRole(of: v, x)
        guard r == role else { return }
        switch r {
        case 0: e.add("markov-blanket-parent", x: x, y: y, a: v, b: x)
        case 1: e.add("markov-blanket-child", x: x, y: y, a: x, b: v)
        default: e.add("markov-blanket-co-parent", x: x, y: y, a: v, b: via)
        }
    }

    /// Yes: every member with the quoted edge that puts it in the blanket (parents, children,
    /// then the children's other parents), then the blanket. No: the left-out member's role
    /// (after its child's, for a co-parent), or the whole blanket and the extra node.
    ///
    /// - Complexity: O(blanket); at most blanket size + 2 steps.
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let x = query.x
        let y = query.y
        let p = proof.nodes
        if proof.kind == .markovBlanketMissing {
            let (r, via) = plainRole(of: p[0], x)
            if r == 2 { addRole(via, x: x, y: y, only: 1, into: &e) }
            addRole(p[0], x: x, y: y, only: r, into: &e)
            e.add("markov-blanket-missing", x: x, y: y, a: p[0])
            return
        }
        let first = proof.kind == .markovBlanketExtra ? 1 : 0
        if first == p.count {
            if proof.kind == .markovBlanketExtra {
                e.add("markov-blanket-isolated", x: x, y: y, a: p[0])
            } else {
                e.add("markov-blanket-isolated-equal", x: x, y: y)
            }
            return
        }
        for role in 0..<3 {
            for i in stride(from: first, to: p.count, by: 3) { addRole(p[i], x: x, y: y, only: role, into: &e) }
        }
        let start = e.nodes.count
        for i in stride(from: first, to: p.count, by: 3) { e.nodes.append(p[i]) }
        if proof.kind == .markovBlanketExtra {
            e.add("markov-blanket-extra", x: x, y: y, a: p[0], set: start..<e.nodes.count)
        } else {
            e.add("markov-blanket-equal", x: x, y: y, set: start..<e.nodes.count)
        }
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        func list(_ vs: [Int]) -> String { "{" + vs.map { names[$0] }.joined(separator: ", ") + "}" }
        let p = proof.nodes
        func reason(_ i: Int) -> String {
            switch p[i + 1] {
            case 0: return "  \(names[p[i]]) causes \(x)  (parent)\n"
            case 1: return "  \(x) causes \(names[p[i]])  (child)\n"
            default: return "  \(names[p[i]]) causes \(names[p[i + 2]]), a child of \(x)  (co-parent)\n"
            }
        }
        let first = proof.kind == .markovBlanketEqual ? 0 : (proof.kind == .markovBlanketMissing ? 3 : 1)
        let blanket = stride(from: first, to: p.count, by: 3).map { p[$0] }
        var out = ""
        switch proof.kind {
        case .markovBlanketEqual:
            out += "Yes: \(list(query.set)) is the Markov blanket of \(x).\nProof:\n"
            for i in stride(from: 0, to: p.count, by: 3) { out += reason(i) }
            out += "  nothing else is a parent, child or child's parent, so the blanket is \(list(blanket))\n"
        case .markovBlanketMissing:
            out += "No: \(list(query.set)) is not the Markov blanket of \(x).\nProof:\n" + reason(0)
            out += "  so \(names[p[0]]) is in the blanket \(list(blanket)) but not in \(list(query.set))\n"
        default:
            out += "No: \(list(query.set)) is not the Markov blanket of \(x).\n"
            out +=
                "Proof: the blanket (parents, children, children's parents) is \(list(blanket)); \(names[p[0]]) is not in it.\n"
        }
        return out
    }

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        var bits: UInt32 = 0
        func set(_ i: Int, _ on: Bool) { if on { bits |= 1 << UInt32(i) } }
        let x = query.x
        let s = query.set
        set(0, s.isEmpty)
        set(1, s.count > 2)
        set(2, s.contains { graph.hasEdge($0, x) })
        set(3, s.contains { graph.hasEdge(x, $0) })
        set(4, s.contains { !graph.adjacent($0, x) })
        set(5, s.count == graph.inDegree(of: x) + graph.outDegree(of: x))
        set(6, graph.inDegree(of: x) == 0)
        set(7, graph.outDegree(of: x) == 0)
        set(8, s.contains { mention[$0] < mention[x] })
        return bits
    }

    /// yes-with-co-parents: the blanket holds a node not adjacent to x; yes-neighbors-only.
    /// No: no-missing-co-parent (S ⊊ blanket, every missing node non-adjacent to x);
    /// no-missing-neighbor (S ⊊ blanket, a parent or child missing); no-extra-node (S ⊋ blanket);
    /// no-missing-and-extra (neither contains the other).
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        Self.blanketBits(graph, query.x, into: &row)
        let x = query.x
        var blanket: [Int] = []
        for v in 0..<graph.nodeCount where row[v >> 6] & (1 << UInt64(v & 63)) != 0 { blanket.append(v) }
        if label { return blanket.contains { !graph.adjacent($0, x) } ? 0 : 1 }
        let missing = blanket.filter { !query.set.contains($0) }
        let extra = query.set.filter { !blanket.contains($0) }
        if extra.isEmpty { return missing.allSatisfy { !graph.adjacent($0, x) } ? 2 : 3 }
        return missing.isEmpty ? 4 : 5
    }

    /// x among the candidates; half the time its blanket, otherwise a perturbation of it: a
    /// co-parent dropped, all co-parents dropped, a node added, a node dropped, or one swapped.
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        let x = candidates[rng.below(candidates.count)]
        query.axiom = axiom
        query.x = x
        query.y = x
        query.z = -1
        query.given.removeAll(keepingCapacity: true)
        var bits: [UInt64] = []
        Self.blanketBits(graph, x, into: &bits)
        let s = candidates.filter { bits[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
        let coParents = s.filter { !graph.adjacent($0, x) }
        let others = candidates.filter { $0 != x && !s.contains($0) }
        var set = s
        func add() {
            let free = others.filter { !set.contains($0) }
            if !free.isEmpty { set.append(free[rng.below(free.count)]) }
        }
        func drop() { if set.count > 1 { set.remove(at: rng.below(set.count)) } else { add() } }
        if rng.chance(0.5) {
            switch rng.below(5) {
            case 0 where !coParents.isEmpty:
                let dropped = coParents[rng.below(coParents.count)]
                set.removeAll { $0 == dropped }
            case 1 where !coParents.isEmpty:
                set.removeAll { coParents.contains($0) }
            case 3:
                drop()
            case 4:
                drop()
                add()
            default:
                add()
            }
        }
        if set.isEmpty { add() }
        set.sort()
        query.set = set
    }

    /// Every x and every set of the other nodes (2^(n-1) sets per x).
    public func questions(nodeCount n: Int, givenSizes: ClosedRange<Int>) -> [Query] {
        setQuestions(nodeCount: n, pairs: false)
    }

    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        let lower = words.map { $0.lowercased() }
        guard let k = lower.firstIndex(of: "markov"), k + 4 == words.count, lower[k + 1] == "blanket",
            lower[k + 2] == "of"
        else { return nil }
        let x = try lookup(words[k + 3])
        // "{C, D} markov blanket of A", optionally "{C, D} the markov blanket of A".
        let end = k > 0 && lower[k - 1] == "the" ? k - 1 : k
        return Query(.markovBlanket, x, x, set: try askedSet(words[..<end], lookup: lookup))
    }
}

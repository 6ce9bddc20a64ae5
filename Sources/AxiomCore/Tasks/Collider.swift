extension Axiom {
    public static let collider = Axiom("collider")
}

extension Proof.Kind {
    /// Collider, Yes: `nodes` is [x, z, y]: x → z ← y stated, x and y not adjacent.
    public static let vStructure = Proof.Kind("v-structure")
    /// Collider, No: `nodes` is [a, b, z]: both asked nodes cause z, but a → b joins them.
    public static let shieldedCollider = Proof.Kind("shielded-collider")
    /// Collider, No: `nodes` is [p, z]: p, one of the asked nodes, is not stated to cause z.
    public static let notACommonEffect = Proof.Kind("not-a-common-effect")
}

/// "Is z an unshielded collider between x and y?": Yes iff x → z and y → z are stated and x, y are not
/// adjacent (a v-structure at z).
public struct Collider: CausalTask {
    // Predicates of `program`.
    public static let edge = 0
    public static let source = 1
    public static let nonAdjacent = 2
    public static let childOfSource = 3
    public static let unshieldedFromSource = 4
    public static let collider = 5

    /// `source(a), edge(a,c) ⊢ child(c)`; `source(a), non-adjacent(a,b) ⊢ unshielded(b)`;
    /// `child(c), edge(b,c), unshielded(b) ⊢ collider(b,c)`.
    ///
    /// Anchored at the asked x (`source`), as transitivity is: one run labels every (y, z) for
    /// that x, `collider(y, z)` being the goal. Horn rules cannot say "not adjacent", so
    /// `non-adjacent(x, b)` is stated, closed-world, for every b ≠ x with neither x → b nor
    /// b → x in the premise (only x's row: the rules read no other).
    public static let program: RuleProgram = try! RuleProgram(
        predicates: [
            Predicate("edge", arity: 2), Predicate("source", arity: 1), Predicate("non-adjacent", arity: 2),
            Predicate("child-of-source", arity: 1), Predicate("unshielded", arity: 1), Predicate("collider", arity: 2),
        ],
        rules: [
            Rule("effect-of-source", [Atom(source, 0), Atom(edge, 0, 1)], Atom(childOfSource, 1)),
            Rule("unshielded", [Atom(source, 0), Atom(nonAdjacent, 0, 1)], Atom(unshieldedFromSource, 1)),
            Rule(
                "v-structure",
                [Atom(childOfSource, 2), Atom(edge, 1, 2), Atom(unshieldedFromSource, 1)],
                Atom(collider, 1, 2)
            ),
        ]
    )

    public var axiom: Axiom { .collider }
    public var summary: String {
        "Is z an unshielded collider between x and y? Yes iff x → z ← y is stated and x, y are not adjacent (a v-structure)."
    }
    public var shape: QuestionShape { [.node, .symmetric] }
    public var program: RuleProgram { Self.program }
    public var explanationForms: [ExplanationForm] {
        // The quoted edge of transitivity, then this task's steps.
        ExplanationForm.borrowed(["quote"], from: [Transitivity()]) + [
            ExplanationForm("collider-yes", slots: ["x", "y", "c"]),
            ExplanationForm("collider-shielded", slots: ["x", "y", "a", "b", "c"]),
            ExplanationForm("collider-not-effect", slots: ["x", "y", "a", "c"]),
            ExplanationForm("collider-endpoint", slots: ["x", "y", "c"]),
        ]
    }
    public var askExamples: [String] { ["C collider of A and B"] }
    public static let cueNames =
        Cues.pairNames + ["z-child-of-x", "z-child-of-y", "z-parent-of-x", "z-parent-of-y", "z-multi-parent"]
    public var cueNames: [String] { Self.cueNames }
    public var typeNames: [String] { ["yes-v-structure", "no-shielded", "no-one-parent", "no-not-child"] }
    public var typeLabels: [Bool] { [true, false, false, false] }

    private var engine = RuleEngine(program: Collider.program)
    private var graph = CausalGraph()
    private var derivedFrom: Int? = nil

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        derivedFrom = nil
    }

    private mutating func derive(from x: Int) {
        if derivedFrom == x { return }
        engine.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { engine.state(Self.edge, e.from, e.to) }
        for b in 0..<graph.nodeCount where b != x && !graph.adjacent(x, b) { engine.state(Self.nonAdjacent, x, b) }
        engine.state(Self.source, x)
        engine.run()
        derivedFrom = x
    }

    public mutating func answer(_ query: Query) -> Bool {
        guard query.z >= 0, query.z != query.x, query.z != query.y, query.x != query.y else { return false }
        derive(from: query.x)
        return engine.holds(Self.collider, query.y, query.z)
    }

    /// Reads the definition off the graph's bit rows.
    public mutating func check(_ query: Query) -> Bool {
        let (x, y, z) = (query.x, query.y, query.z)
        guard z >= 0, z != x, z != y, x != y else { return false }
        return graph.hasEdge(x, z) && graph.hasEdge(y, z) && !graph.adjacent(x, y)
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        let (x, y, z) = (query.x, query.y, query.z)
        if answer(query) {
            // collider(y, z) ⇐ child-of-source(z) ⇐ source(x), edge(x, z); edge(y, z).
            let child = engine.premise(0, of: Fact(Self.collider, y, z))!
            let stated = engine.premise(1, of: child)!
            proof.kind = .vStructure
            proof.nodes.append(contentsOf: [stated.a, z, y])
        } else if z < 0 || z == x || z == y || x == y {
            proof.kind = .notACommonEffect
            proof.nodes.append(contentsOf: [x, max(z, 0)])
        } else if !engine.holds(Self.childOfSource, z) {
            proof.kind = .notACommonEffect
            proof.nodes.append(contentsOf: [x, z])
        } else if !engine.holds(Self.edge, y, z) {
            proof.kind = .notACommonEffect
            proof.nodes.append(contentsOf: [y, z])
        } else {
            // Both edges hold, so unshielded(y) failed: x and y are adjacent.
            proof.kind = .shieldedCollider
            proof.nodes.append(contentsOf: engine.holds(Self.edge, x, y) ? [x, y, z] : [y, x, z])
        }
    }

    /// Yes: the quoted edges x → z and y → z, then the v-structure (x, y not adjacent). No:
    /// the two quoted edges and the quoted edge that joins x and y, or the missing edge.
    ///
    /// - Complexity: O(1); at most 4 steps.
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let (x, y, z) = (query.x, query.y, query.z)
        let n = proof.nodes
        switch proof.kind {
        case .vStructure:
            e.add("quote", x: x, y: y, a: x, b: z)
            e.add("quote", x: x, y: y, a: y, b: z)
            e.add("collider-yes", x: x, y: y, c: z)
        case .shieldedCollider:
            e.add("quote", x: x, y: y, a: x, b: z)
            e.add("quote", x: x, y: y, a: y, b: z)
            e.add("quote", x: x, y: y, a: n[0], b: n[1])
            e.add("collider-shielded", x: x, y: y, a: n[0], b: n[1], c: n[2])
        default:
            if z < 0 || z == x || z == y || x == y {
                e.add("collider-endpoint", x: x, y: y, c: max(z, 0))
            } else {
                e.add("collider-not-effect", x: x, y: y, a: n[0], c: n[1])
            }
        }
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        let y = names[query.y]
        let z = names[query.z]
        let n = proof.nodes.map { names[$0] }
        switch proof.kind {
        case .vStructure:
            return "Yes: \(z) is an unshielded collider between \(x) and \(y).\nProof:\n"
                + "  \(x) causes \(z)  (stated)\n  \(y) causes \(z)  (stated)\n"
                + "  \(x) and \(y) are not adjacent  (no edge between them is stated)\n"
                + "  so \(x) -> \(z) <- \(y) is a v-structure  (v-structure)\n"
        case .shieldedCollider:
            return
                "No: \(z) is not an unshielded collider between \(x) and \(y).\nProof: both cause \(z), but \(n[0]) causes \(n[1]) "
                + "(stated), so \(x) and \(y) are adjacent and \(z) is a shielded collider.\n"
        default:
            return
                "No: \(z) is not an unshielded collider between \(x) and \(y).\nProof: the premise does not state that \(n[0]) causes \(n[1]).\n"
        }
    }

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        let (x, y, z) = (query.x, query.y, query.z)
        var bits = Cues.pair(x, y, graph: graph, mention: mention)
        let base = Cues.pairNames.count
        for (i, on) in [
            graph.hasEdge(x, z), graph.hasEdge(y, z), graph.hasEdge(z, x), graph.hasEdge(z, y),
            graph.inDegree(of: z) >= 2,
        ].enumerated() where on {
            bits |= 1 << UInt32(base + i)
        }
        return bits
    }

    /// yes-v-structure; no-shielded: x → z ← y with x, y adjacent; no-one-parent: exactly one
    /// of x, y causes z directly; no-not-child: neither does.
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        if label { return 0 }
        let parents = (graph.hasEdge(query.x, query.z) ? 1 : 0) + (graph.hasEdge(query.y, query.z) ? 1 : 0)
        return [3, 2, 1][parents]
    }

    /// Most draws take z among nodes with at least two parents and x, y among its parents (so
    /// v-structures and shielded colliders are common); the rest are uniform triples. With
    /// fewer than three candidates no triple exists; z is then y (always No).
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        query.axiom = axiom
        query.given.removeAll(keepingCapacity: true)
        query.set.removeAll(keepingCapacity: true)
        let c = candidates.count
        if c < 3 {
            query.x = candidates[0]
            query.y = candidates[c - 1]
            query.z = query.y
            return
        }
        if rng.chance(0.7) {
            scratch.removeAll(keepingCapacity: true)
            for v in candidates where graph.inDegree(of: v) >= 2 { scratch.append(v) }
            if !scratch.isEmpty {
                let z = scratch[rng.below(scratch.count)]
                scratch.removeAll(keepingCapacity: true)
                for v in candidates where graph.hasEdge(v, z) { scratch.append(v) }
                let i = rng.below(scratch.count)
                var j = rng.below(scratch.count - 1)
                if j >= i { j += 1 }
                query.z = z
                query.x = scratch[i]
                if rng.chance(0.8) {
                    query.y = scratch[j]
                } else {
                    repeat { query.y = candidates[rng.below(c)] } while query.y == query.x || query.y == z
                }
                return
            }
        }
        query.x = candidates[rng.below(c)]
        repeat { query.y = candidates[rng.below(c)] } while query.y == query.x
        repeat { query.z = candidates[rng.below(c)] } while query.z == query.x || query.z == query.y
    }

    /// Unordered pairs x < y, each with every other node as z.
    public func questions(nodeCount n: Int, givenSizes: ClosedRange<Int>) -> [Query] {
        var out: [Query] = []
        for x in 0..<n {
            for y in (x + 1)..<max(x + 1, n) {
                for z in 0..<n where z != x && z != y {
                    out.append(Query(axiom, x, y, z: z))
                }
            }
        }
        return out
    }

    /// "C collider of A and B" (or "… between A and B").
    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        var w = words.map { $0.lowercased() }
        if w.count == 7, w[1] == "a" { w.remove(at: 1) }
        guard w.count == 6, w[1] == "collider", ["of", "between", "for"].contains(w[2]), w[4] == "and" else {
            return nil
        }
        let rest = words.count == 7 ? Array(words[0...0] + words[2...]) : words
        let z = try lookup(rest[0])
        let x = try lookup(rest[3])
        let y = try lookup(rest[5])
        guard x != y, z != x, z != y else { throw SyntaxError("ask about three different nodes") }
        return Query(.collider, x, y, z: z)
    }
}

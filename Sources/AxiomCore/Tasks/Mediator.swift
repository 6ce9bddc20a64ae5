extension Axiom {
    public static let mediator = Axiom("mediator")
}

extension Proof.Kind {
    /// Mediator, Yes: `nodes` is a directed path x → … → z → … → y.
    public static let mediatedPath = Proof.Kind("mediated-path")
    /// Mediator, No: `nodes` are all of x's effects (z is not among them).
    public static let notAnEffectOfCause = Proof.Kind("not-an-effect-of-cause")
    /// Mediator, No: x causes z, and `nodes` are all of z's effects (y is not among them).
    public static let notACauseOfEffect = Proof.Kind("not-a-cause-of-effect")
}

/// "Does x cause y through z?" (is z a mediator of x on y): Yes iff z ∉ {x, y} and directed paths x ⇝ z and
/// z ⇝ y are stated.
public struct Mediator: CausalTask {
    // Predicates of `program`: transitivity's three, then `mediated`.
    public static let edge = Transitivity.edge
    public static let causes = Transitivity.causes
    public static let source = Transitivity.source
    public static let mediated = 3

    /// Transitivity's rules, anchored at both x and z (`source(x)`, `source(z)`), plus
    /// `causes(a,b), causes(b,c) ⊢ mediated(a,c)`.
    ///
    /// With only x and z as sources, `causes(a, b)` holds only for a ∈ {x, z}, so the third
    /// rule joins at b = z: `mediated(x, y)` holds iff x ⇝ z and z ⇝ y (z ⇝ x ⇝ c derives
    /// `mediated(z, c)`, which is never read). z ∉ {x, y} follows from acyclicity.
    public static let program: RuleProgram = try! RuleProgram(
        predicates: Transitivity.program.predicates + [Predicate("mediated", arity: 2)],
        rules: Transitivity.program.rules + [
            Rule("mediation", [Atom(causes, 0, 1), Atom(causes, 1, 2)], Atom(mediated, 0, 2))
        ]
    )

    public var axiom: Axiom { .mediator }
    public var summary: String {
        "Does x cause y through z (does z mediate x on y)? Yes iff directed paths x → … → z and z → … → y are stated."
    }
    public var shape: QuestionShape { [.node] }
    public var program: RuleProgram { Self.program }
    public var explanationForms: [ExplanationForm] {
        // Transitivity's quoted chains and effect layers, then this task's conclusions.
        ExplanationForm.borrowed(["quote", "step", "effects", "reach"], from: [Transitivity()]) + [
            ExplanationForm("mediator-path", slots: ["x", "y", "a"]),
            ExplanationForm("mediator-not-effect", slots: ["x", "y", "a"]),
            ExplanationForm("mediator-not-cause", slots: ["x", "y", "a"]),
            // The same two with no effects at all (never "the effects of x are nothing").
            ExplanationForm("mediator-no-effects", slots: ["x", "y", "a"]),
            ExplanationForm("mediator-node-no-effects", slots: ["x", "y", "a"]),
            ExplanationForm("mediator-endpoint", slots: ["x", "y", "a"]),
        ]
    }
    /// The search from x, then the search from the node (both always), then one conclusion.
    public var searchForms: [ExplanationForm] {
        Explanation.searchStepForms + [
            ExplanationForm("mediator-found", slots: ["x", "y", "a"]),
            ExplanationForm("mediator-unreached", slots: ["x", "y", "a"]),
            ExplanationForm("mediator-unreaching", slots: ["x", "y", "a"]),
            ExplanationForm("mediator-endpoint", slots: ["x", "y", "a"]),
        ]
    }
    public var askExamples: [String] { ["C mediates A and B"] }
    public static let cueNames =
        Cues.pairNames + ["z-child-of-x", "z-parent-of-y", "z-parent-of-x", "z-child-of-y", "z-between"]
    public var cueNames: [String] { Self.cueNames }
    public var typeNames: [String] {
        ["yes-direct", "yes-chain", "no-reverse", "no-common-effect", "no-common-cause", "no-one-side", "no-unrelated"]
    }
    public var typeLabels: [Bool] { [true, true, false, false, false, false, false] }

    private var engine = RuleEngine(program: Mediator.program)
    private var fromX = Oracles()
    private var fromZ = Oracles()
    private var graph = CausalGraph()
    private var last: (x: Int, z: Int)? = nil

    public init() {}

    public mutating func prepare(_ graph: CausalGraph) {
        self.graph = graph
        last = nil
        fromX.forgetSource()
        fromZ.forgetSource()
    }

    private mutating func derive(_ x: Int, _ z: Int) {
        if let last, last.x == x, last.z == z { return }
        engine.begin(nodeCount: graph.nodeCount)
        for e in graph.edges { engine.state(Self.edge, e.from, e.to) }
        engine.state(Self.source, x)
        engine.state(Self.source, z)
        engine.run()
        last = (x, z)
    }

    public mutating func answer(_ query: Query) -> Bool {
        guard query.z >= 0, query.z != query.x, query.z != query.y, query.x != query.y else { return false }
        derive(query.x, query.z)
        return engine.holds(Self.mediated, query.x, query.y)
    }

    /// Two breadth-first searches over bit rows (`Oracles.causes`), from x and from z.
    public mutating func check(_ query: Query) -> Bool {
        let (x, y, z) = (query.x, query.y, query.z)
        guard z >= 0, z != x, z != y, x != y else { return false }
        return fromX.causes(from: x, to: z, in: graph) && fromZ.causes(from: z, to: y, in: graph)
    }

    public mutating func prove(_ query: Query, into proof: inout Proof) {
        proof.nodes.removeAll(keepingCapacity: true)
        let (x, y, z) = (query.x, query.y, query.z)
        if answer(query) {
            proof.kind = .mediatedPath
            let goal = Fact(Self.mediated, x, y)
            engine.appendChain(of: engine.premise(0, of: goal)!, through: Self.causes, into: &proof.nodes)
            proof.nodes.removeLast()
            engine.appendChain(of: engine.premise(1, of: goal)!, through: Self.causes, into: &proof.nodes)
            return
        }
        guard z >= 0, z != x, z != y, x != y else {
            proof.kind = .notAnEffectOfCause
            return
        }
        if !engine.holds(Self.causes, x, z) {
            proof.kind = .notAnEffectOfCause
            for v in 0..<graph.nodeCount where engine.holds(Self.causes, x, v) { proof.nodes.append(v) }
        } else {
            proof.kind = .notACauseOfEffect
            for v in 0..<graph.nodeCount where engine.holds(Self.causes, z, v) { proof.nodes.append(v) }
        }
    }

    /// Yes: shortest quoted chains x ⇝ z and z ⇝ y (as transitivity's), then the mediation.
    /// No: what x reaches (z is not among it) or what z reaches (y is not), layer by layer.
    ///
    /// - Complexity: O(nodes + edges); at most 2 · (hops x ⇝ z + hops z ⇝ y) steps (Yes) or
    ///   reached nodes + 1 (No).
    public func explain(_ query: Query, proof: Proof, into e: inout Explanation) {
        e.removeAll()
        let (x, y, z) = (query.x, query.y, query.z)
        switch proof.kind {
        case .mediatedPath:
            e.addShortestChain(from: x, to: z, in: graph, x: x, y: y)
            e.addShortestChain(from: z, to: y, in: graph, x: x, y: y)
            e.add("mediator-path", x: x, y: y, a: z)
        case .notACauseOfEffect:
            if graph.outDegree(of: z) == 0 {
                e.add("mediator-node-no-effects", x: x, y: y, a: z)
            } else {
                e.addLayers(from: z, in: graph, first: "effects", next: "reach", x: x, y: y)
                e.add("mediator-not-cause", x: x, y: y, a: z)
            }
        default:
            if z < 0 || z == x || z == y || x == y {
                e.add("mediator-endpoint", x: x, y: y, a: max(z, 0))
            } else if graph.outDegree(of: x) == 0 {
                e.add("mediator-no-effects", x: x, y: y, a: z)
            } else {
                e.addLayers(from: x, in: graph, first: "effects", next: "reach", x: x, y: y)
                e.add("mediator-not-effect", x: x, y: y, a: z)
            }
        }
    }

    /// What x reaches, then what the node reaches (both whatever the answer), then whether the
    /// node is among the first and y among the second; a node that is x or y is named so.
    ///
    /// - Complexity: O(nodes + edges).
    public func explainSearch(_ query: Query, into e: inout Explanation) {
        e.removeAll()
        let (x, y, z) = (query.x, query.y, query.z)
        if z < 0 || z == x || z == y || x == y {
            e.add("mediator-endpoint", x: x, y: y, a: max(z, 0))
            return
        }
        e.addSearch(from: x, in: graph, x: x, y: y)
        let effect = e.marks[z] >= 0
        e.addSearch(from: z, in: graph, x: x, y: y)
        let cause = e.marks[y] >= 0
        e.add(!effect ? "mediator-unreached" : cause ? "mediator-found" : "mediator-unreaching", x: x, y: y, a: z)
    }

    public mutating func describe(_ query: Query, names: [String]) -> String {
        var proof = Proof()
        prove(query, into: &proof)
        let x = names[query.x]
        let y = names[query.y]
        let z = names[query.z]
        let n = proof.nodes.map { names[$0] }
        switch proof.kind {
        case .mediatedPath:
            return
                "Yes: \(x) causes \(y) through \(z).\nProof: \(n.joined(separator: " -> "))  (stated edges, chained by transitivity)\n"
                + "  \(x) causes \(z) and \(z) causes \(y)  (mediation)\n"
        case .notACauseOfEffect:
            return
                "No: \(x) does not cause \(y) through \(z).\nProof: \(x) causes \(z), but the effects of \(z) are "
                + "{\(n.joined(separator: ", "))}, derived to a fixpoint by transitivity; \(y) is not among them.\n"
        default:
            return "No: \(x) does not cause \(y) through \(z).\nProof: the effects of \(x) are "
                + "{\(n.joined(separator: ", "))}, derived to a fixpoint by transitivity; \(z) is not among them.\n"
        }
    }

    public func cues(_ query: Query, mention: [Int]) -> UInt32 {
        let (x, y, z) = (query.x, query.y, query.z)
        var bits = Cues.pair(x, y, graph: graph, mention: mention)
        let lo = min(mention[x], mention[y])
        let hi = max(mention[x], mention[y])
        let base = Cues.pairNames.count
        for (i, on) in [
            graph.hasEdge(x, z), graph.hasEdge(z, y), graph.hasEdge(z, x), graph.hasEdge(y, z),
            mention[z] > lo && mention[z] < hi,
        ].enumerated() where on {
            bits |= 1 << UInt32(base + i)
        }
        return bits
    }

    /// Yes: yes-direct (x → z → y stated), yes-chain. No: no-reverse (y ⇝ z ⇝ x),
    /// no-common-effect (x ⇝ z ⇐ y), no-common-cause (x ⇐ z ⇝ y), no-one-side (x ⇝ z or
    /// z ⇝ y, nothing else above), no-unrelated (neither).
    public mutating func questionType(_ query: Query, label: Bool) -> Int {
        let (x, y, z) = (query.x, query.y, query.z)
        if label { return graph.hasEdge(x, z) && graph.hasEdge(z, y) ? 0 : 1 }
        var o = Oracles()
        let xz = fromX.causes(from: x, to: z, in: graph)
        let zy = fromZ.causes(from: z, to: y, in: graph)
        let zx = fromZ.causes(from: z, to: x, in: graph)
        let yz = o.causes(from: y, to: z, in: graph)
        if yz && zx { return 2 }
        if xz && yz { return 3 }
        if zx && zy { return 4 }
        return xz || zy ? 5 : 6
    }

    /// A quarter of the draws are uniform triples; the others walk a random directed path (up
    /// to 6 nodes) and ask about three of its nodes in order (Yes mostly), reversed, or with z
    /// moved to an end (a common effect or cause).
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
        query.x = candidates[rng.below(c)]
        repeat { query.y = candidates[rng.below(c)] } while query.y == query.x
        repeat { query.z = candidates[rng.below(c)] } while query.z == query.x || query.z == query.y
        if rng.chance(0.25) { return }
        // The walk is scratch[0..<length]; each step's children are listed after it.
        var length = 0
        for _ in 0..<4 where length < 3 {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(candidates[rng.below(c)])
            length = 1
            while length < 6 {
                forEachBit(graph.childBits, offset: scratch[length - 1] * graph.words, words: graph.words) {
                    scratch.append($0)
                }
                if scratch.count == length { break }
                let next = scratch[length + rng.below(scratch.count - length)]
                scratch.removeSubrange(length...)
                scratch.append(next)
                length += 1
            }
        }
        guard length >= 3 else { return }
        // Half the time the walk's ends, so that z is often more than one step from x or y.
        let i = rng.chance(0.5) ? 0 : rng.below(length - 2)
        let k = rng.chance(0.5) ? length - 1 : i + 2 + rng.below(length - 2 - i)
        let j = i + 1 + rng.below(k - i - 1)
        let (a, b, d) = (scratch[i], scratch[j], scratch[k])
        let r = rng.unit()
        if r < 0.55 {
            (query.x, query.z, query.y) = (a, b, d)
        } else if r < 0.7 {
            (query.x, query.z, query.y) = (d, b, a)
        } else if r < 0.85 {
            (query.x, query.z, query.y) = (a, d, b)
        } else {
            (query.x, query.z, query.y) = (b, a, d)
        }
    }

    /// Ordered pairs x ≠ y, each with every other node as z.
    public func questions(nodeCount n: Int, givenSizes: ClosedRange<Int>) -> [Query] {
        var out: [Query] = []
        for x in 0..<n {
            for y in 0..<n where y != x {
                for z in 0..<n where z != x && z != y {
                    out.append(Query(axiom, x, y, z: z))
                }
            }
        }
        return out
    }

    /// "C mediates A and B" (or "… A on B", "… A to B"): does C mediate the effect of A on B?
    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? {
        let w = words.map { $0.lowercased() }
        guard w.count == 5, ["mediates", "mediate"].contains(w[1]), ["and", "on", "to"].contains(w[3]) else {
            return nil
        }
        let z = try lookup(words[0])
        let x = try lookup(words[2])
        let y = try lookup(words[4])
        guard x != y, z != x, z != y else { throw SyntaxError("ask about three different nodes") }
        return Query(.mediator, x, y, z: z)
    }
}

import AxiomCore

/// How the sentences of a premise are ordered.
public enum PremiseOrder: String, Sendable, CaseIterable, Codable {
    /// The graph's edge order (for chains: from the start of the chain).
    case graph
    /// A uniformly random order.
    case shuffled
    /// The graph's edge order backwards (for chains: listed from the end).
    case reversed
}

/// Renders facts, questions, answers, prompts and proofs by appending bytes to a buffer.
///
/// All templates were split at load time; rendering copies literal bytes and names and draws
/// paraphrases with the caller's generator. Scratch storage is reused between calls.
public struct Renderer: Sendable {
    public let grammar: Grammar
    private var order: [Int] = []
    private var setScratch: [Int] = []

    public init(grammar: Grammar) { self.grammar = grammar }

    /// Appends the premise: one edge sentence per edge of `graph`, in `order`.
    public mutating func appendPremise(
        _ graph: CausalGraph, names: [[UInt8]], order premiseOrder: PremiseOrder,
        into out: inout [UInt8], using rng: inout SeededRNG
    ) {
        order.removeAll(keepingCapacity: true)
        for i in 0..<graph.edges.count { order.append(i) }
        switch premiseOrder {
        case .graph: break
        case .reversed: order.reverse()
        case .shuffled: rng.shuffle(&order)
        }
        for (k, i) in order.enumerated() {
            if k > 0 { out.append(contentsOf: grammar.premiseSeparator) }
            let e = graph.edges[i]
            append(grammar.edge.pick(using: &rng), names: names, x: e.from, y: e.to, into: &out)
        }
    }

    /// Appends the question for `query`.
    public mutating func appendQuestion(
        _ query: Query, names: [[UInt8]], into out: inout [UInt8], using rng: inout SeededRNG
    ) {
        switch query.axiom {
        case .transitivity:
            append(grammar.transitivity.pick(using: &rng), names: names, x: query.x, y: query.y, into: &out)
        case .dSeparation:
            var x = query.x, y = query.y
            if grammar.asciiPairOrder && names[y].lexicographicallyPrecedes(names[x]) { swap(&x, &y) }
            let alts = query.given.isEmpty ? grammar.dSeparation : grammar.dSeparationGiven
            append(alts.pick(using: &rng), names: names, x: x, y: y, set: query.given, into: &out)
        }
    }

    /// Appends an explanation of `query`'s answer from the rule engine's `proof`.
    public mutating func appendExplanation(
        _ query: Query, proof: Proof, graph: CausalGraph, names: [[UInt8]],
        into out: inout [UInt8], using rng: inout SeededRNG
    ) {
        let given = !query.given.isEmpty
        switch proof.kind {
        case .causalChain:
            let path = proof.nodes
            if path.count == 2 {
                append(grammar.explanation(.stated, given: false)!.pick(using: &rng), names: names, x: path[0], y: path[1], into: &out)
                return
            }
            // The derivation's path, combined left to right: (p0,p1,p2), (p0,p2,p3), …
            for i in 2..<path.count {
                if i > 2 { out.append(contentsOf: grammar.explanationSeparator) }
                append(grammar.explanation(.step, given: false)!.pick(using: &rng), names: names,
                       x: query.x, y: query.y, a: path[0], b: path[i - 1], c: path[i], into: &out)
            }
        case .noCausalChain:
            append(grammar.explanation(.noChain, given: false)!.pick(using: &rng), names: names,
                   x: query.x, y: query.y, set: proof.nodes, into: &out)
        case .activeTrail:
            append(grammar.explanation(.activeTrail, given: given)!.pick(using: &rng), names: names,
                   x: query.x, y: query.y, set: query.given, trail: proof.nodes, graph: graph, into: &out)
        case .allTrailsBlocked:
            setScratch.removeAll(keepingCapacity: true)
            for v in proof.nodes where !query.given.contains(v) { setScratch.append(v) }
            let reached = setScratch
            append(grammar.explanation(.blocked, given: given)!.pick(using: &rng), names: names,
                   x: query.x, y: query.y, set: query.given, reach: reached, into: &out)
        }
    }

    /// Appends the prompt wrapper around an already rendered premise and question.
    public func appendPrompt(premise: ArraySlice<UInt8>, hypothesis: ArraySlice<UInt8>, into out: inout [UInt8], using rng: inout SeededRNG) {
        guard let prompt = grammar.prompt else { return }
        for part in prompt.pick(using: &rng).parts {
            switch part {
            case let .text(bytes): out.append(contentsOf: bytes)
            case .slot(.instance):
                out.append(contentsOf: premise)
                out.append(contentsOf: grammar.instanceSeparator)
                out.append(contentsOf: hypothesis)
            case .slot(.premise): out.append(contentsOf: premise)
            case .slot(.hypothesis): out.append(contentsOf: hypothesis)
            default: break
            }
        }
    }

    /// Appends a set of nodes, names in ASCII order.
    public mutating func appendSet(_ nodes: [Int], names: [[UInt8]], into out: inout [UInt8]) {
        if nodes.isEmpty {
            out.append(contentsOf: grammar.setEmpty)
            return
        }
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: nodes)
        order.sort { names[$0].lexicographicallyPrecedes(names[$1]) }
        out.append(contentsOf: grammar.setOpen)
        for (k, v) in order.enumerated() {
            if k > 0 { out.append(contentsOf: grammar.setSeparator) }
            out.append(contentsOf: names[v])
        }
        out.append(contentsOf: grammar.setClose)
    }

    private mutating func append(
        _ template: Template, names: [[UInt8]], x: Int, y: Int, set: [Int] = [], a: Int = 0, b: Int = 0, c: Int = 0,
        trail: [Int] = [], graph: CausalGraph? = nil, reach: [Int]? = nil, into out: inout [UInt8]
    ) {
        for part in template.parts {
            switch part {
            case let .text(bytes): out.append(contentsOf: bytes)
            case let .slot(slot):
                switch slot {
                case .x: out.append(contentsOf: names[x])
                case .y: out.append(contentsOf: names[y])
                case .a: out.append(contentsOf: names[a])
                case .b: out.append(contentsOf: names[b])
                case .c: out.append(contentsOf: names[c])
                case .z: appendSet(set, names: names, into: &out)
                case .set: appendSet(reach ?? set, names: names, into: &out)
                case .trail:
                    for (k, v) in trail.enumerated() {
                        if k > 0 {
                            out.append(contentsOf: graph!.hasEdge(trail[k - 1], v) ? grammar.trailForward : grammar.trailBackward)
                        }
                        out.append(contentsOf: names[v])
                    }
                case .premise, .hypothesis, .instance: break
                }
            }
        }
    }
}

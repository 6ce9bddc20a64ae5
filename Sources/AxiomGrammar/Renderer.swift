import AxiomCore

/// How the sentences of a premise are ordered.
public enum PremiseOrder: String, Sendable, CaseIterable, Codable {
    /// The graph's edge order (for chains: from the start of the chain).
    case graph
    /// A uniformly random order.
    case shuffled
    /// The graph's edge order backwards (for chains: listed from the end).
    case reversed
    /// Grouped by cause: sources in node order, each one's effects in node order (the row-major
    /// order of the adjacency matrix, as the paper's branching files list them). Branching and
    /// random graphs number their nodes at random, so the groups come in random order; a chain
    /// numbers its nodes from its start.
    case bySource = "by-source"
}

/// How the last sentence of a premise ends.
public enum PremiseEnd: String, Sendable, CaseIterable {
    /// As its template writes it, with the final period.
    case period
    /// Without the final period, as in the paper's branching d-separation files ("… rY6 causes
    /// wT Are t and yUa d-separated given {faG}?"). Needs edge templates that end with a period.
    case bare = "none"
}

/// Renders facts, questions, answers, prompts and proofs by appending bytes to a buffer.
///
/// All templates were split at load time; rendering copies literal bytes and names and draws
/// paraphrases with the caller's generator. Scratch storage is reused between calls.
public struct Renderer: Sendable {
    public let grammar: Grammar
    /// How the last sentence of each premise ends (`premise_end:` in recipes).
    public var premiseEnd = PremiseEnd.period
    private var order: [Int] = []
    private var setOrder: [Int] = []
    /// The parents of a table row in the order `<values/>` names them.
    private var valueOrder: [Int] = []
    /// The edge template drawn for each sentence of the last premise.
    private var sentenceTemplates: [Template] = []
    /// The description template of the last premise (grammars with `<description>`).
    private var descriptionTemplate: Template?
    private var listed: [Int] = []
    /// The sentence (position in the last premise) of each edge, by edge index.
    private var sentenceOfEdge: [Int] = []
    /// After `appendPremise`: the rank of each node's first mention (`Int.max` if unmentioned).
    public private(set) var mention: [Int] = []

    public init(grammar: Grammar) { self.grammar = grammar }

    /// Appends the premise: one edge sentence per edge of `graph`, in `order`.
    public mutating func appendPremise(
        _ graph: CausalGraph,
        names: [[UInt8]],
        order premiseOrder: PremiseOrder,
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        order.removeAll(keepingCapacity: true)
        for i in 0..<graph.edges.count { order.append(i) }
        switch premiseOrder {
        case .graph: break
        case .reversed: order.reverse()
        case .shuffled: rng.shuffle(&order)
        case .bySource:
            let edges = graph.edges
            order.sort { (edges[$0].from, edges[$0].to) < (edges[$1].from, edges[$1].to) }
        }
        if let d = grammar.description { descriptionTemplate = d.pick(using: &rng) }
        sentenceTemplates.removeAll(keepingCapacity: true)
        for _ in order { sentenceTemplates.append(grammar.edge.pick(using: &rng)) }
        sentenceOfEdge.removeAll(keepingCapacity: true)
        sentenceOfEdge.append(contentsOf: repeatElement(0, count: order.count))
        for (k, i) in order.enumerated() { sentenceOfEdge[i] = k }
        appendSentences(graph, names: names, into: &out)
    }

    /// The description sentence: every node (first mentions along the edges, then the rest),
    /// then every edge.
    private mutating func appendDescription(
        _ template: Template,
        _ graph: CausalGraph,
        names: [[UInt8]],
        into out: inout [UInt8]
    ) {
        listed.removeAll(keepingCapacity: true)
        for i in order {
            let e = graph.edges[i]
            for v in [e.from, e.to] where mention[v] == Int.max {
                mention[v] = listed.count
                listed.append(v)
            }
        }
        for v in 0..<graph.nodeCount where mention[v] == Int.max {
            mention[v] = listed.count
            listed.append(v)
        }
        for part in template.parts {
            switch part {
            case let .text(bytes): out.append(contentsOf: bytes)
            case .slot(.set): appendOrderedList(listed, names: names, into: &out)
            case .slot(.edges):
                for (k, i) in order.enumerated() {
                    if k > 0 { out.append(contentsOf: grammar.edgeSeparator) }
                    let e = graph.edges[i]
                    append(sentenceTemplates[k], names: names, x: e.from, y: e.to, into: &out)
                }
            default: break
            }
        }
    }

    /// Appends a premise of statistical relations: the introduction naming every variable (in
    /// ASCII order), a sentence per correlated pair, then the contrast and a sentence per
    /// independence. Pairs are named in ASCII order; `.graph` order lists pairs in ASCII order
    /// (then smaller conditioning sets first), `.shuffled` shuffles each group, `.reversed`
    /// reverses each.
    ///
    /// - Precondition: the grammar has `<statistics>` (checked at recipe load).
    public mutating func appendStatistics(
        _ model: IndependenceModel,
        names: [[UInt8]],
        order premiseOrder: PremiseOrder,
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        let s = grammar.statistics!
        let n = model.nodeCount
        setOrder.removeAll(keepingCapacity: true)
        setOrder.append(contentsOf: 0..<n)
        setOrder.sort { names[$0].lexicographicallyPrecedes(names[$1]) }
        mention.removeAll(keepingCapacity: true)
        mention.append(contentsOf: repeatElement(Int.max, count: n))
        for (rank, v) in setOrder.enumerated() { mention[v] = rank }
        for part in s.intro.pick(using: &rng).parts {
            switch part {
            case let .text(bytes): out.append(contentsOf: bytes)
            case .slot(.count): Self.appendDecimal(n, into: &out)
            case .slot(.set): appendOrderedList(setOrder, names: names, into: &out)
            default: break
            }
        }
        // Pairs by their names' ASCII order; independencies of a pair by set size, then names.
        func byName(_ a: Int, _ b: Int) -> (Int, Int) { mention[a] < mention[b] ? (a, b) : (b, a) }
        var pairs = model.correlated.map { byName($0.0, $0.1) }
        pairs.sort { (mention[$0.0], mention[$0.1]) < (mention[$1.0], mention[$1.1]) }
        var statements = model.independencies.map { st -> (Int, Int, [Int]) in
            let (a, b) = byName(st.a, st.b)
            var given = IndependenceModel.ranks(st.given).map { mention[$0] }
            given.sort()
            return (a, b, given)
        }
        statements.sort { l, r in
            if (mention[l.0], mention[l.1]) != (mention[r.0], mention[r.1]) {
                return (mention[l.0], mention[l.1]) < (mention[r.0], mention[r.1])
            }
            if l.2.count != r.2.count { return l.2.count < r.2.count }
            return l.2.lexicographicallyPrecedes(r.2)
        }
        switch premiseOrder {
        case .graph, .bySource: break
        case .reversed:
            pairs.reverse()
            statements.reverse()
        case .shuffled:
            rng.shuffle(&pairs)
            rng.shuffle(&statements)
        }
        for (a, b) in pairs {
            out.append(contentsOf: grammar.premiseSeparator)
            append(s.correlation.pick(using: &rng), names: names, x: a, y: b, into: &out)
        }
        if !pairs.isEmpty, !statements.isEmpty, let contrast = s.contrast {
            out.append(contentsOf: grammar.premiseSeparator)
            for case let .text(bytes) in contrast.pick(using: &rng).parts { out.append(contentsOf: bytes) }
        }
        for (a, b, ranks) in statements {
            out.append(contentsOf: grammar.premiseSeparator)
            let given = ranks.map { setOrder[$0] }
            let template = given.isEmpty ? s.independent.pick(using: &rng) : s.independentGiven.pick(using: &rng)
            for part in template.parts {
                switch part {
                case let .text(bytes): out.append(contentsOf: bytes)
                case .slot(.x): out.append(contentsOf: names[a])
                case .slot(.y): out.append(contentsOf: names[b])
                case .slot(.z): appendOrderedList(given, names: names, into: &out)
                default: break
                }
            }
        }
    }

    /// Appends the premise of a causal model: its edges (`appendPremise`), then one sentence per
    /// row of every table, the variables in order of first mention (the edges' order; a
    /// variable without edges after them, in node order), rows in table order; `.shuffled`
    /// shuffles the table sentences, `.reversed` reverses them. The parents in `<values/>` are
    /// named in order of first mention. Mentions (`mention`) count the table sentences too.
    ///
    /// - Precondition: the grammar has `<mechanisms>` (checked at recipe load).
    public mutating func appendModel(
        _ model: CausalModel,
        names: [[UInt8]],
        order premiseOrder: PremiseOrder,
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        let m = grammar.mechanisms!
        let graph = model.graph
        appendPremise(graph, names: names, order: premiseOrder, into: &out, using: &rng)
        var next = mention.lazy.filter { $0 != Int.max }.count
        listed.removeAll(keepingCapacity: true)
        listed.append(contentsOf: 0..<graph.nodeCount)
        listed.sort { (mention[$0], $0) < (mention[$1], $1) }
        // (variable, row) pairs, packed as variable << 16 | row.
        setOrder.removeAll(keepingCapacity: true)
        for v in listed { for row in 0..<model.tables[v].count { setOrder.append(v << 16 | row) } }
        switch premiseOrder {
        case .graph, .bySource: break
        case .reversed: setOrder.reverse()
        case .shuffled: rng.shuffle(&setOrder)
        }
        for packed in setOrder {
            let v = packed >> 16
            let row = packed & 0xFFFF
            if !out.isEmpty { out.append(contentsOf: grammar.premiseSeparator) }
            if mention[v] == Int.max {
                mention[v] = next
                next += 1
            }
            let parents = model.parents[v]
            let template = parents.isEmpty ? m.prior.pick(using: &rng) : m.conditional.pick(using: &rng)
            for part in template.parts {
                switch part {
                case let .text(bytes): out.append(contentsOf: bytes)
                case .slot(.x): out.append(contentsOf: names[v])
                case .slot(.p): Self.appendHundredths(model.tables[v][row], into: &out)
                case .slot(.values):
                    // Parents by first mention; bit k of the row is parents[k]'s value.
                    valueOrder.removeAll(keepingCapacity: true)
                    valueOrder.append(contentsOf: parents.indices)
                    valueOrder.sort { mention[parents[$0]] < mention[parents[$1]] }
                    for (i, k) in valueOrder.enumerated() {
                        if i > 0 { out.append(contentsOf: m.separator) }
                        out.append(contentsOf: names[parents[k]])
                        out.append(contentsOf: m.equals)
                        out.append(row & (1 << k) != 0 ? 0x31 : 0x30)
                    }
                default: break
                }
            }
        }
    }

    /// An exact quantity rounded to four decimals ("-0.1324"), or to as many more (in pairs, up
    /// to 20) as show a value that is not 0 as not 0 ("0.000012").
    static func appendQuantity(_ value: Rational, into out: inout [UInt8]) {
        var places = 4
        var text = value.decimal(places: places)
        while !value.isZero && places < 20 && text.utf8.allSatisfy({ $0 == 0x30 || $0 == 0x2E || $0 == 0x2D }) {
            places += 2
            text = value.decimal(places: places)
        }
        out.append(contentsOf: text.utf8)
    }

    /// "0.35" for 35 hundredths (1…99).
    static func appendHundredths(_ k: Int, into out: inout [UInt8]) {
        out.append(contentsOf: [0x30, 0x2E, UInt8(0x30 + k / 10), UInt8(0x30 + k % 10)])
    }

    /// Appends nodes in the order given as a list: "B", "B and D", "B, D and E".
    public func appendOrderedList(_ nodes: [Int], names: [[UInt8]], into out: inout [UInt8]) {
        for (k, v) in nodes.enumerated() {
            if k > 0 { out.append(contentsOf: k == nodes.count - 1 ? grammar.listLast : grammar.listSeparator) }
            out.append(contentsOf: names[v])
        }
    }

    static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, into: &out) }
        out.append(UInt8(0x30 + value % 10))
    }

    /// Appends the premise of `graph` — the last premise's graph with edges possibly reversed —
    /// in the last premise's order and wording: the same sentences, each naming its edge's
    /// nodes in the edge's (new) direction. For contrastive twins.
    ///
    /// - Precondition: `graph` has as many edges as the last premise's graph.
    public mutating func appendPremiseAgain(_ graph: CausalGraph, names: [[UInt8]], into out: inout [UInt8]) {
        precondition(graph.edges.count == order.count)
        appendSentences(graph, names: names, into: &out)
    }

    /// Puts back first-mention ranks saved from an earlier premise.
    public mutating func restoreMention(_ saved: [Int]) {
        mention.removeAll(keepingCapacity: true)
        mention.append(contentsOf: saved)
    }

    private mutating func appendSentences(_ graph: CausalGraph, names: [[UInt8]], into out: inout [UInt8]) {
        mention.removeAll(keepingCapacity: true)
        mention.append(contentsOf: repeatElement(Int.max, count: graph.nodeCount))
        if let d = descriptionTemplate, grammar.description != nil {
            return appendDescription(d, graph, names: names, into: &out)
        }
        var rank = 0
        for (k, i) in order.enumerated() {
            if k > 0 { out.append(contentsOf: grammar.premiseSeparator) }
            let e = graph.edges[i]
            let template = sentenceTemplates[k]
            for case let .slot(slot) in template.parts {
                let v = slot == .x ? e.from : e.to
                if mention[v] == Int.max {
                    mention[v] = rank
                    rank += 1
                }
            }
            append(template, names: names, x: e.from, y: e.to, into: &out)
        }
        if premiseEnd == .bare, let last = sentenceTemplates.last, last.endsWithStop { out.removeLast() }
    }

    /// Appends the question for `query`; a symmetric task's pair is named in ASCII order when
    /// the grammar asks for it.
    ///
    /// - Precondition: the grammar has the task's questions (checked at recipe load).
    public mutating func appendQuestion(
        _ query: Query,
        shape: QuestionShape,
        names: [[UInt8]],
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        var x = query.x
        var y = query.y
        if shape.contains(.symmetric) && grammar.asciiPairOrder && names[y].lexicographicallyPrecedes(names[x]) {
            swap(&x, &y)
        }
        let alts = grammar.question(
            query.axiom,
            given: !query.given.isEmpty,
            relation: shape.contains(.relation) ? query.relation : -1
        )!
        for part in alts.pick(using: &rng).parts {
            switch part {
            case let .text(bytes): out.append(contentsOf: bytes)
            case .slot(.x): out.append(contentsOf: names[x])
            case .slot(.y): out.append(contentsOf: names[y])
            case .slot(.node): out.append(contentsOf: names[query.z])
            case .slot(.set): appendSet(query.set, names: names, into: &out)
            case .slot(.z): appendSet(query.given, names: names, into: &out)
            case .slot: break
            }
        }
    }

    /// Appends the question for `query` of a shipped task.
    public mutating func appendQuestion(
        _ query: Query,
        names: [[UInt8]],
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        appendQuestion(query, shape: TaskCatalog.task(query.axiom)!.shape, names: names, into: &out, using: &rng)
    }

    /// Appends an explanation: its steps in order, each in a template of its kind.
    public mutating func appendExplanation(
        _ explanation: Explanation,
        graph: CausalGraph,
        names: [[UInt8]],
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        for (i, step) in explanation.steps.enumerated() {
            if i > 0 { out.append(contentsOf: grammar.explanationSeparator) }
            let template = grammar.explanation(step.kind, given: step.conditioned)!.pick(using: &rng)
            appendStep(template, step, explanation, graph: graph, names: names, into: &out)
        }
    }

    /// Appends the explanation of a shipped task's `proof` (builds its steps; the hot path keeps
    /// an `Explanation` and calls `appendExplanation(_:graph:names:into:using:)`).
    public mutating func appendExplanation(
        _ query: Query,
        proof: Proof,
        graph: CausalGraph,
        names: [[UInt8]],
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        var steps = Explanation()
        var task = TaskCatalog.task(query.axiom)!
        task.prepare(graph)
        task.explain(query, proof: proof, into: &steps)
        appendExplanation(steps, graph: graph, names: names, into: &out, using: &rng)
    }

    /// Appends the prompt wrapper around an already rendered premise and question.
    public func appendPrompt(
        premise: ArraySlice<UInt8>,
        hypothesis: ArraySlice<UInt8>,
        into out: inout [UInt8],
        using rng: inout SeededRNG
    ) {
        guard let prompt = grammar.prompt else { return }
        appendPrompt(prompt.pick(using: &rng), premise: premise, hypothesis: hypothesis, into: &out)
    }

    private func appendPrompt(
        _ template: Template,
        premise: ArraySlice<UInt8>,
        hypothesis: ArraySlice<UInt8>,
        into out: inout [UInt8]
    ) {
        for part in template.parts {
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

    /// Every text the prompt wrapper can make of `premise` and `hypothesis`, one per template
    /// (empty without a wrapper): what `check` compares a chat or rl user message with.
    public func prompts(premise: [UInt8], hypothesis: [UInt8]) -> [[UInt8]] {
        guard let prompt = grammar.prompt else { return [] }
        return prompt.templates.map { template in
            var out: [UInt8] = []
            appendPrompt(template, premise: premise[...], hypothesis: hypothesis[...], into: &out)
            return out
        }
    }

    /// Appends a set of nodes, names in ASCII order.
    public mutating func appendSet(_ nodes: some Collection<Int>, names: [[UInt8]], into out: inout [UInt8]) {
        if nodes.isEmpty {
            out.append(contentsOf: grammar.setEmpty)
            return
        }
        setOrder.removeAll(keepingCapacity: true)
        setOrder.append(contentsOf: nodes)
        setOrder.sort { names[$0].lexicographicallyPrecedes(names[$1]) }
        out.append(contentsOf: grammar.setOpen)
        for (k, v) in setOrder.enumerated() {
            if k > 0 { out.append(contentsOf: grammar.setSeparator) }
            out.append(contentsOf: names[v])
        }
        out.append(contentsOf: grammar.setClose)
    }

    private mutating func append(
        _ template: Template,
        names: [[UInt8]],
        x: Int,
        y: Int,
        set: [Int] = [],
        into out: inout [UInt8]
    ) {
        for part in template.parts {
            switch part {
            case let .text(bytes): out.append(contentsOf: bytes)
            case .slot(.x): out.append(contentsOf: names[x])
            case .slot(.y): out.append(contentsOf: names[y])
            case .slot(.z): appendSet(set, names: names, into: &out)
            case .slot: break
            }
        }
    }

    /// Appends nodes as an English list in ASCII order of names ("A", "A and B", "A, B and C").
    public mutating func appendList(_ nodes: some Collection<Int>, names: [[UInt8]], into out: inout [UInt8]) {
        setOrder.removeAll(keepingCapacity: true)
        setOrder.append(contentsOf: nodes)
        setOrder.sort { names[$0].lexicographicallyPrecedes(names[$1]) }
        for (k, v) in setOrder.enumerated() {
            if k > 0 { out.append(contentsOf: k == setOrder.count - 1 ? grammar.listLast : grammar.listSeparator) }
            out.append(contentsOf: names[v])
        }
    }

    /// Appends the last premise's sentence for the edge `a → b` of `graph` without its final
    /// period (the grammar's first edge template if no premise of this graph was rendered).
    private mutating func appendQuote(_ a: Int, _ b: Int, graph: CausalGraph, names: [[UInt8]], into out: inout [UInt8])
    {
        var template = grammar.edge.templates[0]
        if sentenceOfEdge.count == graph.edges.count, let i = graph.edges.firstIndex(of: CausalGraph.Edge(a, b)) {
            template = sentenceTemplates[sentenceOfEdge[i]]
        }
        let start = out.count
        append(template, names: names, x: a, y: b, into: &out)
        if out.count > start && out[out.count - 1] == 0x2E { out.removeLast() }
    }

    private mutating func appendStep(
        _ template: Template,
        _ step: Explanation.Step,
        _ explanation: Explanation,
        graph: CausalGraph,
        names: [[UInt8]],
        into out: inout [UInt8]
    ) {
        let pool = explanation.nodes
        var number = step.numbers.lowerBound
        for part in template.parts {
            switch part {
            case let .text(bytes): out.append(contentsOf: bytes)
            case let .slot(slot):
                switch slot {
                case .x: out.append(contentsOf: names[step.x])
                case .y: out.append(contentsOf: names[step.y])
                case .a: out.append(contentsOf: names[step.a])
                case .b: out.append(contentsOf: names[step.b])
                case .c: out.append(contentsOf: names[step.c])
                case .z: appendSet(pool[step.given], names: names, into: &out)
                case .set: appendSet(pool[step.set], names: names, into: &out)
                case .trail:
                    var previous = -1
                    for v in pool[step.trail] {
                        if previous >= 0 {
                            out.append(
                                contentsOf: graph.hasEdge(previous, v) ? grammar.trailForward : grammar.trailBackward
                            )
                        }
                        out.append(contentsOf: names[v])
                        previous = v
                    }
                case .list: appendList(pool[step.set], names: names, into: &out)
                case .quote: appendQuote(step.a, step.b, graph: graph, names: names, into: &out)
                case .values:
                    // A causal model's stratum, "Z = 1, W = 0" (the mechanisms' equals and separator).
                    for (k, literal) in explanation.literals[step.values].enumerated() {
                        if k > 0 { out.append(contentsOf: grammar.mechanisms?.separator ?? [0x2C, 0x20]) }
                        out.append(contentsOf: names[literal.node])
                        out.append(contentsOf: grammar.mechanisms?.equals ?? [0x20, 0x3D, 0x20])
                        out.append(literal.value ? 0x31 : 0x30)
                    }
                case .value:
                    // The step's next quantity, rounded to four decimals (more where four would
                    // show a value that is not 0 as 0).
                    if number < step.numbers.upperBound {
                        Self.appendQuantity(explanation.numbers[number], into: &out)
                        number += 1
                    }
                case .node, .premise, .hypothesis, .instance, .count, .edges, .p: break
                }
            }
        }
    }
}

/// Replays an explanation read back from text (`ParsedStep`s) against its graph: every step must
/// be true of the graph, the question and the premise's own sentences, and the step the
/// explanation ends on must conclude the record's label.
///
/// The shared steps (quotes, searches, layers, trails) are here and in
/// `ExplanationReplay+Steps.swift`; each task replays its own explanations in its
/// `X+Replay.swift` (`CausalTask.replay`), so the checker knows no task by name.
public struct ExplanationReplay {
    /// The edge template of each premise sentence, read on first use (nil: the premise cannot
    /// be read so).
    let readSentences: () -> [CausalGraph.Edge: Int]?
    public let names: [String]
    public let graph: CausalGraph
    public let query: Query
    public let label: Bool
    /// The recipe's explanation style: `search` explanations may hold only their task's search
    /// steps (`CausalTask.searchForms`).
    public let style: ExplanationStyle
    /// The record's causal model (`graph.tables`), for tasks whose explanations read numbers.
    public var model: CausalModel?
    var problems: [String] = []
    /// The edge template of each premise sentence (read on first use).
    private var sentencesRead = false
    private var sentences: [CausalGraph.Edge: Int]?

    /// The template kinds of `axiom`'s explanations (`CausalTask.allExplanationForms`; empty for
    /// a task the catalog does not hold).
    public static func kinds(of axiom: Axiom) -> [String] {
        TaskCatalog.task(axiom)?.allExplanationForms.map(\.kind) ?? []
    }

    /// The step kinds a `search` explanation may hold (its task's `searchForms`), when the caller
    /// keeps them; else they are read off the task.
    let searchKinds: Set<String>?

    /// - Parameters:
    ///   - sentences: the edge template of each premise sentence (called at most once, when a
    ///     step quotes the premise).
    ///   - searchKinds: the task's search step kinds, from a caller that replays many records.
    public init(
        sentences: @escaping () -> [CausalGraph.Edge: Int]?,
        names: [String],
        graph: CausalGraph,
        query: Query,
        label: Bool,
        style: ExplanationStyle = .proof,
        searchKinds: Set<String>? = nil,
        model: CausalModel? = nil
    ) {
        self.model = model
        self.searchKinds = searchKinds
        self.style = style
        self.readSentences = sentences
        self.names = names
        self.graph = graph
        self.query = query
        self.label = label
    }

    /// What is wrong with `steps` (an explanation read back) as an explanation of the record
    /// (empty: every step holds).
    public mutating func problems(of steps: [ParsedStep]) -> [String] {
        problems = []
        guard let last = steps.last else { return ["the explanation is empty"] }
        guard let task = TaskCatalog.task(query.axiom) else { return ["no task is named '\(query.axiom)'"] }
        if style == .search {
            let allowed = searchKinds ?? Set(task.searchForms.map(\.kind))
            for s in steps where !allowed.contains(s.kind) {
                fail(s, "a '\(s.kind)' step does not belong in a label-neutral search (explanations: search)")
            }
        }
        task.replay(steps, last: last, in: &self)
        return problems
    }

    /// `checkGiven` for every step: for tasks whose steps name the question's conditioning set.
    public mutating func checkGiven(_ steps: [ParsedStep]) {
        for s in steps { checkGiven(s) }
    }

    // MARK: - Helpers

    public func name(_ v: Int) -> String { v >= 0 && v < names.count ? names[v] : "?" }
    public func nameSet(_ s: some Sequence<Int>) -> String {
        "{" + s.map(name).sorted().joined(separator: ", ") + "}"
    }
    public mutating func fail(_ step: ParsedStep?, _ message: String) {
        problems.append(step.map { "step '\($0.text)': \(message)" } ?? message)
    }
    public func children(_ v: Int) -> Set<Int> { Set(graph.children(of: v)) }
    public func parents(_ v: Int) -> Set<Int> { Set(graph.parents(of: v)) }
    public func neighbours(_ v: Int) -> Set<Int> { children(v).union(parents(v)) }
    public var given: Set<Int> { Set(query.given) }

    /// Whether a directed path `a ⇝ b` of at least one edge exists.
    public func reaches(_ a: Int, _ b: Int) -> Bool {
        guard (0..<graph.nodeCount).contains(a) else { return false }
        var seen = Set([a])
        var stack = [a]
        while let u = stack.popLast() {
            for c in graph.children(of: u) {
                if c == b { return true }
                if seen.insert(c).inserted { stack.append(c) }
            }
        }
        return false
    }

    /// A step names the conditioning set exactly when the question has one, and names it right.
    public mutating func checkGiven(_ s: ParsedStep) {
        if let z = s.z {
            if Set(z) != given || z.count != given.count {
                fail(s, "it names the conditioning set \(nameSet(z)), but the question gives \(nameSet(query.given))")
            }
        } else if !query.given.isEmpty
            && [
                "trail", "trail-active", "trail-chain", "trail-fork", "ds-start", "ds-isolated", "ds-pass", "ds-closed",
                "ds-never", "ds-reached",
            ].contains(s.kind)
        {
            fail(s, "it reads as if nothing were given, but the question gives \(nameSet(query.given))")
        }
    }

    /// The step is about the question's x and y (a slot its template leaves out is not checked:
    /// the paper grammar's compact "<y/> is reached." follows a search that names x).
    public mutating func checkEnds(_ s: ParsedStep) {
        if (s.x >= 0 && s.x != query.x) || (s.y >= 0 && s.y != query.y) {
            fail(
                s,
                "it is about \(name(s.x)) and \(name(s.y)), but the question asks about \(name(query.x)) and \(name(query.y))"
            )
        }
    }

    public mutating func conclude(_ yes: Bool) {
        if yes != label {
            fail(nil, "the explanation concludes \(yes ? "Yes" : "No"), but the label is \(label ? "Yes" : "No")")
        }
    }

    /// A `<quote/>` step for the edge `p → q`: the quoted sentence states that edge, the premise
    /// states it, in the same sentence. Returns whether all three hold.
    @discardableResult
    public mutating func checkQuote(_ s: ParsedStep, _ p: Int, _ q: Int) -> Bool {
        guard let quote = s.quote else {
            fail(s, "it quotes no sentence of the premise")
            return false
        }
        if !sentencesRead {
            sentences = readSentences()
            sentencesRead = true
        }
        if quote.from != p || quote.to != q {
            fail(
                s,
                "the quoted sentence states that \(name(quote.from)) causes \(name(quote.to)), not that \(name(p)) causes \(name(q))"
            )
        } else if !(0..<graph.nodeCount).contains(p) || !(0..<graph.nodeCount).contains(q) || !graph.hasEdge(p, q) {
            fail(s, "the premise states no edge \(name(p)) → \(name(q))")
        } else if let sentences, sentences[CausalGraph.Edge(p, q)] != quote.template {
            fail(s, "the quoted sentence is not the premise's own sentence for \(name(p)) → \(name(q))")
        } else {
            return true
        }
        return false
    }

}

/// The name of a causal task: the record's `axiom` value and the key of its grammar templates.
///
/// Each task file declares its own (`Axiom.transitivity` in `Transitivity.swift`); nothing
/// outside a task's file names it.
public struct Axiom: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { self.rawValue = name }
    public var description: String { rawValue }
}

/// A question about a graph. Which fields a task reads is its `shape`; the others stay empty.
/// A task whose questions name no y (their `QuestionForm.slots` lack "y") sets `y = x`.
public struct Query: Sendable, Hashable {
    public var axiom: Axiom
    public var x: Int
    public var y: Int
    /// A third node (`-1` when the task asks about none).
    public var z: Int
    /// A node set the question is about (ascending), e.g. a candidate adjustment set.
    public var set: [Int]
    /// The conditioning set, ascending.
    public var given: [Int]
    /// The relation a hypothesis asserts between x and y (`-1` when the task asks about none;
    /// the task names its relations, e.g. `CausalRelation`).
    public var relation: Int

    public init(_ axiom: Axiom, _ x: Int, _ y: Int, z: Int = -1, set: [Int] = [], given: [Int] = [], relation: Int = -1)
    {
        self.axiom = axiom
        self.x = x
        self.y = y
        self.z = z
        self.set = set
        self.given = given
        self.relation = relation
    }
}

/// Which parts of a `Query` a task's questions use, beside x and y.
public struct QuestionShape: OptionSet, Sendable, Hashable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// A third node `z`.
    public static let node = QuestionShape(rawValue: 1)
    /// A node set `set`.
    public static let set = QuestionShape(rawValue: 2)
    /// A conditioning set `given` (its size is drawn from the recipe's `given_size`).
    public static let given = QuestionShape(rawValue: 4)
    /// (x, y) and (y, x) are the same question.
    public static let symmetric = QuestionShape(rawValue: 8)
    /// A relation between x and y (`relation`), one of the task's `relationNames`.
    public static let relation = QuestionShape(rawValue: 16)
}

/// What a task's premise states about the hidden graph.
public enum PremiseStyle: Sendable, Hashable {
    /// One sentence per edge (the grammar's `<edge>` templates).
    case edges
    /// Every statistical relation the graph implies (`IndependenceModel`): correlations, then
    /// (conditional) independencies, after an introduction naming the variables (the grammar's
    /// `<statistics>` templates).
    case statistics
    /// A causal model: one sentence per edge, then every variable's probability table, one
    /// sentence per row (the grammar's `<mechanisms>` templates). Tasks of this style are
    /// prepared with the model (`prepare(_: CausalModel)`), and every variable may be asked about.
    case model
}

extension PremiseStyle {
    /// `edges`, `statistics` or `model` (`axiomc tasks --json`).
    public var name: String {
        switch self {
        case .edges: "edges"
        case .statistics: "statistics"
        case .model: "model"
        }
    }
}

/// An explanation template kind a task renders, with the slots its templates may hold.
public struct ExplanationForm: Sendable, Hashable {
    public var kind: String
    /// Slot names (grammar slot elements) allowed without and with a conditioning set.
    public var slots: [String]
    public var conditionedSlots: [String]
    /// How many `<value/>` slots each template holds, without and with a conditioning set (the
    /// step's numbers, filled in order; 0 where the form has none).
    public var values: Int
    public var conditionedValues: Int
    public init(
        _ kind: String,
        slots: [String],
        conditioned: [String]? = nil,
        values: Int = 0,
        conditionedValues: Int? = nil
    ) {
        self.kind = kind
        self.slots = slots
        self.conditionedSlots = conditioned ?? slots
        self.values = values
        self.conditionedValues = conditionedValues ?? values
    }
}

extension ExplanationForm {
    /// The forms of `kinds` as `tasks` declare them, in the order of `kinds`: a task that renders
    /// another task's derivation steps (one grammar template per kind) borrows their forms
    /// rather than restating them.
    public static func borrowed(_ kinds: [String], from tasks: [any CausalTask]) -> [ExplanationForm] {
        let forms = tasks.flatMap(\.explanationForms)
        return kinds.map { kind in
            guard let form = forms.first(where: { $0.kind == kind }) else {
                preconditionFailure("no task of \(tasks.map(\.axiom)) declares explanation kind '\(kind)'")
            }
            return form
        }
    }
}

/// How a record's explanation is written (`explanations:` in a recipe).
public enum ExplanationStyle: String, Sendable, Hashable, CaseIterable {
    /// The rule engine's proof: a witness for one label (a chain, a trail) and an exhaustive
    /// search for the other, so its first words tell the answer.
    case proof
    /// A label-neutral derivation: the task's search, run the same way whatever the answer (from
    /// the asked node, each reached node with the premise sentence that reached it), then one
    /// concluding step. Nothing before the conclusion depends on the label.
    case search
}

/// A question template kind: `conditioned` is the variant with a conditioning set.
public struct QuestionForm: Sendable, Hashable {
    public var conditioned: Bool
    /// Slot names each template must hold exactly once.
    public var slots: [String]
    public init(conditioned: Bool, slots: [String]) {
        self.conditioned = conditioned
        self.slots = slots
    }
}

/// An explanation as ordered steps, each rendered by one grammar template; node lists live in a
/// shared pool so a reused `Explanation` allocates nothing after warm-up.
public struct Explanation: Sendable {
    public struct Step: Sendable {
        /// The template kind (`ExplanationForm.kind`).
        public var kind: String
        /// Use the template variant for a non-empty conditioning set.
        public var conditioned: Bool
        public var x: Int, y: Int, a: Int, b: Int, c: Int
        /// Ranges into `nodes`: the conditioning set (`<z/>`), a node set (`<set/>`), a trail.
        public var given: Range<Int>, set: Range<Int>, trail: Range<Int>
        /// A range into `literals`: variables with their values (`<values/>`, "Z = 1, W = 0").
        public var values: Range<Int> = 0..<0
        /// A range into `numbers`: the step's `<value/>` slots, in order.
        public var numbers: Range<Int> = 0..<0
    }
    public var steps: [Step] = []
    public var nodes: [Int] = []
    /// The values of causal-model explanations: assignments and exact quantities.
    public var literals: [Literal] = []
    public var numbers: [Rational] = []
    /// Working storage for a task's `explain` (search queues, marks); reused, never rendered.
    public var scratch: [Int] = []
    public var marks: [Int] = []

    public init() {}

    /// Sets `marks` to `count` copies of `value`, keeping its storage.
    public mutating func resetMarks(_ count: Int, to value: Int = -1) {
        marks.removeAll(keepingCapacity: true)
        marks.append(contentsOf: repeatElement(value, count: count))
    }

    public mutating func removeAll() {
        steps.removeAll(keepingCapacity: true)
        nodes.removeAll(keepingCapacity: true)
        literals.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
    }

    /// Appends `values` to the literal pool and returns its range.
    public mutating func pool(_ values: [Literal]) -> Range<Int> {
        let start = literals.count
        literals.append(contentsOf: values)
        return start..<literals.count
    }

    /// Appends `list` to the pool and returns its range.
    public mutating func pool(_ list: some Sequence<Int>) -> Range<Int> {
        let start = nodes.count
        nodes.append(contentsOf: list)
        return start..<nodes.count
    }

    public mutating func add(
        _ kind: String,
        conditioned: Bool = false,
        x: Int,
        y: Int,
        a: Int = 0,
        b: Int = 0,
        c: Int = 0,
        given: Range<Int> = 0..<0,
        set: Range<Int> = 0..<0,
        trail: Range<Int> = 0..<0,
        values: Range<Int> = 0..<0,
        numbers: Range<Int> = 0..<0
    ) {
        steps.append(
            Step(
                kind: kind,
                conditioned: conditioned,
                x: x,
                y: y,
                a: a,
                b: b,
                c: c,
                given: given,
                set: set,
                trail: trail,
                values: values,
                numbers: numbers
            )
        )
    }
}

/// A causal task: everything the pipeline needs to generate, label, explain, parse and check
/// one kind of question. One file per task (`Transitivity.swift`, `DSeparation.swift`); the
/// sampler, renderer, parser, solver, checker and recipe decoder know tasks only through this.
///
/// A task value holds the reusable state of its rule engine and second algorithm, so it is
/// used by one thread at a time: `prepare` once per graph, then questions.
public protocol CausalTask: Sendable {
    /// The record's `axiom` value and the grammar key.
    var axiom: Axiom { get }
    /// One line for `--help` texts and the README's task table.
    var summary: String { get }
    /// Which parts of a `Query` the task uses.
    var shape: QuestionShape { get }
    /// The rule program whose fixpoint labels a question and whose derivation is the proof.
    var program: RuleProgram { get }
    /// The question templates a grammar must provide for this task (default: from `shape`).
    var questionForms: [QuestionForm] { get }
    /// The explanation templates a grammar must provide to explain this task.
    var explanationForms: [ExplanationForm] { get }
    /// Forms `axiomc query --ask` reads, as examples.
    var askExamples: [String] { get }
    /// The task's surface cues (bit i of `cues` is `cueNames[i]`; see `Cues`).
    var cueNames: [String] { get }
    /// The kinds of question that separate reasoning from cues; each has one label.
    var typeNames: [String] { get }
    /// The label of each question type (`true` is "Yes"), parallel to `typeNames`.
    var typeLabels: [Bool] { get }

    /// Loads a graph; facts are derived when a question needs them.
    mutating func prepare(_ graph: CausalGraph)
    /// Loads a causal model (tasks whose premise states one, `PremiseStyle.model`); the default
    /// loads its graph.
    mutating func prepare(_ model: CausalModel)
    /// The label by the rule engine: `true` is "Yes".
    mutating func answer(_ query: Query) -> Bool
    /// The label by the independent second algorithm (shares no code with `program`).
    mutating func check(_ query: Query) -> Bool
    /// Writes the rule engine's proof of the answer into `proof`, reusing its storage.
    mutating func prove(_ query: Query, into proof: inout Proof)
    /// Turns a proof into ordered explanation steps for the renderer (mutating: a task over a
    /// causal model evaluates its formula here).
    mutating func explain(_ query: Query, proof: Proof, into explanation: inout Explanation)
    /// Every explanation template the `search` style renders, its own and those it shares with
    /// the proofs (empty: the task has no label-neutral search, and recipes cannot ask for one).
    var searchForms: [ExplanationForm] { get }
    /// The `search`-style explanation of `query` on the prepared graph: steps that do not depend
    /// on the label, then the conclusion (only called when `searchForms` is not empty).
    mutating func explainSearch(_ query: Query, into explanation: inout Explanation)
    /// Replays an explanation of this task read back from text (`axiomc check`): each step must
    /// hold of `replay`'s graph and question, and the last conclude its label. Problems go to
    /// `replay` (`ExplanationReplay.fail`). Each task's lives in its `X+Replay.swift`.
    func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay)
    /// A plain-text answer and proof for the terminal (`axiomc query`).
    mutating func describe(_ query: Query, names: [String]) -> String

    /// The cue bits of `query` on the prepared graph; `mention[v]` ranks v's first mention in
    /// the premise.
    func cues(_ query: Query, mention: [Int]) -> UInt32
    /// The question type of `query` (an index into `typeNames`), given its label.
    mutating func questionType(_ query: Query, label: Bool) -> Int

    /// Draws one candidate question among `candidates` (the nodes the premise mentions), with a
    /// conditioning set of `givenSize` when the shape has one. `scratch` is reusable storage.
    func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    )
    /// Every question over `nodeCount` nodes with conditioning sets of `givenSizes` (tests,
    /// exhaustive checks; small graphs).
    func questions(nodeCount: Int, givenSizes: ClosedRange<Int>) -> [Query]
    /// Reads an `--ask` question (words split at spaces and '?'); nil if it is not this task's.
    func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query?

    /// What the premise states: edges (every task but Corr2Cause-style inference) or the
    /// statistical relations the graph implies.
    var premiseStyle: PremiseStyle { get }
    /// The split settings each difficulty level asks for (`level:` in recipes); the default is
    /// `Difficulty.edges` for a premise of edges.
    var difficulty: Difficulty { get }
    /// The names of the relations a `.relation` question asserts (`Query.relation` indexes it).
    var relationNames: [String] { get }
    /// One query per question that reads the same (e.g. "y is a child of x" as "x is a parent
    /// of y"), so text read back compares equal; the default is the query itself.
    func normalized(_ query: Query) -> Query
    /// Draws a candidate, told the question type the sampler wants next (-1: any). Tasks whose
    /// types a draw can aim at (a relation per type) override it; the default ignores the type.
    func draw(
        from candidates: [Int],
        givenSize: Int,
        type: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    )
}

extension CausalTask {
    /// x and y, then a `node` or a `set` as the shape asks, and with a conditioning set (`.given`)
    /// a second form that adds `z`. A task whose questions name no y (Markov blanket) says so.
    public var questionForms: [QuestionForm] {
        var slots = ["x", "y"]
        if shape.contains(.node) { slots.append("node") }
        if shape.contains(.set) { slots.append("set") }
        var forms = [QuestionForm(conditioned: false, slots: slots)]
        if shape.contains(.given) { forms.append(QuestionForm(conditioned: true, slots: slots + ["z"])) }
        return forms
    }
    /// One type per label: "yes" and "no".
    public var typeNames: [String] { ["yes", "no"] }
    public var typeLabels: [Bool] { [true, false] }
    public func questionType(_ query: Query, label: Bool) -> Int { label ? 0 : 1 }
    /// No `--ask` form (`axiomc query --ask` then names the tasks that have one).
    public var askExamples: [String] { [] }
    public func parseAsk(_ words: [String], lookup: (String) throws -> Int) throws -> Query? { nil }
    /// An ordered pair of distinct candidates, with a conditioning set of `givenSize` when the
    /// shape has one (`drawPair`): transitivity's and d-separation's draw. A task whose questions
    /// name a third node or a node set draws them itself.
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        precondition(
            shape.isDisjoint(with: [.node, .set]),
            "task '\(axiom)' asks about a node or a set: it must draw them"
        )
        drawPair(
            from: candidates,
            givenSize: shape.contains(.given) ? givenSize : 0,
            into: &query,
            scratch: &scratch,
            using: &rng
        )
    }
    public var searchForms: [ExplanationForm] { [] }
    public func explainSearch(_ query: Query, into explanation: inout Explanation) {
        preconditionFailure("task '\(axiom)' has no search explanations")
    }
    /// Every explanation template kind the task may render, in either style (each once).
    public var allExplanationForms: [ExplanationForm] {
        explanationForms + searchForms.filter { form in !explanationForms.contains { $0.kind == form.kind } }
    }
    public var premiseStyle: PremiseStyle { .edges }
    public mutating func prepare(_ model: CausalModel) { prepare(model.graph) }
    public var difficulty: Difficulty { .edges(conditioned: shape.contains(.given)) }
    public var relationNames: [String] { [] }
    public func normalized(_ query: Query) -> Query { query }
    public func draw(
        from candidates: [Int],
        givenSize: Int,
        type: Int,
        into query: inout Query,
        scratch: inout [Int],
        using rng: inout SeededRNG
    ) {
        draw(from: candidates, givenSize: givenSize, into: &query, scratch: &scratch, using: &rng)
    }
}

extension CausalTask {
    /// The cues a record of this task carries: the task's own (`cueNames`), then, for a premise
    /// that states edges (not a statistical one), the skeleton and placement cues
    /// (`Cues.skeletonNames`).
    public var recordCueNames: [String] { statesEdges ? cueNames + Cues.skeletonNames : cueNames }

    /// Whether the premise states the graph's edges (edges, or a model's edges and tables).
    public var statesEdges: Bool { premiseStyle != .statistics }

    /// The bits of `recordCueNames` for `query` on the prepared `graph`.
    public func recordCues(_ query: Query, mention: [Int], graph: CausalGraph) -> UInt32 {
        let own = cues(query, mention: mention)
        guard statesEdges else { return own }
        return own | Cues.skeleton(query, shape: shape, graph: graph, mention: mention, offset: cueNames.count)
    }
}

extension CausalTask {
    /// Pair questions (x, y[, given]); tasks with a third node or a node set override this.
    public func questions(nodeCount: Int, givenSizes: ClosedRange<Int>) -> [Query] {
        Array(
            QuerySpace(
                axiom,
                shape: shape,
                nodeCount: nodeCount,
                givenSizes: shape.contains(.given) ? givenSizes : 0...0
            )
        )
    }

    /// Set questions: for every ordered pair x ≠ y (`pairs`; else every x, asked as (x, x)), every
    /// set of the other nodes, ascending (n(n-1) · 2^(n-2) or n · 2^(n-1) questions).
    public func setQuestions(nodeCount n: Int, pairs: Bool) -> [Query] {
        var out: [Query] = []
        for x in 0..<n {
            for y in pairs ? Array(0..<n) : [x] where !pairs || y != x {
                let others = (0..<n).filter { $0 != x && $0 != y }
                for mask in 0..<(1 << others.count) {
                    out.append(
                        Query(axiom, x, y, set: others.indices.filter { mask & (1 << $0) != 0 }.map { others[$0] })
                    )
                }
            }
        }
        return out
    }

    /// The node set an `--ask` names before its keyword ("{C, D}", "C, D", or "{}"): each name
    /// looked up, once, ascending.
    public func askedSet(_ words: ArraySlice<String>, lookup: (String) throws -> Int) throws -> [Int] {
        var set: [Int] = []
        for m in words.joined(separator: " ").split(whereSeparator: { " ,{}".contains($0) }) {
            let v = try lookup(String(m))
            if !set.contains(v) { set.append(v) }
        }
        return set.sorted()
    }

    /// Draws an ordered pair of distinct candidates, then a conditioning set of `givenSize` among
    /// the others (ascending): the draw both shipped tasks use.
    public func drawPair(
        from candidates: [Int],
        givenSize k: Int,
        into query: inout Query,
        scratch pick: inout [Int],
        using rng: inout SeededRNG
    ) {
        let c = candidates.count
        let x = candidates[rng.below(c)]
        var yi = rng.below(c - 1)
        if candidates[yi] == x { yi = c - 1 }
        let y = candidates[yi]
        query.axiom = axiom
        query.x = x
        query.y = y
        query.given.removeAll(keepingCapacity: true)
        if k > 0 {
            pick.removeAll(keepingCapacity: true)
            for v in candidates where v != x && v != y { pick.append(v) }
            for i in 0..<k {
                let j = i + rng.below(pick.count - i)
                pick.swapAt(i, j)
                query.given.append(pick[i])
            }
            query.given.sort()
        }
    }
}

/// The tasks axiomc ships, in a fixed order (record statistics and parsing follow it), then any
/// tasks added for the current scope (`TaskCatalog.adding(_:_:)`).
public enum TaskCatalog {
    /// One value per shipped task. Adding a task = adding it here (plus its file, its grammar
    /// templates and tests).
    private static let shipped: [any CausalTask] = [
        Transitivity(), DSeparation(), Collider(), CommonCause(), Mediator(), MarkovBlanket(), Backdoor(), Frontdoor(),
        CorrelationToCausation(), Intervention(), Association(), TreatedEffect(),
    ]

    /// Tasks defined outside this module (a test's toy task, a plug-in), visible to every stage
    /// — recipes, grammars, sampler, renderer, parser, checker, evaluator — inside the scope of
    /// `adding(_:_:)` and the workers it spawns (`Scope.run`), and nowhere else.
    @TaskLocal private static var added: [any CausalTask] = []

    /// Fresh task values: the shipped ones, then those added in this scope (copies share storage
    /// until first used).
    public static func all() -> [any CausalTask] {
        let extra = added
        return extra.isEmpty ? shipped : shipped + extra
    }

    /// The task names, in catalog order.
    public static var names: [Axiom] { all().map(\.axiom) }

    /// A fresh value of the task named `axiom`, or nil.
    public static func task(_ axiom: Axiom) -> (any CausalTask)? {
        if let task = shipped.first(where: { $0.axiom == axiom }) { return task }
        return added.first { $0.axiom == axiom }
    }

    /// The catalog position of `axiom` (stable across versions for shipped tasks; added tasks
    /// follow them).
    public static func index(of axiom: Axiom) -> Int? {
        if let i = shipped.firstIndex(where: { $0.axiom == axiom }) { return i }
        return added.firstIndex { $0.axiom == axiom }.map { shipped.count + $0 }
    }

    /// Runs `body` with `tasks` in the catalog beside the shipped ones: the way a task that lives
    /// outside AxiomCore (the test suite's toy task) takes part in compile, check, solve and eval.
    /// A name already in the catalog is a programming error. Values that take the catalog when
    /// they are made (`Reasoner`, and so `Solver`) must be made inside the scope.
    public static func adding<T>(_ tasks: [any CausalTask], _ body: () throws -> T) rethrows -> T {
        var seen = Set(names)
        for task in tasks {
            precondition(seen.insert(task.axiom).inserted, "task '\(task.axiom)' is already in the catalog")
        }
        return try $added.withValue(added + tasks, operation: body)
    }

    /// The catalog as the caller sees it, to carry into threads it starts (task-local values do
    /// not follow a thread): `let scope = TaskCatalog.scope` before, `scope.run { … }` inside.
    public static var scope: Scope { Scope(added: added) }

    /// A catalog to reinstate on another thread (`TaskCatalog.scope`).
    public struct Scope: Sendable {
        fileprivate let added: [any CausalTask]
        /// Runs `body` with this scope's tasks in the catalog.
        public func run<T>(_ body: () throws -> T) rethrows -> T {
            try TaskCatalog.$added.withValue(added, operation: body)
        }
    }
}

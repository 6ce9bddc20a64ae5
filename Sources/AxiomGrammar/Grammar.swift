import AxiomCore

/// A grammar: how facts, questions, answers, prompts and proofs become text, and back.
///
/// Loaded from an XML file in `Grammars/` (see `Grammar.load`), validated against the schema
/// and checked for slots, then used read-only (and shared across threads) by the renderer and
/// the parser.
public struct Grammar: Sendable {
    public var name: String
    public var version: Int
    public var file: String
    public var yes: [UInt8]
    public var no: [UInt8]
    public var premiseSeparator: [UInt8]
    public var instanceSeparator: [UInt8]
    public var explanationSeparator: [UInt8]
    public var setOpen: [UInt8]
    public var setClose: [UInt8]
    public var setSeparator: [UInt8]
    public var setEmpty: [UInt8]
    public var trailForward: [UInt8]
    public var trailBackward: [UInt8]
    /// Between the items of an explanation's `<list/>`, and before its last item.
    public var listSeparator: [UInt8] = Array(", ".utf8)
    public var listLast: [UInt8] = Array(" and ".utf8)
    /// Name x and y of a d-separation question in ASCII order (the paper's files do).
    public var asciiPairOrder: Bool
    public var edge: Alternatives
    /// The templates of a statistical premise (`<statistics>`), if the grammar has them.
    public var statistics: Statistics?
    /// The templates of a causal model's tables (`<mechanisms>`), if the grammar has them.
    public var mechanisms: Mechanisms?
    /// A one-sentence description of the whole graph (`<description>`: `<set/>` the nodes as a
    /// list, `<edges/>` every edge in the `edge` template joined by `edgeSeparator`), replacing
    /// one sentence per edge.
    public var description: Alternatives?
    public var edgeSeparator: [UInt8] = Array(", ".utf8)
    /// Question templates keyed by task and whether a conditioning set is given.
    public var questions: [TemplateKey: Alternatives]
    public var prompt: Alternatives?
    /// Explanation templates keyed by kind (a task's `ExplanationForm.kind`) and whether a
    /// conditioning set is given.
    public var explanations: [TemplateKey: Alternatives]
    /// Every word of the grammar's text, lowercased: node names must avoid them.
    public var reservedWords: Set<String>

    public struct TemplateKey: Hashable, Sendable {
        /// A task name (questions) or an explanation kind.
        public var name: String
        public var given: Bool
        /// The asserted relation's index (`CausalTask.relationNames`), -1 for none.
        public var relation: Int
        public init(_ name: String, given: Bool, relation: Int = -1) {
            self.name = name
            self.given = given
            self.relation = relation
        }
    }

    /// The templates of a premise of statistical relations (see `IndependenceModel`).
    public struct Statistics: Sendable {
        /// `<count/>` variables and `<set/>`, the variables as a list.
        public var intro: Alternatives
        /// `<x/>` and `<y/>` correlate.
        public var correlation: Alternatives
        /// Opens the independencies after correlations ("However,").
        public var contrast: Alternatives?
        /// `<x/>` and `<y/>` are independent; `independentGiven` adds `<z/>`.
        public var independent: Alternatives
        public var independentGiven: Alternatives
    }

    /// The templates of a causal model's probability tables, one sentence per row.
    public struct Mechanisms: Sendable {
        /// A variable without parents: `<x/>` is 1 with probability `<p/>`.
        public var prior: Alternatives
        /// A row of a table: when the parents take `<values/>`, `<x/>` is 1 with probability `<p/>`.
        public var conditional: Alternatives
        /// Between a parent's name and its value in `<values/>` ("A = 1").
        public var equals: [UInt8]
        /// Between two parents' values in `<values/>`.
        public var separator: [UInt8]
    }

    /// The question templates of `axiom`, with or without a conditioning set (and for a relation).
    public func question(_ axiom: Axiom, given: Bool, relation: Int = -1) -> Alternatives? {
        questions[TemplateKey(axiom.rawValue, given: given, relation: relation)]
    }

    /// Whether the grammar has question templates for `task` (and its premise style).
    public func asks(_ task: any CausalTask) -> Bool {
        if task.premiseStyle == .statistics && statistics == nil { return false }
        if task.premiseStyle == .model && mechanisms == nil { return false }
        let relations = task.shape.contains(.relation) ? Array(task.relationNames.indices) : [-1]
        return task.questionForms.allSatisfy { form in
            relations.allSatisfy { question(task.axiom, given: form.conditioned, relation: $0) != nil }
        }
    }

    /// The explanation templates for `kind`, falling back from "given" to "none" variants.
    public func explanation(_ kind: String, given: Bool) -> Alternatives? {
        explanations[TemplateKey(kind, given: given)] ?? explanations[TemplateKey(kind, given: false)]
    }

    /// Whether every explanation kind of `task` has a template, so its proofs can be rendered.
    /// A task without explanation forms has no explanations to render.
    public func explains(_ task: any CausalTask) -> Bool {
        !task.explanationForms.isEmpty
            && task.explanationForms.allSatisfy { explanation($0.kind, given: false) != nil }
    }

    /// Whether `task`'s explanations in `style` can be rendered: its proof templates, and for
    /// `search` a label-neutral search of the task's with every template it renders.
    public func explains(_ task: any CausalTask, style: ExplanationStyle) -> Bool {
        guard explains(task) else { return false }
        switch style {
        case .proof: return true
        case .search:
            return !task.searchForms.isEmpty
                && task.searchForms.allSatisfy { explanation($0.kind, given: false) != nil }
        }
    }

    /// Whether the grammar explains every task it asks.
    public var explains: Bool {
        let asked = TaskCatalog.all().filter(asks)
        return !asked.isEmpty && asked.allSatisfy(explains)
    }

    public func answer(_ yes: Bool) -> [UInt8] { yes ? self.yes : no }
}

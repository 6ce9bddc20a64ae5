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
        public init(_ name: String, given: Bool) {
            self.name = name
            self.given = given
        }
    }

    /// The question templates of `axiom`, with or without a conditioning set.
    public func question(_ axiom: Axiom, given: Bool) -> Alternatives? {
        questions[TemplateKey(axiom.rawValue, given: given)]
    }

    /// Whether the grammar has question templates for `task`.
    public func asks(_ task: any CausalTask) -> Bool {
        task.questionForms.allSatisfy { question(task.axiom, given: $0.conditioned) != nil }
    }

    /// The explanation templates for `kind`, falling back from "given" to "none" variants.
    public func explanation(_ kind: String, given: Bool) -> Alternatives? {
        explanations[TemplateKey(kind, given: given)] ?? explanations[TemplateKey(kind, given: false)]
    }

    /// Whether every explanation kind of `task` has a template, so its proofs can be rendered.
    public func explains(_ task: any CausalTask) -> Bool {
        task.explanationForms.allSatisfy { explanation($0.kind, given: false) != nil }
    }

    /// Whether the grammar explains every task it asks.
    public var explains: Bool {
        let asked = TaskCatalog.all().filter(asks)
        return !asked.isEmpty && asked.allSatisfy(explains)
    }

    public func answer(_ yes: Bool) -> [UInt8] { yes ? self.yes : no }
}

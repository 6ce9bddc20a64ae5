import AxiomCore

/// Which proof an explanation template renders.
public enum ExplanationKind: String, Sendable, CaseIterable {
    case stated, step
    case noChain = "no-chain"
    case activeTrail = "active-trail"
    case blocked
}

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
    /// Name x and y of a d-separation question in ASCII order (the paper's files do).
    public var asciiPairOrder: Bool
    public var edge: Alternatives
    public var transitivity: Alternatives
    public var dSeparation: Alternatives
    public var dSeparationGiven: Alternatives
    public var prompt: Alternatives?
    /// Keyed by kind and whether a conditioning set is given.
    public var explanations: [ExplanationKey: Alternatives]
    /// Every word of the grammar's text, lowercased: node names must avoid them.
    public var reservedWords: Set<String>

    public struct ExplanationKey: Hashable, Sendable {
        public var kind: ExplanationKind
        public var given: Bool
    }

    /// The explanation templates for `kind`, falling back from "given" to "none" variants.
    public func explanation(_ kind: ExplanationKind, given: Bool) -> Alternatives? {
        explanations[ExplanationKey(kind: kind, given: given)] ?? explanations[ExplanationKey(kind: kind, given: false)]
    }

    /// Whether every proof kind has a template, so explanations can be rendered.
    public var explains: Bool {
        ExplanationKind.allCases.allSatisfy { explanation($0, given: false) != nil }
    }

    public func answer(_ yes: Bool) -> [UInt8] { yes ? self.yes : no }
}

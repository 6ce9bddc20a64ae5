import AxiomCore

/// A slot in a template, filled at render time.
///
/// In questions: `x`, `y`, `node` (a third node), `set` (a node set), `z` (the conditioning
/// set). In explanations: `x`, `y`, `a`, `b`, `c`, `set`, `z`, `trail`, `list` (the step's node
/// set as an English list, "A, B and C"), `quote` (the premise's own sentence for the edge a → b,
/// without its final period). In prompts: `instance`, or `premise` and `hypothesis`. In a
/// model's mechanisms: `x`, `p` (a probability, "0.35") and `values` (the parents' values,
/// "A = 1, C = 0"). In a causal model's explanations also `values` (a stratum: variables with
/// their values) and `value` (an exact quantity rounded to four decimals, "-0.0812"; a template
/// may hold several, filled in the step's order).
public enum Slot: String, Sendable, CaseIterable {
    case x, y, node, z, a, b, c, set, trail, premise, hypothesis, instance, list, quote, count, edges, p, values, value
}

/// A template split once at load time into literal bytes and slots.
public struct Template: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text([UInt8])
        case slot(Slot)
    }
    public var parts: [Part]
    public var weight: Double
    /// The template's line in its grammar file, for errors.
    public var line: Int

    /// The byte that ends a sentence: `.`.
    public static let stop: UInt8 = 0x2E

    /// Whether the template's last part is literal text ending with a period.
    public var endsWithStop: Bool {
        if case let .text(bytes)? = parts.last { return bytes.last == Template.stop }
        return false
    }

    public var slots: [Slot] {
        parts.compactMap { if case let .slot(s) = $0 { s } else { nil } }
    }

    /// Every word of the template's literal text, lowercased (runs of name characters).
    var words: [String] {
        var out: [String] = []
        for case let .text(bytes) in parts {
            var word: [UInt8] = []
            for b in bytes + [0x20] {
                if NameBytes.isNameByte(b) {
                    word.append(NameBytes.lower(b))
                } else if !word.isEmpty {
                    out.append(String(decoding: word, as: UTF8.self))
                    word.removeAll()
                }
            }
        }
        return out
    }
}

/// Weighted paraphrases of one template; rendering draws one per use.
public struct Alternatives: Sendable, Equatable {
    public var templates: [Template]
    @usableFromInline var cumulative: [Double]

    public init(_ templates: [Template]) {
        precondition(!templates.isEmpty)
        self.templates = templates
        var sum = 0.0
        cumulative = templates.map {
            sum += $0.weight
            return sum
        }
    }

    /// Draws a template; a single template consumes no randomness.
    @inlinable
    public func pick(using rng: inout SeededRNG) -> Template {
        if templates.count == 1 { return templates[0] }
        return templates[index(rng.unit() * cumulative[cumulative.count - 1])]
    }

    @usableFromInline
    func index(_ r: Double) -> Int {
        var i = 0
        while i < cumulative.count - 1 && r >= cumulative[i] { i += 1 }
        return i
    }
}

/// Byte classes shared by names, rendering and parsing.
public enum NameBytes {
    /// `[A-Za-z0-9_-]`: the bytes a node name may hold.
    @inlinable
    public static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }

    /// Whether a name ends before `t[i]`: at a non-name byte, or at "->" (CLEAR's `J->C`).
    @inlinable
    public static func endsName(_ t: [UInt8], at i: Int) -> Bool {
        !isNameByte(t[i]) || (t[i] == 0x2D && i + 1 < t.count && t[i + 1] == 0x3E)
    }

    @inlinable
    public static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
}

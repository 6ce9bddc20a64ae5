import AxiomCore
import AxiomRecords

extension Grammar {
    /// Reads an explanation back into steps of the given kinds; names must be among `names`.
    ///
    /// At each position the longest template of `kinds` that matches and ends at the text's end
    /// or at the explanation separator wins.
    ///
    /// - Throws: `TextError` (field "explanation") at the first text no step template matches.
    public func parseExplanation(_ text: String, kinds: [String], names: [String]) throws -> [ParsedStep] {
        let index = NameIndex(names)
        let t = Array(text.utf8)
        let reader = StepReader(grammar: self, index: index, quotes: quoteTemplates)
        var candidates: [(String, Bool, Template)] = []
        for kind in kinds {
            for given in [false, true] {
                guard let alts = explanations[TemplateKey(kind, given: given)] else { continue }
                for template in alts.templates { candidates.append((kind, given, template)) }
            }
        }
        var steps: [ParsedStep] = []
        var pos = 0
        while pos < t.count {
            var best: ParsedStep?
            var bestEnd = -1
            for (kind, given, template) in candidates {
                guard var step = reader.match(template, t, pos), step.end > bestEnd else { continue }
                let end = step.end
                guard end == t.count || t[end...].starts(with: explanationSeparator) else { continue }
                step.step.kind = kind
                step.step.conditioned = given
                step.step.text = String(decoding: t[pos..<end], as: UTF8.self)
                best = step.step
                bestEnd = end
            }
            guard let step = best else {
                throw TextError(
                    field: "explanation",
                    offset: pos,
                    message: "no explanation step matches '\(snippet(t, pos))'"
                )
            }
            steps.append(step)
            pos = bestEnd == t.count ? bestEnd : bestEnd + explanationSeparator.count
        }
        return steps
    }

    /// The edge template each sentence of `premise` is written in, by edge (node indices of
    /// `names`); nil when the premise cannot be read.
    public func premiseSentences(_ premise: String, names: [String]) -> [CausalGraph.Edge: Int]? {
        let index = NameIndex(names)
        let t = Array(premise.utf8)
        let reader = InstanceReader(grammar: self)
        var out: [CausalGraph.Edge: Int] = [:]
        var pos = 0
        while pos < t.count {
            var found = false
            for (k, template) in edge.templates.enumerated() {
                guard let m = reader.match(template, t, pos), let a = index[m.x], let b = index[m.y] else { continue }
                out[CausalGraph.Edge(a, b)] = k
                pos = m.end
                found = true
                break
            }
            guard found else { return nil }
            if pos < t.count {
                guard t[pos...].starts(with: premiseSeparator) else { return nil }
                pos += premiseSeparator.count
            }
        }
        return out
    }

    /// The edge templates as `<quote/>` renders them: without a final period.
    var quoteTemplates: [Template] {
        edge.templates.map { template in
            var t = template
            if case let .text(bytes)? = t.parts.last, bytes.last == 0x2E {
                if bytes.count == 1 {
                    t.parts.removeLast()
                } else {
                    t.parts[t.parts.count - 1] = .text(Array(bytes.dropLast()))
                }
            }
            return t
        }
    }
}

/// Matches explanation templates; every name must be a node of the record.
struct StepReader {
    let grammar: Grammar
    let index: NameIndex
    let quotes: [Template]

    struct Match {
        var end: Int
        var step: ParsedStep
    }

    func match(_ template: Template, _ t: [UInt8], _ start: Int) -> Match? {
        var step = ParsedStep(kind: "", conditioned: false)
        var pos = start
        for part in template.parts {
            switch part {
            case let .text(lit):
                guard t.count - pos >= lit.count, t[pos..<(pos + lit.count)].elementsEqual(lit) else { return nil }
                pos += lit.count
            case let .slot(slot):
                switch slot {
                // A slot a template holds twice must read the same both times.
                case .x, .y, .a, .b, .c:
                    guard let v = name(t, &pos) else { return nil }
                    func keep(_ field: inout Int) -> Bool {
                        if field >= 0 && field != v { return false }
                        field = v
                        return true
                    }
                    let same: Bool
                    switch slot {
                    case .x: same = keep(&step.x)
                    case .y: same = keep(&step.y)
                    case .a: same = keep(&step.a)
                    case .b: same = keep(&step.b)
                    default: same = keep(&step.c)
                    }
                    guard same else { return nil }
                case .z, .set:
                    guard let s = set(t, &pos) else { return nil }
                    if slot == .z {
                        guard step.z == nil || step.z == s else { return nil }
                        step.z = s
                    } else {
                        guard step.set == nil || step.set == s else { return nil }
                        step.set = s
                    }
                case .list:
                    guard let l = list(t, &pos), step.list == nil || step.list == l else { return nil }
                    step.list = l
                case .trail:
                    guard let first = name(t, &pos) else { return nil }
                    var nodes = [first]
                    while true {
                        let forward: Bool
                        if t[pos...].starts(with: grammar.trailForward) {
                            forward = true
                            pos += grammar.trailForward.count
                        } else if t[pos...].starts(with: grammar.trailBackward) {
                            forward = false
                            pos += grammar.trailBackward.count
                        } else {
                            break
                        }
                        guard let v = name(t, &pos) else { return nil }
                        nodes.append(v)
                        step.forward.append(forward)
                    }
                    step.trail = nodes
                case .quote:
                    guard let q = quote(t, &pos) else { return nil }
                    step.quote = q
                case .values:
                    guard let v = values(t, &pos), step.values == nil || step.values == v else { return nil }
                    step.values = v
                case .value:
                    guard let n = number(t, &pos) else { return nil }
                    step.numbers.append(n)
                default:
                    return nil
                }
            }
        }
        return Match(end: pos, step: step)
    }

    /// A node name (a whole run of name bytes that names a node).
    func name(_ t: [UInt8], _ pos: inout Int) -> Int? {
        var end = pos
        while end < t.count && NameBytes.isNameByte(t[end]) { end += 1 }
        // The longest name first; a shorter one when a name runs into text that may continue a
        // name ("Z->C": the name is "Z", not "Z-").
        while end > pos {
            if let v = index[t[pos..<end]] {
                pos = end
                return v
            }
            end -= 1
        }
        return nil
    }

    /// "Z = 1, W = 0" (the grammar's `<mechanisms>` equals and separator): a separator counts
    /// only when another "name equals digit" follows it.
    func values(_ t: [UInt8], _ pos: inout Int) -> [Literal]? {
        let equals = grammar.mechanisms?.equals ?? Array(" = ".utf8)
        let separator = grammar.mechanisms?.separator ?? Array(", ".utf8)
        func literal(_ at: Int) -> (Literal, Int)? {
            var p = at
            guard let v = name(t, &p), t[p...].starts(with: equals) else { return nil }
            p += equals.count
            guard p < t.count, t[p] == 0x30 || t[p] == 0x31 else { return nil }
            guard p + 1 == t.count || !NameBytes.isNameByte(t[p + 1]) else { return nil }
            return (Literal(v, t[p] == 0x31), p + 1)
        }
        guard var next = literal(pos) else { return nil }
        var out: [Literal] = []
        while true {
            out.append(next.0)
            pos = next.1
            guard t[pos...].starts(with: separator), let more = literal(pos + separator.count) else { return out }
            next = more
        }
    }

    /// A decimal number: an optional "-", digits, and optionally "." and more digits (a "."
    /// not followed by a digit ends the sentence, not the number).
    func number(_ t: [UInt8], _ pos: inout Int) -> ParsedStep.Number? {
        func isDigit(_ i: Int) -> Bool { i < t.count && t[i] >= 0x30 && t[i] <= 0x39 }
        var p = pos
        let negative = p < t.count && t[p] == 0x2D
        if negative { p += 1 }
        guard isDigit(p) else { return nil }
        var digits: [UInt8] = []
        while isDigit(p) && digits.count < 30 {
            digits.append(t[p])
            p += 1
        }
        var places = 0
        if p < t.count && t[p] == 0x2E && isDigit(p + 1) {
            p += 1
            while isDigit(p) && digits.count < 30 {
                digits.append(t[p])
                places += 1
                p += 1
            }
        }
        guard !isDigit(p) else { return nil }
        var numerator = BigInt.zero
        for d in digits { numerator = numerator * 10 + BigInt(Int(d - 0x30)) }
        var denominator = BigInt.one
        for _ in 0..<places { denominator = denominator * 10 }
        pos = p
        let value = Rational(numerator, denominator)
        return ParsedStep.Number(value: negative ? -value : value, places: places)
    }

    func set(_ t: [UInt8], _ pos: inout Int) -> [Int]? {
        if t[pos...].starts(with: grammar.setEmpty) {
            pos += grammar.setEmpty.count
            return []
        }
        guard t[pos...].starts(with: grammar.setOpen) else { return nil }
        var p = pos + grammar.setOpen.count
        var members: [Int] = []
        while true {
            guard let v = name(t, &p) else { return nil }
            members.append(v)
            if t[p...].starts(with: grammar.setClose) {
                pos = p + grammar.setClose.count
                return members
            }
            guard t[p...].starts(with: grammar.setSeparator) else { return nil }
            p += grammar.setSeparator.count
        }
    }

    /// "A", "A and B", "A, B and C": a separator counts only when a node name follows it.
    func list(_ t: [UInt8], _ pos: inout Int) -> [Int]? {
        guard let first = name(t, &pos) else { return nil }
        var members = [first]
        while true {
            var p = pos
            let last: Bool
            if t[p...].starts(with: grammar.listSeparator) {
                p += grammar.listSeparator.count
                last = false
            } else if t[p...].starts(with: grammar.listLast) {
                p += grammar.listLast.count
                last = true
            } else {
                return members
            }
            guard let v = name(t, &p) else { return members }
            members.append(v)
            pos = p
            if last { return members }
        }
    }

    func quote(_ t: [UInt8], _ pos: inout Int) -> ParsedStep.Quote? {
        for (k, template) in quotes.enumerated() {
            var p = pos
            var x = -1
            var y = -1
            var ok = true
            for part in template.parts {
                switch part {
                case let .text(lit):
                    if t.count - p >= lit.count && t[p..<(p + lit.count)].elementsEqual(lit) {
                        p += lit.count
                    } else {
                        ok = false
                    }
                case .slot(.x):
                    if let v = name(t, &p) { x = v } else { ok = false }
                case .slot(.y):
                    if let v = name(t, &p) { y = v } else { ok = false }
                default: ok = false
                }
                if !ok { break }
            }
            if ok && x >= 0 && y >= 0 {
                pos = p
                return ParsedStep.Quote(from: x, to: y, template: k)
            }
        }
        return nil
    }
}

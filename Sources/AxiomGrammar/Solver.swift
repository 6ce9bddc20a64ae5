import AxiomCore
import AxiomRecords
import Foundation

/// Answers premise–hypothesis lines written by anyone, in a grammar, with the rule engine —
/// the audit behind `axiomc solve`.
public struct Solver {
    public let grammar: Grammar
    private var reasoner = Reasoner()
    private var renderer: Renderer
    private var proof = Proof()
    private var steps = Explanation()

    public init(grammar: Grammar) {
        self.grammar = grammar
        self.renderer = Renderer(grammar: grammar)
    }

    /// What became of one input line.
    public enum Outcome: Equatable {
        /// Answered; `label` is the line's own label when it had one (normalized to the grammar's
        /// answer words), `explanation` the proof in the grammar's words (empty if it has none).
        case answered(yes: Bool, label: Bool?, explanation: String, names: [String])
        /// Unreadable JSON, missing fields, or text the grammar cannot read back.
        case failed(String)
    }

    /// Solves one JSON line: `premise` + `hypothesis`, or `prompt` (wrapped or a bare instance);
    /// a `label`, `completion` or `answer` field is compared with the derived answer.
    public mutating func solve(line: String) -> Outcome {
        guard let object = try? JSONValue.parse(Array(line.utf8)), case .object = object else {
            return .failed("not a JSON object")
        }
        let parsed: ParsedInstance
        do {
            if let premise = object[RecordField.premise]?.string,
                let hypothesis = object[RecordField.hypothesis]?.string
            {
                parsed = try grammar.parse(premise: premise, hypothesis: hypothesis)
            } else if let prompt = object[RecordField.prompt]?.string {
                parsed = try parse(prompt: prompt)
            } else {
                return .failed("no 'premise' and 'hypothesis' fields and no 'prompt' field")
            }
        } catch let error as TextError {
            return .failed(error.description)
        } catch {
            return .failed("\(error)")
        }
        var label: Bool?
        for key in [RecordField.label, RecordField.completion, "answer"] {
            guard let raw = object[key]?.string else { continue }
            let word = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if word == String(decoding: grammar.yes, as: UTF8.self).lowercased() {
                label = true
            } else if word == String(decoding: grammar.no, as: UTF8.self).lowercased() {
                label = false
            } else {
                return .failed(
                    "\(key) '\(raw)' is neither '\(String(decoding: grammar.yes, as: UTF8.self))' nor '\(String(decoding: grammar.no, as: UTF8.self))'"
                )
            }
            break
        }
        let yes = answer(parsed)
        var text: [UInt8] = []
        if let task = TaskCatalog.task(parsed.query.axiom), grammar.explains(task) {
            reasoner.explain(parsed.query, into: &proof)
            reasoner.steps(parsed.query, proof: proof, into: &steps)
            var rng = SeededRNG(seed: 0)
            let names = parsed.names.map { Array($0.utf8) }
            renderer.appendExplanation(steps, graph: parsed.graph, names: names, into: &text, using: &rng)
        }
        return .answered(
            yes: yes,
            label: label,
            explanation: String(decoding: text, as: UTF8.self),
            names: parsed.names
        )
    }

    /// Reads a prompt: with the grammar's wrapper, as a bare instance, or as an instance after
    /// some other wrapper's text (the instance is taken to start after a newline or a ': ').
    ///
    /// - Throws: of the readings tried, the error that got furthest into the prompt (the failing
    ///   sentence, not the wrapper text before the instance), with its offset in the prompt.
    func parse(prompt: String) throws -> ParsedInstance {
        var best: TextError?
        func keep(_ e: TextError) { if best == nil || e.offset > best!.offset { best = e } }
        if grammar.prompt != nil {
            do { return try grammar.parse(prompt: prompt) } catch let e as TextError { keep(e) }
        }
        let bytes = Array(prompt.utf8)
        let text = prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        let lead = bytes.count - prompt.drop(while: { $0.isWhitespace }).utf8.count
        var starts = [text.startIndex]
        var i = text.startIndex
        while i < text.endIndex {
            let next = text.index(after: i)
            if text[i] == "\n" { starts.append(next) }
            if text[i] == ":", next < text.endIndex, text[next] == " " { starts.append(text.index(after: next)) }
            i = next
        }
        for start in starts {
            let rest = text[start...]
            let instance = rest.trimmingCharacters(in: .whitespaces)
            do {
                return try grammar.parse(instance: instance)
            } catch let e as TextError {
                // Where `instance` starts in the prompt's bytes.
                let skipped = rest.utf8.count - rest.drop(while: { $0 == " " || $0 == "\t" }).utf8.count
                keep(
                    e.moved(
                        by: lead + text.utf8.distance(from: text.startIndex, to: start) + skipped,
                        into: "prompt",
                        text: bytes
                    )
                )
            }
        }
        throw best!
    }

    /// The rule engine's answer, cross-checked by the second algorithm.
    public mutating func answer(_ parsed: ParsedInstance) -> Bool {
        if let model = parsed.model { reasoner.prepare(model) } else { reasoner.prepare(parsed.graph) }
        let yes = reasoner.answer(parsed.query)
        let q = parsed.query
        let check = reasoner.check(q)
        precondition(yes == check, "rule engine and second algorithm disagree on \(q); this is a bug in axiomc")
        return yes
    }
}

/// Names that differ only in case, in the order found: a sign of collided random names.
public func caseCollisions(_ names: [String]) -> [String] {
    var seen: [String: String] = [:]
    var out: [String] = []
    for n in names {
        if let other = seen[n.lowercased()], other != n {
            out.append("\(other)/\(n)")
        } else {
            seen[n.lowercased()] = n
        }
    }
    return out
}

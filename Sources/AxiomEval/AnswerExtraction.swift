import Foundation

/// Turns a model's raw output into Yes, No or invalid.
///
/// Rules, in order (all case-insensitive):
/// 1. If the text holds `<answer>…</answer>`, only the last such span is read.
/// 2. Markdown emphasis and code marks (`*`, `_`, `` ` ``), quotes and brackets are dropped, and
///    space is trimmed.
/// 3. A leading `Answer:` / `Final answer:` (also `-`) label is dropped.
/// 4. Trailing punctuation (`.`, `!`, `,`, `;`, `:`, `?`) is dropped; what is left being exactly
///    `yes` or `no` (or the grammar's words) decides.
/// 5. Otherwise the last whole word `yes` or `no` in the text decides (a final answer after
///    reasoning).
/// 6. Otherwise, including empty output, the answer is invalid: counted wrong, reported apart.
public enum AnswerExtraction {
    public enum Answer: Sendable, Equatable {
        case yes, no, invalid
    }

    public static func extract(_ raw: String, yes: String = "yes", no: String = "no") -> Answer {
        // Fast path: a bare answer word, possibly space-padded (most files), costs no allocation.
        var utf8 = Substring(raw).utf8[...]
        while let f = utf8.first, f == 0x20 { utf8 = utf8.dropFirst() }
        while let l = utf8.last, l == 0x20 || l == 0x0A { utf8 = utf8.dropLast() }
        if utf8.elementsEqual("Yes".utf8) || utf8.elementsEqual("yes".utf8) { return .yes }
        if utf8.elementsEqual("No".utf8) || utf8.elementsEqual("no".utf8) { return .no }
        var text = Substring(raw)
        if let open = raw.range(of: "<answer>", options: [.caseInsensitive, .backwards]) {
            let rest = raw[open.upperBound...]
            if let close = rest.range(of: "</answer>", options: .caseInsensitive) {
                text = rest[..<close.lowerBound]
            } else {
                text = rest
            }
        }
        var cleaned = String(text.filter { !"*_`\"'“”‘’()[]{}".contains($0) }).lowercased()
        cleaned = cleaned.trimmingCharacters(in: .whitespacesAndNewlines)
        for label in ["final answer", "answer"] {
            if cleaned.hasPrefix(label) {
                let rest = cleaned.dropFirst(label.count).drop { $0 == " " }
                if let first = rest.first, first == ":" || first == "-" || first == "：" {
                    cleaned = String(rest.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
        }
        while let last = cleaned.last, ".!,;:?".contains(last) { cleaned.removeLast() }
        cleaned = cleaned.trimmingCharacters(in: .whitespacesAndNewlines)
        let y = yes.lowercased()
        let n = no.lowercased()
        if cleaned == y || cleaned == "yes" { return .yes }
        if cleaned == n || cleaned == "no" { return .no }
        // The last whole word yes/no.
        var word = ""
        var last: Answer = .invalid
        for ch in cleaned + " " {
            if ch.isLetter {
                word.append(ch)
            } else {
                if word == "yes" || word == y { last = .yes } else if word == "no" || word == n { last = .no }
                word = ""
            }
        }
        return last
    }
}

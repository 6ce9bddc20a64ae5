import AxiomRecords

/// The reward of one completion for reinforcement learning: the evaluator's verdict as a number.
public enum Reward {
    /// 1 when the answer `AnswerExtraction` reads from `completion` is the gold label, else 0
    /// (a wrong or invalid answer) — exactly what `axiomc eval` counts as correct.
    ///
    /// With `strict`, 1 only when the completion is in a format a layout teaches and names the
    /// gold label: its last non-empty line is `Answer: Yes` or `Answer: No` (what the chat,
    /// completion and rl layouts' user message asks for and their target ends with), or the whole
    /// completion is the bare answer `Yes` or `No` (the records layout's completion after a prompt
    /// ending in `Answer:`); a final `.` is allowed (CLEAR's wording), white space is trimmed,
    /// nothing else is (no markdown, tags or other case).
    public static func score(_ completion: String, label: Bool, strict: Bool = false) -> Double {
        if strict { return strictAnswer(completion) == label ? 1 : 0 }
        let answer = AnswerExtraction.extract(completion)
        return (answer == .yes && label) || (answer == .no && !label) ? 1 : 0
    }

    /// The label of a completion in a taught format (see `score(_:label:strict:)`), else nil.
    public static func strictAnswer(_ completion: String) -> Bool? {
        let lines = completion.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        let nonEmpty = lines.lazy.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard var last = nonEmpty.last else { return nil }
        if last.hasSuffix(".") { last = last.dropLast() }
        switch last {
        case RecordFormat.answerPrefix + RecordFormat.yes: return true
        case RecordFormat.answerPrefix + RecordFormat.no: return false
        case RecordFormat.yes where nonEmpty.count == 1: return true
        case RecordFormat.no where nonEmpty.count == 1: return false
        default: return nil
        }
    }

    /// The gold label of a record's `label` text (`Yes`/`No`, any case, a final `.` allowed, as
    /// corpora of older versions wrote CLEAR's labels); nil for anything else.
    public static func label(_ text: String) -> Bool? {
        switch (text.hasSuffix(".") ? String(text.dropLast()) : text).lowercased() {
        case "yes": true
        case "no": false
        default: nil
        }
    }

    /// The gold label of a corpus record of any layout (`label`, or rl's `reward_model.ground_truth`).
    public static func label(record: JSONValue) -> Bool? {
        RecordLayout.label(of: record).flatMap(label)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}

import AxiomRecords

/// The reward of one completion for reinforcement learning: the evaluator's verdict as a number.
public enum Reward {
    /// 1 when the answer `AnswerExtraction` reads from `completion` is the gold label, else 0
    /// (a wrong or invalid answer) — exactly what `axiomc eval` counts as correct.
    ///
    /// With `strict`, 1 only when the completion's last non-empty line (trimmed of white space)
    /// is exactly `Answer: Yes` or `Answer: No` and names the gold label: the format the chat and
    /// completion layouts teach.
    public static func score(_ completion: String, label: Bool, strict: Bool = false) -> Double {
        if strict { return strictAnswer(completion) == label ? 1 : 0 }
        let answer = AnswerExtraction.extract(completion)
        return (answer == .yes && label) || (answer == .no && !label) ? 1 : 0
    }

    /// The label of a completion whose last non-empty line is exactly `Answer: Yes`/`Answer: No`.
    public static func strictAnswer(_ completion: String) -> Bool? {
        let lines = completion.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        let last = lines.lazy.map { $0.trimmingWhitespace() }.last { !$0.isEmpty }
        switch last {
        case RecordFormat.answerPrefix + "Yes": return true
        case RecordFormat.answerPrefix + "No": return false
        default: return nil
        }
    }

    /// The gold label of a record's `label` text (`Yes`/`No`, any case); nil for anything else.
    public static func label(_ text: String) -> Bool? {
        switch text.lowercased() {
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

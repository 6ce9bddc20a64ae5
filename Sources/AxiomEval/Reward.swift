/// The reward of one completion for reinforcement learning: the evaluator's verdict as a number.
public enum Reward {
    /// 1 when the answer `AnswerExtraction` reads from `completion` is the gold label, else 0
    /// (a wrong or invalid answer) — exactly what `axiomc eval` counts as correct.
    public static func score(_ completion: String, label: Bool) -> Double {
        let answer = AnswerExtraction.extract(completion)
        return (answer == .yes && label) || (answer == .no && !label) ? 1 : 0
    }

    /// The gold label of a record's `label` text (`Yes`/`No`, any case); nil for anything else.
    public static func label(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes": true
        case "no": false
        default: nil
        }
    }
}

/// How a record's fields are laid out (the recipe key `format:`, `compile --format`).
public enum RecordFormat: String, Sendable, Codable, CaseIterable {
    /// The flat record (README, "The main job").
    case records
    /// The flat record with `messages` (the user's prompt, the assistant's reasoning and answer)
    /// in place of `prompt` and `completion`.
    case chat
    /// The flat record with `completion` = the reasoning, then `Answer: Yes|No`.
    case completion
    /// veRL's layout: `data_source`, `prompt` (chat messages), `ability`, `reward_model`,
    /// `extra_info` (the flat record's fields but `label`, `prompt` and `completion`).
    case rl

    /// The `ability` of rl records.
    public static let ability = "causal-reasoning"
    /// The line that ends an assistant message or a completion.
    public static let answerPrefix = "Answer: "

    /// The `data_source` of rl records of `split` in recipe `recipe`.
    public static func dataSource(recipe: String, split: String) -> String { "axiomc/\(recipe)/\(split)" }

    /// What an assistant message or a completion says: the reasoning (if any), then the answer line.
    public static func answerText(explanation: String?, label: String) -> String {
        (explanation.map { $0 + "\n" } ?? "") + answerPrefix + label
    }
}

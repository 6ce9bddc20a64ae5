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

/// Reads records of every layout in the flat layout's field names.
public enum RecordLayout {
    /// The layout `v` is written in (by its keys).
    public static func format(of v: JSONValue) -> RecordFormat {
        if v["extra_info"] != nil && v["reward_model"] != nil { return .rl }
        if v["messages"] != nil { return .chat }
        return .records
    }

    /// `v` with the flat layout's field names: an rl record's `extra_info` fields, `label` from
    /// `reward_model.ground_truth` and, when `prompt` is true, `prompt` from the user message;
    /// any other record as it is.
    public static func flatten(_ v: JSONValue, prompt: Bool) -> JSONValue {
        // A chat record's prompt is its user message.
        if format(of: v) == .chat, prompt, v["prompt"] == nil, case let .object(pairs) = v,
           let content = v["messages"]?[0]?["content"] {
            return .object(pairs + [("prompt", content)])
        }
        guard format(of: v) == .rl, case let .object(pairs)? = v["extra_info"] else { return v }
        var out = pairs
        if let truth = v["reward_model"]?["ground_truth"] { out.append(("label", truth)) }
        if prompt, let content = v["prompt"]?[0]?["content"] { out.append(("prompt", content)) }
        return .object(out)
    }
}

/// How a record's fields are laid out (the recipe key `format:`, `compile --format`).
public enum RecordFormat: String, Sendable, Codable, CaseIterable {
    /// The flat record (docs/corpus-format.md).
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

    /// The `label` field of every layout (`reward_model.ground_truth` in rl): always these words,
    /// whatever a grammar's own wording of the answer (CLEAR's "Yes."), which only the records
    /// layout's `completion` uses.
    public static let yes = "Yes", no = "No"

    /// The label word of `label`.
    public static func label(_ label: Bool) -> String { label ? yes : no }

    /// What an assistant message or a completion says: the reasoning (if any), then the answer line.
    public static func answerText(explanation: String?, label: String) -> String {
        (explanation.map { $0 + "\n" } ?? "") + answerPrefix + label
    }

    /// The sentence that ends the user message of the chat, completion and rl layouts: the one
    /// answer format those layouts teach and `reward --strict` accepts.
    public static func instruction(explanations: Bool) -> String {
        explanations
            ? "Reason step by step, then end your reply with the line \"Answer: Yes\" or \"Answer: No\"."
            : "Reply with the line \"Answer: Yes\" or \"Answer: No\"."
    }

    /// The user message of the chat, completion and rl layouts: the grammar's prompt (without a
    /// closing `Answer:` cue, which asks for the records layout's bare answer), else the premise
    /// and question; then a blank line and `instruction(explanations:)`.
    public static func userMessage(
        prompt: [UInt8]?,
        premise: [UInt8],
        hypothesis: [UInt8],
        explanations: Bool
    )
        -> [UInt8]
    {
        var text: [UInt8] = []
        appendUserMessage(
            prompt: prompt,
            premise: premise,
            hypothesis: hypothesis,
            instruction: Array(instruction(explanations: explanations).utf8),
            to: &text
        )
        return text
    }

    /// A prompt's closing cue for the bare answer ("\nAnswer:"), made once: the writer strips it
    /// from every chat, completion and rl record's prompt.
    private static let answerCue = Array(("\n" + answerPrefix.dropLast()).utf8)

    /// `userMessage`, appended to `text` (the writer's reused buffer).
    static func appendUserMessage(
        prompt: [UInt8]?,
        premise: [UInt8],
        hypothesis: [UInt8],
        instruction: [UInt8],
        to text: inout [UInt8]
    ) {
        if let prompt {
            var end = prompt.count
            let cue = answerCue
            if end >= cue.count && prompt[(end - cue.count)...].elementsEqual(cue) { end -= cue.count }
            text.append(contentsOf: prompt[..<end])
        } else {
            text.append(contentsOf: premise)
            text.append(0x20)
            text.append(contentsOf: hypothesis)
        }
        text.append(0x0A)
        text.append(0x0A)
        text.append(contentsOf: instruction)
    }
}

import AxiomGrammar
import AxiomRecords

/// The checks of the chat, completion and rl layouts (`format:`): the extra fields say exactly
/// what the flat record says.
extension RecordCheck {
    func layoutProblems(_ r: StoredRecord, label yes: Bool) -> [Problem] {
        var problems: [Problem] = []
        func fail(_ message: String) { problems.append(Problem(check: "format", message: message)) }
        guard r.layout == (format == .completion ? .records : format) else {
            fail("the record is laid out as \(r.layout.rawValue); the corpus says \(format.rawValue)")
            return problems
        }
        let label = RecordFormat.label(yes)
        // The user message of chat and rl records: the grammar's prompt (or the premise and
        // question), its closing "Answer:" cue replaced by the answer format these layouts teach.
        let user = expectedUserMessages(r)
        let answer = RecordFormat.answerText(explanation: spec.explanations ? r.explanation ?? "" : nil, label: label)
        func isMessage(_ m: StoredRecord.Message, _ role: String, _ content: String) -> Bool {
            m == StoredRecord.Message(role: role, content: content, keys: 2)
        }
        let m = r.messages ?? []
        switch format {
        case .records:
            // The completion is the grammar's wording of the label (CLEAR's "Yes.").
            let wording = String(decoding: yes ? grammar.yes : grammar.no, as: UTF8.self)
            if spec.prompt && r.completion != wording { fail("'completion' is not '\(wording)', the grammar's answer") }
        case .completion:
            if r.completion != answer {
                fail("'completion' is not the explanation followed by '\(RecordFormat.answerPrefix)\(label)'")
            }
        case .chat:
            if m.count != 2 || !user.contains(where: { isMessage(m[0], "user", $0) })
                || !isMessage(m[1], "assistant", answer)
            {
                fail(
                    "'messages' must be the user's \(spec.prompt ? "prompt" : "premise and question") and the answer format, and the assistant's explanation followed by '\(RecordFormat.answerPrefix)\(label)'"
                )
            }
            if r.hasPromptOrCompletion { fail("a chat record holds 'prompt' or 'completion' besides 'messages'") }
        case .rl:
            if m.count != 1 || !user.contains(where: { isMessage(m[0], "user", $0) }) {
                fail(
                    "'prompt' must be one user message holding the \(spec.prompt ? "prompt" : "premise and question") and the answer format"
                )
            }
            let source = RecordFormat.dataSource(recipe: recipeName, split: r.split)
            if r.dataSource != source { fail("'data_source' is not '\(source)'") }
            if r.ability != RecordFormat.ability { fail("'ability' is not '\(RecordFormat.ability)'") }
            if r.rewardStyle != "rule" || r.rewardKeys != 2 {
                fail("'reward_model' must be {\"style\": \"rule\", \"ground_truth\": label}")
            }
            let number = r.id.split(separator: "-").last.flatMap { Int($0) }
            if r.index == nil || r.index != number { fail("'extra_info.index' is not the id's number") }
        }
        return problems
    }

    /// The user messages a chat or rl record may hold: one per prompt template of the grammar.
    private func expectedUserMessages(_ r: StoredRecord) -> [String] {
        let premise = Array(r.premise.utf8)
        let hypothesis = Array(r.hypothesis.utf8)
        let prompts: [[UInt8]?] =
            spec.prompt ? Renderer(grammar: grammar).prompts(premise: premise, hypothesis: hypothesis) : [nil]
        return prompts.map {
            String(
                decoding: RecordFormat.userMessage(
                    prompt: $0,
                    premise: premise,
                    hypothesis: hypothesis,
                    explanations: spec.explanations
                ),
                as: UTF8.self
            )
        }
    }
}

import AxiomRecords

/// The checks of the chat, completion and rl layouts (`format:`): the extra fields say exactly
/// what the flat record says.
extension RecordCheck {
    func layoutProblems(_ r: StoredRecord, label: String) -> [Problem] {
        var problems: [Problem] = []
        func fail(_ message: String) { problems.append(Problem(check: "format", message: message)) }
        guard r.layout == (format == .completion ? .records : format) else {
            fail("the record is laid out as \(r.layout.rawValue); the corpus says \(format.rawValue)")
            return problems
        }
        let user = spec.prompt ? r.prompt ?? "" : r.premise + " " + r.hypothesis
        let answer = RecordFormat.answerText(explanation: spec.explanations ? r.explanation ?? "" : nil, label: label)
        func isMessage(_ m: StoredRecord.Message, _ role: String, _ content: String) -> Bool {
            m == StoredRecord.Message(role: role, content: content, keys: 2)
        }
        let m = r.messages ?? []
        switch format {
        case .records:
            break
        case .completion:
            if r.completion != answer {
                fail("'completion' is not the explanation followed by '\(RecordFormat.answerPrefix)\(label)'")
            }
        case .chat:
            if m.count != 2 || !isMessage(m[0], "user", user) || !isMessage(m[1], "assistant", answer) {
                fail(
                    "'messages' must be the user's \(spec.prompt ? "prompt" : "premise and question") and the assistant's explanation followed by '\(RecordFormat.answerPrefix)\(label)'"
                )
            }
            if r.hasPromptOrCompletion { fail("a chat record holds 'prompt' or 'completion' besides 'messages'") }
        case .rl:
            if m.count != 1 || !isMessage(m[0], "user", user) {
                fail("'prompt' must be one user message holding the \(spec.prompt ? "prompt" : "premise and question")")
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
}

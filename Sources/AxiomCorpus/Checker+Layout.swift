import AxiomRecords
/// The checks of the chat, completion and rl layouts (`format:`): the extra fields say exactly
/// what the flat record says.
extension RecordCheck {
    func layoutProblems(_ raw: JSONValue, flat o: JSONValue, id: String, split: String, label: String) -> [Problem] {
        var problems: [Problem] = []
        func fail(_ message: String) { problems.append(Problem(check: "format", message: message)) }
        let found = RecordLayout.format(of: raw)
        guard found == (format == .completion ? .records : format) else {
            fail("the record is laid out as \(found.rawValue); the corpus says \(format.rawValue)")
            return problems
        }
        let premise = o["premise"]?.string ?? "", hypothesis = o["hypothesis"]?.string ?? ""
        let user = spec.prompt ? o["prompt"]?.string ?? "" : premise + " " + hypothesis
        let answer = RecordFormat.answerText(explanation: spec.explanations ? o["explanation"]?.string ?? "" : nil, label: label)
        func isMessage(_ m: JSONValue?, _ role: String, _ content: String) -> Bool {
            m?["role"]?.string == role && m?["content"]?.string == content && m?.keys.count == 2
        }
        switch format {
        case .records:
            break
        case .completion:
            if o["completion"]?.string != answer { fail("'completion' is not the explanation followed by '\(RecordFormat.answerPrefix)\(label)'") }
        case .chat:
            let m = raw["messages"]?.array ?? []
            if m.count != 2 || !isMessage(m[0], "user", user) || !isMessage(m[1], "assistant", answer) {
                fail("'messages' must be the user's \(spec.prompt ? "prompt" : "premise and question") and the assistant's explanation followed by '\(RecordFormat.answerPrefix)\(label)'")
            }
            if raw["prompt"] != nil || raw["completion"] != nil { fail("a chat record holds 'prompt' or 'completion' besides 'messages'") }
        case .rl:
            let m = raw["prompt"]?.array ?? []
            if m.count != 1 || !isMessage(m[0], "user", user) {
                fail("'prompt' must be one user message holding the \(spec.prompt ? "prompt" : "premise and question")")
            }
            if raw["data_source"]?.string != RecordFormat.dataSource(recipe: recipeName, split: split) {
                fail("'data_source' is not '\(RecordFormat.dataSource(recipe: recipeName, split: split))'")
            }
            if raw["ability"]?.string != RecordFormat.ability { fail("'ability' is not '\(RecordFormat.ability)'") }
            if raw["reward_model"]?["style"]?.string != "rule" || raw["reward_model"]?.keys.count != 2 {
                fail("'reward_model' must be {\"style\": \"rule\", \"ground_truth\": label}")
            }
            let number = id.split(separator: "-").last.flatMap { Int($0) }
            if o["index"]?.int == nil || o["index"]?.int != number { fail("'extra_info.index' is not the id's number") }
        }
        return problems
    }
}

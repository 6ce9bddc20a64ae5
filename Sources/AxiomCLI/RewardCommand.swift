import ArgumentParser
import AxiomCorpus
import AxiomEval
import AxiomRecords
import Foundation

extension Axiomc {
    struct RewardCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reward",
            abstract: "Score completions one per line: 1.0 when the final answer is the gold label, else 0.0.",
            discussion: """
                Each input line is JSON: {"completion": TEXT, "record": RECORD} with a corpus record \
                (its "label" is the gold), or {"completion": TEXT, "id": ID} with --gold CORPUS (any \
                split). The answer is read from TEXT by the rules of 'axiomc eval' \
                (AnswerExtraction), so the mean reward equals eval's accuracy on the same answers. \
                Writes one number per input line, in order.

                --strict gives 1.0 only when the completion is in a format the layouts teach and \
                names the gold label: its last non-empty line is "Answer: Yes" or "Answer: No" \
                (what the chat, completion and rl layouts ask for and end with), or the whole \
                completion is "Yes" or "No" (the records layout's completion); a final "." is \
                allowed. A record of any layout is accepted (rl records give their \
                reward_model.ground_truth).
                """
        )

        @Argument(help: "JSONL input (default: standard input).") var input = "-"
        @Option(help: "A compiled corpus to look ids up in.") var gold: String?
        @Flag(help: "Reward only the taught formats: a last line 'Answer: Yes|No', or a bare 'Yes|No'.") var strict =
            false

        func run() throws {
            var goldLabels: Gold?
            if let gold {
                let manifest = try Manifest.read(directory: gold)
                goldLabels = try Gold.load(corpus: gold, splits: manifest.splitOrder)
            }
            let path = input == "-" ? "/dev/stdin" : input
            let name = input == "-" ? "<stdin>" : input
            var out: [UInt8] = []
            let stdout = FileHandle.standardOutput
            try LineReader.forEachLine(path: path) { line, n in
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
                let where_ = "\(name):\(n)"
                let value: JSONValue
                do { value = try JSONValue.parse(line) } catch {
                    throw CLIError("\(where_): malformed JSON: \(error)")
                }
                guard let completion = value["completion"]?.string else {
                    throw CLIError("\(where_): needs a string \"completion\"")
                }
                let label: Bool
                if let record = value["record"] {
                    guard let l = Reward.label(record: record) else {
                        throw CLIError(
                            "\(where_): the record has no \"label\" (or reward_model.ground_truth) Yes or No"
                        )
                    }
                    label = l
                } else if let id = value["id"]?.string {
                    guard let g = goldLabels else {
                        throw CLIError("\(where_): a line with an \"id\" needs --gold CORPUS")
                    }
                    guard let i = g.index(ofID: id) else {
                        throw CLIError("\(where_): no record '\(id)' in \(g.source)")
                    }
                    label = g.labels[i]
                } else {
                    throw CLIError("\(where_): needs a \"record\" object or an \"id\"")
                }
                out.append(
                    contentsOf: (Reward.score(completion, label: label, strict: strict) == 1 ? "1.0\n" : "0.0\n")
                        .utf8
                )
                if out.count >= 1 << 16 {
                    stdout.write(Data(out))
                    out.removeAll(keepingCapacity: true)
                }
            }
            stdout.write(Data(out))
        }
    }
}

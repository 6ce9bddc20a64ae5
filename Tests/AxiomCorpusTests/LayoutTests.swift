import AxiomCore
import AxiomGrammar
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// The record layouts (`format:`): the same records, laid out for chat SFT, prompt/completion
/// SFT and veRL, each verified by `check`.
@Suite(.serialized) struct Layouts {
    /// The smoke corpus in `format`: its directory and its train shard's records.
    static func compile(_ format: RecordFormat?) throws -> (String, [JSONValue]) {
        var recipe = try smokeRecipe()
        if let format { recipe.override(format: format) }
        let dir = temporaryDirectory("layout\(format?.rawValue ?? "")")
        try inRepo { _ = try Compiler(recipe: recipe, outputDirectory: dir).compile() }
        let text = try String(contentsOfFile: dir + "/train/train-00000-of-00003.jsonl", encoding: .utf8)
        return (dir, try text.split(separator: "\n").map { try JSONValue.parse(Array($0.utf8)) })
    }

    @Test func recordsLayoutIsTheDefaultAndUnchanged() throws {
        let (a, plain) = try Self.compile(nil)
        let (b, records) = try Self.compile(.records)
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(plain == records)
        #expect(
            plain[0].keys == [
                "id", "split", "axiom", "premise", "hypothesis", "label", "prompt", "completion", "explanation",
                "graph", "query", "meta",
            ]
        )
        #expect(!FileManager.default.fileExists(atPath: a + "/.axiomc/format"))
        #expect((try? String(contentsOfFile: b + "/.axiomc/format", encoding: .utf8)) == "records")
        // The manifest of a records corpus is as before: no per-split "format".
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: a + "/manifest.json"))
                == Data(contentsOf: URL(fileURLWithPath: b + "/manifest.json"))
        )
        #expect(
            !(try String(contentsOfFile: a + "/manifest.json", encoding: .utf8)).contains("\"format\" : \"records\"")
        )
    }

    @Test(arguments: [RecordFormat.chat, .completion, .rl])
    func everyLayoutHoldsTheSameRecordsAndPassesCheck(_ format: RecordFormat) throws {
        let (a, plain) = try Self.compile(nil)
        let (b, laid) = try Self.compile(format)
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(plain.count == laid.count && !plain.isEmpty)
        for (p, l) in zip(plain, laid) {
            let flat = RecordLayout.flatten(l, prompt: true)
            for key in [
                "id", "split", "axiom", "premise", "hypothesis", "label", "explanation", "graph", "query", "meta",
            ] {
                #expect(flat[key] == p[key], "\(format) \(key)")
            }
            // Chat and rl ask for the answer format their targets end with: the prompt, its closing
            // "Answer:" cue replaced by the instruction.
            let prompt = p["prompt"]!.string!
            let instruction = RecordFormat.instruction(explanations: true)
            let user = String(prompt.dropLast(prompt.hasSuffix("\nAnswer:") ? 8 : 0)) + "\n\n" + instruction
            #expect(flat["prompt"]?.string == (format == .completion ? prompt : user), "\(format) prompt")
            let label = p["label"]!.string!
            let answer = p["explanation"]!.string! + "\nAnswer: " + label
            switch format {
            case .chat:
                #expect(
                    l["messages"]
                        == .array([
                            .object([("role", .string("user")), ("content", .string(user))]),
                            .object([("role", .string("assistant")), ("content", .string(answer))]),
                        ])
                )
                #expect(l["prompt"] == nil && l["completion"] == nil, "the user message is the prompt")
            case .completion:
                #expect(l["completion"]?.string == answer)
            case .rl:
                #expect(l.keys == ["data_source", "prompt", "ability", "reward_model", "extra_info"])
                #expect(l["data_source"]?.string == "axiomc/smoke/train" && l["ability"]?.string == "causal-reasoning")
                #expect(l["reward_model"] == .object([("style", .string("rule")), ("ground_truth", .string(label))]))
                #expect(l["extra_info"]?["index"]?.int == Int(p["id"]!.string!.split(separator: "-").last!))
                #expect(l["extra_info"]?["label"] == nil && l["extra_info"]?["prompt"] == nil)
            case .records: break
            }
        }
        let report = try inRepo { try Checker(directory: b, grammars: .standard()).run() }
        #expect(report.passed, "\(report.violations)")
        #expect(report.records == 540)
        // The layout is recorded where fan-out workers and `check` find it.
        #expect((try? String(contentsOfFile: b + "/.axiomc/format", encoding: .utf8)) == format.rawValue)
        #expect(try Manifest.read(directory: b).splits["train"]?.format == format)
        #expect(try ManifestWriter.recipe(in: b, grammars: .standard()).splits.allSatisfy { $0.format == format })
        let card = try String(contentsOfFile: b + "/README.md", encoding: .utf8)
        #expect(
            card.contains(
                format == .rl
                    ? "  - name: extra_info\n    struct:\n"
                    : format == .chat ? "  - name: messages\n    list:\n" : "  - name: completion\n"
            )
        )
        let task = try String(contentsOfFile: b + "/tasks/axiomc_smoke_eval_long_chains.yaml", encoding: .utf8)
        let text = format == .rl ? "{{prompt[0].content}}" : format == .chat ? "{{messages[0].content}}" : "{{prompt}}"
        #expect(task.contains("doc_to_text: \"\(text)\""))
        if format == .chat { #expect(!card.contains("  - name: prompt\n") && !card.contains("  - name: completion\n")) }
    }

    /// A record whose layout fields disagree with its flat fields is a `format` violation.
    @Test(arguments: [RecordFormat.chat, .completion, .rl])
    func checkCatchesAWrongAnswerLine(_ format: RecordFormat) throws {
        let (dir, laid) = try Self.compile(format)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try smokeRecipe()
        let grammar = recipe.grammar
        var state = RecordCheck(grammar: grammar, spec: recipe.splits[0], format: format, recipeName: "smoke")
        let line = try String(contentsOfFile: dir + "/train/train-00000-of-00003.jsonl", encoding: .utf8).split(
            separator: "\n"
        )[0]
        func problems(_ text: String) -> [String] {
            Array(text.utf8).withUnsafeBufferPointer { state.check($0, split: "train") }.map(\.check)
        }
        #expect(problems(String(line)).isEmpty)
        let label = laid[0]["label"]?.string ?? laid[0]["reward_model"]!["ground_truth"]!.string!
        let other = label == "Yes" ? "No" : "Yes"
        let tampered: String
        switch format {
        case .rl:
            tampered = line.replacingOccurrences(
                of: "\"data_source\":\"axiomc/smoke/train\"",
                with: "\"data_source\":\"axiomc/x/train\""
            )
        default: tampered = line.replacingOccurrences(of: "\\nAnswer: \(label)\"", with: "\\nAnswer: \(other)\"")
        }
        #expect(tampered != line)
        #expect(problems(tampered).contains("format"))
        // A corpus in another layout than the manifest says is caught too.
        var records = RecordCheck(grammar: grammar, spec: recipe.splits[0], format: .records, recipeName: "smoke")
        let mismatch = Array(line.utf8).withUnsafeBufferPointer { records.check($0, split: "train") }.map(\.check)
        // A completion record read as records: its completion is not the grammar's bare answer.
        #expect(mismatch.contains("format"))
    }

    @Test func oneFormatPerRecipe() {
        let yaml = """
            name: t
            seed: 1
            grammar: en
            defaults: {count: 10, shard_size: 10, axioms: [transitivity], family: chain, nodes: [3, 4], prompt: true}
            splits:
              - {name: a, role: train, format: chat}
              - {name: b, role: eval, nodes: [6, 7], format: rl}
            """
        #expect(decodeError(yaml)?.contains("every split of a recipe shares one format") == true)
        #expect(
            decodeError(yaml.replacingOccurrences(of: "format: rl", with: "format: parquet"))?.contains(
                "'format' has no value 'parquet' (choose from records, chat, completion, rl)"
            ) == true
        )
        #expect(decodeError(yaml.replacingOccurrences(of: "format: rl", with: "format: chat")) == nil)
    }
}

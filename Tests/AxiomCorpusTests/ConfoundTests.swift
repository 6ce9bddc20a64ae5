import AxiomRecords
import Foundation
import Testing

@testable import AxiomCorpus

/// `confound:` plants a surface cue as a shortcut: confounded training, deconfounded or reversed
/// evaluation.
@Suite struct ConfoundedSplits {
    static let recipe = """
        name: confounded
        seed: 3
        grammar: en
        names:
          alphabet: A-Z
          length: [1, 2]
        defaults:
          tasks: [transitivity, d-separation]
          family: flipped-chain
          flip_probability: 0.5
          order: shuffled
        splits:
          - name: train
            role: train
            nodes: [4, 6]
            count: 600
            shard_size: 200
            confound: {cue: x-first, agreement: 1.0}
          - name: eval_balanced
            role: eval
            nodes: [4, 6]
            leakage: text
            count: 300
            control: all
            twins: all
            max_cue: off
            max_probe: off
          - name: eval_half
            role: eval
            nodes: [4, 6]
            leakage: text
            count: 300
            confound: {cue: x-first, agreement: 0.5}
          - name: eval_reversed
            role: eval
            nodes: [4, 6]
            leakage: text
            count: 300
            confound: {cue: x-first}
        """

    static var reversed: String {
        recipe.replacingOccurrences(of: "confound: {cue: x-first}", with: "confound: {cue: x-first, agreement: 0}")
    }

    static func compile(_ text: String, jobs: Int = 2) throws -> String {
        let dir = temporaryDirectory()
        let recipe = try inRepo { try Recipe.decode(text, file: "confounded.yaml", grammars: .standard()) }
        try Compiler(recipe: recipe, outputDirectory: dir, jobs: jobs).compile()
        return dir
    }

    /// Per split: records whose `x-first` cue (from `meta.cues`) equals their label, and all.
    static func agreement(_ dir: String) throws -> [String: (agree: Int, total: Int)] {
        var out: [String: (Int, Int)] = [:]
        let manifest = try Manifest.read(directory: dir)
        for (name, split) in manifest.splits {
            for shard in split.shards {
                for line in try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8).split(separator: "\n") {
                    let r = try JSONValue.parse(Array(line.utf8))
                    let cues = r["meta"]?["cues"]?.array?.compactMap(\.string) ?? []
                    let agrees = cues.contains("x-first") == (r["label"]?.string == "Yes")
                    let c = out[name] ?? (0, 0)
                    out[name] = (c.0 + (agrees ? 1 : 0), c.1 + 1)
                }
            }
        }
        return out
    }

    @Test func thePlantedCueAgreesWithTheLabelAsAsked() throws {
        let dir = try Self.compile(Self.reversed)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try Self.agreement(dir)
        #expect(a["train"]! == (600, 600))
        #expect(a["eval_reversed"]! == (0, 300))
        // Half, rounded up per shard and task (one shard, two tasks).
        let half = a["eval_half"]!
        #expect(half.total == 300 && (150...152).contains(half.agree), "\(half)")
        // The deconfounded evaluation: skeleton twins keep the cue and flip the label.
        #expect(a["eval_balanced"]! == (150, 300))
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.passed, "\(report.violations)")
        #expect(report.checked["confound"] == 6)
        // The card reads the shortcut: the cue is the training label, and reversed in evaluation.
        let card = try String(contentsOfFile: dir + "/README.md", encoding: .utf8)
        #expect(card.contains("| train | transitivity | x-first | 1.000 |"))
        #expect(card.contains("| eval_reversed | transitivity | x-first | 1.000 |"))
    }

    @Test func theSameCorpusForAnyNumberOfJobs() throws {
        let one = try Self.compile(Self.recipe, jobs: 1)
        let two = try Self.compile(Self.recipe, jobs: 2)
        defer { for d in [one, two] { try? FileManager.default.removeItem(atPath: d) } }
        #expect(
            snapshot(one).filter { !$0.key.hasPrefix(".axiomc") }
                == snapshot(two).filter { !$0.key.hasPrefix(".axiomc") }
        )
    }

    /// A corpus whose recipe is made to ask another share than it was compiled with fails `check`
    /// on the confound, naming the split, the task and the cue.
    @Test func checkNamesAShareThatIsNotTheRecipes() throws {
        let dir = try Self.compile(Self.reversed)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/manifest.json"
        var manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var recipe = manifest["recipe"] as! [String: Any]
        recipe["text"] = (recipe["text"] as! String).replacingOccurrences(
            of: "confound: {cue: x-first, agreement: 1.0}",
            with: "confound: {cue: x-first, agreement: 0.25}"
        )
        manifest["recipe"] = recipe
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: path))
        let found = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }.violations.filter {
            $0.check == "confound"
        }
        #expect(found.count == 2 && found.allSatisfy { $0.split == "train" }, "\(found)")
        #expect(
            found.contains {
                $0.message
                    == "transitivity: 'x-first' agrees with the label on 300 of 300 records; the recipe plants 0.25"
            },
            "\(found)"
        )
    }

    @Test func badSettingsAreLocatedErrors() {
        func error(_ from: String, _ to: String) -> String? {
            decodeError(Self.recipe.replacingOccurrences(of: from, with: to))
        }
        #expect(
            error("{cue: x-first, agreement: 1.0}", "{cue: z-child-of-x}")?.contains(
                "error: 'confound' cue 'z-child-of-x' is not a cue of every task of this split (shared: x-first, edge-xy,"
            ) == true
        )
        #expect(error("{cue: x-first, agreement: 1.0}", "{agreement: 1.0}")?.contains("'confound' needs 'cue'") == true)
        #expect(error("agreement: 1.0}", "agreement: 0.333}")?.contains("at most two decimals") == true)
        #expect(
            error("{cue: x-first, agreement: 1.0}", "{cue: x-first, share: 1}")?.contains(
                "unknown key 'share' in 'confound'"
            ) == true
        )
        #expect(
            error("    confound: {cue: x-first, agreement: 1.0}", "    confound: {cue: x-first}\n    twins: all")?
                .contains(
                    "cannot be combined with 'confound'"
                ) == true
        )
        #expect(
            error(
                "    confound: {cue: x-first, agreement: 1.0}",
                "    confound: {cue: x-first}\n    control: [edge-xy]"
            )?
            .contains("a confounded split takes no 'control'") == true
        )
    }
}

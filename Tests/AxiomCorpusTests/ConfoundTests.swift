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

    /// Per split, task and label ("train/transitivity/Yes"): records whose `x-first` cue (from `meta.cues`) equals
    /// their label, and all.
    static func agreement(_ dir: String) throws -> [String: (agree: Int, total: Int)] {
        var out: [String: (Int, Int)] = [:]
        let manifest = try Manifest.read(directory: dir)
        for (name, split) in manifest.splits {
            for shard in split.shards {
                for line in try String(contentsOfFile: dir + "/" + shard.file, encoding: .utf8).split(separator: "\n") {
                    let r = try JSONValue.parse(Array(line.utf8))
                    let cues = r["meta"]?["cues"]?.array?.compactMap(\.string) ?? []
                    let yes = r["label"]?.string == "Yes"
                    let agrees = cues.contains("x-first") == yes
                    let key = name + "/" + (r["axiom"]?.string ?? "?") + (yes ? "/Yes" : "/No")
                    let c = out[key] ?? (0, 0)
                    out[key] = (c.0 + (agrees ? 1 : 0), c.1 + 1)
                }
            }
        }
        return out
    }

    @Test func thePlantedCueAgreesWithTheLabelAsAsked() throws {
        let dir = try Self.compile(Self.reversed)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try Self.agreement(dir)
        #expect(a.count == 16)
        for (key, c) in a {
            // Every split here has one shard per task and label except train (3 shards of 200).
            let share =
                key.hasPrefix("train/")
                ? 100 : key.hasPrefix("eval_half/") ? 50 : key.hasPrefix("eval_reversed/") ? 0 : -1
            switch share {
            case 100: #expect(c.agree == c.total, "\(key) \(c)")
            case 0: #expect(c.agree == 0, "\(key) \(c)")
            case 50: #expect(c.agree == (c.total + 1) / 2, "\(key) \(c)")  // ⌈n / 2⌉: half of each label
            default:
                // The deconfounded evaluation: skeleton twins keep the cue and flip the label.
                let other = key.hasSuffix("/Yes") ? key.dropLast(3) + "No" : key.dropLast(2) + "Yes"
                #expect(c.agree + a[String(other)]!.agree == c.total, "\(key) \(c)")
            }
        }
        let report = try inRepo { try Checker(directory: dir, grammars: .standard()).run() }
        #expect(report.passed, "\(report.violations)")
        // Per shard, task and label: train 3 × 2 × 2, each confounded eval split 2 × 2.
        #expect(report.checked["confound"] == 20)
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
        // Every shard, task and label of train: 3 × 2 × 2.
        #expect(found.count == 12 && found.allSatisfy { $0.split == "train" }, "\(found)")
        #expect(
            found.contains {
                $0.message.hasPrefix("train/")
                    && $0.message.contains(": transitivity: 'x-first' agrees with the label on ")
                    && $0.message.hasSuffix(" Yes records; the recipe plants 0.25")
            },
            "\(found)"
        )
    }

    @Test func agreementDefaultsToOneAndHoldsHundredths() throws {
        let recipe = try inRepo { try Recipe.decode(Self.recipe, file: "confounded.yaml", grammars: .standard()) }
        #expect(
            recipe.splits.map(\.confound) == [
                Confound(cue: "x-first", agreement: 100), nil, Confound(cue: "x-first", agreement: 50),
                Confound(cue: "x-first", agreement: 100),
            ]
        )
        // The quota: ⌈share · n⌉ of n.
        let c = Confound(cue: "x-first", agreement: 50)
        #expect(c.isQuota(agreed: 38, records: 75) && !c.isQuota(agreed: 37, records: 75))
        #expect(!c.isQuota(agreed: 39, records: 75) && c.isQuota(agreed: 0, records: 0))
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
        #expect(
            error("    confound: {cue: x-first, agreement: 1.0}", "    confound: {cue: x-first}\n    max_cue: 0.6")?
                .contains("'max_cue' would hold the planted shortcut to a limit") == true
        )
        // Every task's control turned off leaves nothing controlled: accepted.
        #expect(
            error(
                "    confound: {cue: x-first, agreement: 1.0}",
                "    confound: {cue: x-first}\n    control: {default: all, transitivity: off, d-separation: off}"
            ) == nil
        )
    }
}

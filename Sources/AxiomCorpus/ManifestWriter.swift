import AxiomCore
import AxiomGrammar
import AxiomRecords
import Crypto
import Foundation

/// Assembles the manifest, dataset card and evaluation-harness tasks from the shard statistics
/// every worker left behind; writes the manifest last.
public struct ManifestWriter {
    public var recipe: Recipe
    public var directory: String

    public init(recipe: Recipe, directory: String) {
        self.recipe = recipe
        self.directory = directory
    }

    /// Reads the recipe a compile left in `directory`.
    public static func recipe(in directory: String, grammars: GrammarCatalog) throws -> Recipe {
        let copy = directory + "/" + Compiler.recipeCopy
        guard let data = FileManager.default.contents(atPath: copy) else {
            throw IOError(path: copy, message: "missing: no compile has run in this directory")
        }
        var recipe = try Recipe.decode(String(decoding: data, as: UTF8.self), file: copy, grammars: grammars)
        let seedPath = directory + "/" + Compiler.seedCopy
        guard let seedText = FileManager.default.contents(atPath: seedPath),
            let seed = UInt64(String(decoding: seedText, as: UTF8.self))
        else {
            throw IOError(
                path: seedPath,
                message: "missing or unreadable: no compile has finished preparing this directory"
            )
        }
        recipe.seed = seed
        let formatPath = directory + "/" + Compiler.formatCopy
        if let text = FileManager.default.contents(atPath: formatPath) {
            guard let format = RecordFormat(rawValue: String(decoding: text, as: UTF8.self)) else {
                throw IOError(
                    path: formatPath,
                    message: "not a record format (\(RecordFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            recipe.override(format: format)
        }
        let scalePath = directory + "/" + Compiler.scaleCopy
        if let text = FileManager.default.contents(atPath: scalePath) {
            guard let scale = Double(String(decoding: text, as: UTF8.self)), scale > 0 && scale <= 1 else {
                throw IOError(path: scalePath, message: "not a count scale in (0, 1]")
            }
            recipe.scale(by: scale)
        }
        return recipe
    }

    @discardableResult
    public func write() throws -> Manifest {
        let plan = Plan(recipe: recipe)
        var splits: [String: Manifest.Split] = [:]
        var missing: [String] = []
        var cells: [String: CueCells] = [:]
        var text = TextProbe()
        for (i, spec) in recipe.splits.enumerated() {
            var total = ShardStats(file: "")
            var shards: [Manifest.Shard] = []
            for job in plan.jobs(split: i) {
                guard let data = FileManager.default.contents(atPath: directory + "/" + job.partPath) else {
                    missing.append(job.path)
                    continue
                }
                let stats = try JSONDocument.decode(ShardStats.self, from: data)
                total.absorb(stats)
                cells[spec.name, default: CueCells()].absorb(CueCells(encoded: stats.cues))
                do { try text.absorb(stats.text ?? [:]) } catch {
                    throw IOError(path: job.partPath, message: "\(error)")
                }
                shards.append(
                    Manifest.Shard(file: stats.file, records: stats.records, bytes: stats.bytes, sha256: stats.sha256)
                )
            }
            splits[spec.name] = Manifest.Split(
                role: spec.role,
                records: total.records,
                bytes: total.bytes,
                graphs: total.graphs,
                labels: ["Yes": total.yes, "No": total.records - total.yes],
                leakage: spec.role == .eval ? spec.leakage : nil,
                balanceTolerance: spec.balanceTolerance,
                shards: shards,
                strata: total.strata,
                histograms: total.histograms,
                format: spec.format == .records ? nil : spec.format
            )
        }
        Self.scoreCues(&splits, cells: cells, recipe: recipe)
        if !missing.isEmpty {
            throw IOError(
                path: directory,
                message: "\(missing.count) shard(s) not written yet, e.g. \(missing.prefix(3).joined(separator: ", "))"
            )
        }
        try Self.scoreText(&splits, fitted: text, recipe: recipe, directory: directory)
        let hash = SHA256.hash(data: Data(recipe.text.utf8)).hex
        var manifest = Manifest(
            format: 1,
            tool: .init(name: "axiomc", version: Manifest.toolVersion),
            recipe: .init(name: recipe.name, sha256: hash, text: recipe.text),
            seed: recipe.seed,
            grammar: recipe.grammarName,
            splitOrder: recipe.splits.map(\.name),
            splits: splits
        )
        manifest.scale = recipe.countScale
        try AtomicFile.write(Array(DatasetCard.render(manifest, recipe: recipe).utf8), to: directory + "/README.md")
        for spec in recipe.splits where spec.role == .eval {
            try AtomicFile.write(
                Array(DatasetCard.task(spec, recipe: recipe).utf8),
                to: directory + "/tasks/\(DatasetCard.taskName(spec, recipe: recipe)).yaml"
            )
        }
        try AtomicFile.write(
            Array(try JSONDocument.encode(manifest, pretty: true)) + [0x0A],
            to: directory + "/manifest.json"
        )
        return manifest
    }

}

/// The dataset card (`README.md` with a Hugging Face YAML header) and lm-evaluation-harness tasks.
enum DatasetCard {
    static func render(_ m: Manifest, recipe: Recipe) -> String {
        var s = "---\nconfigs:\n- config_name: default\n  data_files:\n"
        for name in m.splitOrder {
            s += "  - split: \(name)\n    path: \(name)/\(name)-*.jsonl\n"
        }
        s += features(recipe)
        s += "language:\n- en\ntags:\n- causal-reasoning\n- axiomatic-training\n- synthetic\n---\n\n"
        s += "# \(recipe.name)\n\n"
        s += "A synthetic corpus of causal-axiom demonstrations compiled by axiomc \(m.tool.version) from recipe "
        s += "`\(recipe.name)` (sha256 `\(m.recipe.sha256.prefix(16))…`), seed \(m.seed), grammar `\(m.grammar)`. "
        s += "Every label was derived by axiomc's rule engine and cross-checked by an independent algorithm.\n\n"
        s += "| split | role | records | graphs | Yes | No | shards |\n|---|---|---:|---:|---:|---:|---:|\n"
        for name in m.splitOrder {
            let sp = m.splits[name]!
            s +=
                "| \(name) | \(sp.role.rawValue) | \(sp.records) | \(sp.graphs) | \(sp.labels["Yes"] ?? 0) | \(sp.labels["No"] ?? 0) | \(sp.shards.count) |\n"
        }
        s +=
            "\n## Loading\n\n```python\nfrom datasets import load_dataset\nds = load_dataset(\"path/to/this/directory\")\n```\n\n"
        s += "Evaluation tasks for lm-evaluation-harness are in `tasks/` (run from this directory: "
        s += "`lm_eval --include_path tasks --tasks <name> ...`).\n\n"
        s +=
            "## Record fields\n\n`id`, `split`, `axiom`, `premise`, `hypothesis`, `label` (Yes/No), `prompt` and `completion` "
        s += "(when the recipe asks for a wrapper), `explanation` (when asked), `graph` {`nodes`, `edges`}, "
        s +=
            "`query` {`x`, `y`, `given`} as indices into `graph.nodes` (with `z`, `set` and `relation`, a name, where the recipe's tasks ask them), and `meta` {`family`, `nodes`, `edges`, `hops`, "
        s +=
            "`flips`, `branching`, `name_length`, `order`, `given_size`, `distractors`, `direction`, `type` (the question type), `difficulty` (the split's level, or null), "
        s += "`cues` (the surface cues that hold: what a reader sees without reasoning)}.\n\n"
        s += layoutNote(recipe.splits.first?.format ?? .records)
        s += cueTable(m)
        s += "## Recipe\n\n```yaml\n\(recipe.text)\(recipe.text.hasSuffix("\n") ? "" : "\n")```\n"
        return s
    }

    /// What the record layout (`format:`) adds to or changes in the fields above.
    static func layoutNote(_ format: RecordFormat) -> String {
        switch format {
        case .records: return ""
        case .chat:
            return "Layout `chat`: each record has `messages`, [{\"role\": \"user\", \"content\": prompt}, "
                + "{\"role\": \"assistant\", \"content\": explanation, then a last line `Answer: Yes` or `Answer: No`}], "
                + "instead of `prompt` and `completion` (so TRL's SFTTrainer trains on the conversation).\n\n"
        case .completion:
            return
                "Layout `completion`: `completion` is the explanation, then a last line `Answer: Yes` or `Answer: No`.\n\n"
        case .rl:
            return
                "Layout `rl` (veRL): `data_source` (`axiomc/<recipe>/<split>`), `prompt` [{\"role\": \"user\", \"content\": prompt}], "
                + "`ability` (`\(RecordFormat.ability)`), `reward_model` {`style`: `rule`, `ground_truth`: the label}, and `extra_info` "
                + "holding `id`, `split`, `axiom`, `index`, `premise`, `hypothesis`, `explanation`, `graph`, `query` and `meta` as above. "
                + "For parquet: `python -c \"import pandas as pd; pd.read_json('x.jsonl', lines=True).to_parquet('x.parquet')\"`.\n\n"
        }
    }

    /// The record schema as `dataset_info.features` (one layout per recipe; optional fields
    /// present when any split has them).
    static func features(_ recipe: Recipe) -> String {
        var schema = RecordSchema(
            format: recipe.splits.first?.format ?? .records,
            prompt: recipe.splits.contains(where: \.prompt),
            explanations: recipe.splits.contains(where: \.explanations),
            node: recipe.splits.contains(where: \.recordsNode),
            set: recipe.splits.contains(where: \.recordsSet)
        )
        schema.relation = recipe.splits.contains(where: \.recordsRelation)
        schema.tables = recipe.splits.contains(where: \.recordsTables)
        return schema.features()
    }

    /// The lm-evaluation-harness task name of an eval split (also its file name in `tasks/`).
    static func taskName(_ spec: SplitSpec, recipe: Recipe) -> String {
        "axiomc_\(recipe.name.replacingOccurrences(of: "-", with: "_"))_\(spec.name)"
    }

    static func task(_ spec: SplitSpec, recipe: Recipe) -> String {
        let name = taskName(spec, recipe: recipe)
        let rl = spec.format == .rl
        let text =
            rl
            ? "{{prompt[0].content}}"
            : spec.format == .chat
                ? "{{messages[0].content}}"
                : spec.prompt ? "{{prompt}}" : "{{premise}} {{hypothesis}}\\nAnswer:"
        let label = rl ? "reward_model.ground_truth" : "label"
        return """
            task: \(name)
            dataset_path: json
            dataset_kwargs:
              data_files:
                test: \(spec.name)/\(spec.name)-*.jsonl
            test_split: test
            output_type: multiple_choice
            doc_to_text: "\(text)"
            doc_to_choice: ["No", "Yes"]
            doc_to_target: "{{ 1 if \(label) == 'Yes' else 0 }}"
            target_delimiter: " "
            metric_list:
              - metric: acc
                aggregation: mean
                higher_is_better: true
            metadata:
              version: 1.0

            """
    }
}

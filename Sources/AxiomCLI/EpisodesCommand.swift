import ArgumentParser
import AxiomCore
import AxiomCorpus
import AxiomRecords
import Foundation

extension Axiomc {
    struct Episodes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "episodes",
            abstract: "Experiment-then-exploit episodes: compile, check, score transcripts, sample one.",
            discussion: """
                An episode hides a linear causal system of whole numbers; an agent may run one \
                experiment per variable other than the goal (set a variable, see every variable), \
                then answers with the setting that makes the goal largest. Corpora hold an expert's \
                transcripts (docs/episodes.md); the Python package serves the same episodes as an \
                environment (axiomc.episodes).

                Examples:
                  axiomc episodes compile episodes --out out/episodes
                  axiomc episodes check out/episodes
                  axiomc episodes score out/episodes transcripts.jsonl
                  axiomc episodes sample --seed 7 --nodes 5
                """,
            subcommands: [CompileEpisodes.self, CheckEpisodes.self, ScoreEpisodes.self, SampleEpisode.self]
        )
    }

    struct CompileEpisodes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compile",
            abstract: "Compile an episodes recipe (kind: episodes) into one JSONL file per split."
        )
        @Argument(help: "Recipe name (Corpora/<name>.yaml, or built in) or path.") var recipe = "episodes"
        @Option(help: "Output directory (default: out/<recipe name>).") var out: String?
        @Option(help: "Override the recipe's seed.") var seed: UInt64?
        @Option(help: "Worker threads (output is identical for any value).") var jobs = ProcessInfo.processInfo
            .activeProcessorCount
        @Flag(help: "Replace a directory holding something else.") var force = false
        @Flag(help: "Print the manifest as JSON instead of the summary lines.") var json = false

        func run() throws {
            let source = try Recipe.locate(recipe)
            var r = try EpisodeRecipe(text: source.text, path: source.file)
            if let seed { r.seed = try Self.seed(seed) }
            try Self.compile(r, out: out, jobs: jobs, force: force, json: json)
        }

        /// A `--seed` for an episodes recipe: below 10^15, as the manifest writes it exactly.
        static func seed(_ seed: UInt64) throws -> UInt64 {
            guard seed < EpisodeCompiler.seedLimit else {
                throw CLIError("--seed must be below 10^15 for an episodes recipe, not \(seed)")
            }
            return seed
        }

        static func compile(_ r: EpisodeRecipe, out: String?, jobs: Int, force: Bool, json: Bool) throws {
            let dir = out ?? "out/\(r.name)"
            let start = Date()
            let manifest = try EpisodeCompiler(recipe: r, outputDirectory: dir, jobs: jobs, force: force).compile()
            if json {
                print(manifest.serialized(pretty: true))
                return
            }
            let splits = manifest["splits"]?.array ?? []
            let total = splits.reduce(0) { $0 + ($1["count"]?.int ?? 0) }
            print(
                "compiled \(r.name): \(total) episodes in \(splits.count) splits into \(dir) (\(String(format: "%.2f", Date().timeIntervalSince(start))) s)"
            )
            for s in splits {
                print(
                    "  \(s["name"]?.string ?? "") [\(s["role"]?.string ?? "")]: \(s["count"]?.int ?? 0) episodes, expert reward \(s["expert_reward_mean"]?.string ?? ""), random \(s["random_reward_mean"]?.string ?? "")"
                )
            }
        }
    }

    struct CheckEpisodes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract:
                "Check an episodes corpus: regenerate every record, recompute every answer, replay every explanation."
        )
        @Argument(help: "The corpus directory.") var directory: String = ""
        @Flag(help: "Print a JSON summary.") var json = false
        @Option(help: "Threads checking records (the report is identical for any value).") var jobs = ProcessInfo
            .processInfo.activeProcessorCount

        func run() throws {
            let start = Date()
            let report: EpisodeCheck.Report
            do {
                report = try EpisodeCheck.run(directory: directory, jobs: max(1, jobs))
            } catch let error as any UserError where json {
                // As `check --json` on a question corpus: the violation in the report, exit 1.
                let out: JSONValue = .object([
                    ("kind", "episodes"), ("records", 0), ("violations", [.string(error.reportLine)]),
                ])
                print(out.serialized(pretty: true))
                throw ExitCode(1)
            }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
            if json {
                let out: JSONValue = .object([
                    ("kind", "episodes"), ("records", JSONValue(report.records)),
                    ("noise_free", JSONValue(report.exactRecords)), ("optimal", JSONValue(report.optimal)),
                    ("violations", []),
                ])
                print(out.serialized(pretty: true))
            } else {
                print(
                    "ok: \(report.records) episodes regenerated byte for byte, every answer's goal value recomputed by path sums, every explanation replayed from the observations; \(report.optimal) of \(report.exactRecords) noise-free answers optimal (\(seconds) s)"
                )
            }
        }
    }

    struct ScoreEpisodes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "Score a model's episode transcripts against the gold corpus.",
            discussion: """
                TRANSCRIPTS is JSONL, one episode per line: {"id": ..., "actions": [turn, ...]} (each \
                turn "Experiment k: set X to v." or, last, "... Answer: set X to v.") or {"id": ..., \
                "text": the model's turns}. Each answer earns (reached - worst) / (best - worst); an \
                invalid action, an experiment over the budget or no answer earns 0 (listed with its \
                file and line); a gold episode without a transcript counts as 0. A transcript may \
                state the graph it inferred ("graph": [["A", "B"], ...] or "A -> B, ...", or a line \
                "Graph: A -> B, B -> C." in its turns): its directed edges are scored against the \
                hidden graph (precision, recall, F1), apart from the reward.
                """
        )
        @Argument(help: "The gold corpus directory (or one split's JSONL file).") var gold: String
        @Argument(help: "The transcripts (JSONL).") var transcripts: String
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            let report = try EpisodeScore.run(gold: try EpisodeScore.gold(gold), transcripts: transcripts)
            if json {
                print(report.json.serialized(pretty: true))
                return
            }
            print(
                "\(report.episodes) episodes: mean reward \(report.meanReward.decimal(places: 4)), success \(report.successRate.decimal(places: 4)), \(report.meanExperiments.decimal(places: 2)) experiments on average; \(report.problems.count) invalid, \(report.missing.count) missing"
            )
            if !report.graphs.isEmpty {
                let j = report.json
                print(
                    "  \(report.graphs.count) stated graphs: edge precision \(j["edge_precision"]?.string ?? ""), recall \(j["edge_recall"]?.string ?? ""), F1 \(j["edge_f1"]?.string ?? "")"
                )
            }
            for p in report.problems.prefix(20) { print("  " + p) }
        }
    }

    struct SampleEpisode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Print the record (JSON) of one episode drawn from a seed at a level."
        )
        @Option(help: "The episode's seed (0 ... 10^15 - 1).") var seed: UInt64 = 0
        @Option(help: "Variables in the hidden system (3...12).") var nodes = 5
        @Option(help: "Edges per variable of the hidden graph (branching family).") var branchingFactor = 1.2
        @Option(help: "Noise per run: each mechanism adds a whole number from -N to N.") var noise = 0
        @Option(help: "Runs averaged per observation (noisy levels; default 4).") var trials: Int?
        @Option(help: "The lowest value an action may set.") var low = 0
        @Option(help: "The highest value an action may set.") var high = 5
        @Option(help: "Where the goal sits in the hidden graph: any, sink (it causes nothing) or inner.")
        var goal = "any"
        @Option(help: "The record's id.") var id = "episode"

        func run() throws {
            guard seed < EpisodeCompiler.seedLimit else { throw CLIError("--seed must be below 10^15, not \(seed)") }
            let level = EpisodeLevel(
                nodes: nodes,
                family: .branching(factor: branchingFactor, connected: true),
                settings: low...max(low, high),
                trials: trials ?? (noise == 0 ? 1 : 4),
                noise: noise,
                goal: try position()
            )
            if let problem = level.problem { throw CLIError(problem) }
            guard let episode = Episode(level: level, seed: seed) else { throw CLIError("no episode at this level") }
            print(EpisodeRecord.json(episode, id: id, split: "sample").serialized())
        }

        func position() throws -> GoalPosition {
            guard let p = GoalPosition(rawValue: goal) else {
                throw CLIError("--goal must be any, sink or inner, not '\(goal)'")
            }
            return p
        }
    }
}

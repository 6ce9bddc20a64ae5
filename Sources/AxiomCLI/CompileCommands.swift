import ArgumentParser
import AxiomCorpus
import AxiomGrammar
import AxiomRecords
import Foundation

extension Axiomc {
    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile a recipe into a sharded corpus with manifest and dataset card.",
            discussion: """
                With no recipe, compiles the recipe 'default' into ./out/default. A name is looked up \
                in Corpora/ of each $AXIOMC_PATH directory, then ./Corpora, then among the built-in \
                recipes ('axiomc recipes' lists them).

                --stdout writes records as JSONL to standard output instead of a corpus (--split \
                picks splits, --limit stops early): the same bytes, in the same order, as the \
                split's shard files.

                Fan-out: --shard-index I --num-shards N writes every N-th shard job starting at I \
                (defaults from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX); \
                the last worker to finish writes the manifest, or run 'axiomc manifest DIR'.

                --scale F (0 < F <= 1) multiplies every split's count by F (rounded up; even where \
                twins pair records; shards keep their size, so there are fewer): a quick corpus of the \
                same shape, e.g. for CI. An eval split held to max_cue or max_probe keeps its count \
                (those limits need the whole split). The manifest records F, so 'axiomc check' accepts the \
                corpus.

                Progress (records done / total, records/s, ETA) goes to stderr when it is a terminal; \
                --progress forces it (a line every 2 s when stderr is not a terminal), --no-progress \
                and --json turn it off. It never changes the corpus.
                """
        )

        @Argument(help: "Recipe name (Corpora/<name>.yaml, or built in) or path.") var recipe = "default"
        @Option(help: "Output directory (default: out/<recipe name>).") var out: String?
        @Option(help: "Override the recipe's seed.") var seed: UInt64?
        @Option(
            help: "Record layout of every split: records, chat, completion or rl (overrides the recipe's 'format')."
        )
        var format: RecordFormat?
        @Option(help: "Worker threads (output is identical for any value).") var jobs = ProcessInfo.processInfo
            .activeProcessorCount
        @Option(help: "This worker's index in a fan-out.") var shardIndex: Int?
        @Option(help: "Number of workers in a fan-out.") var numShards: Int?
        @Flag(help: "Replace a directory holding something else.") var force = false
        @Flag(help: "Write records to standard output instead of a corpus directory.") var stdout = false
        @Option(help: "With --stdout: a split to stream (repeatable; default: every split).") var split: [String] = []
        @Option(help: "With --stdout: stop after this many records.") var limit: Int?
        @Option(help: ArgumentHelp("Multiply every split's record count by F, 0 < F <= 1.", valueName: "F"))
        var scale: Double?
        @Flag(help: "Print a JSON summary on stdout instead of the human-readable lines.") var json = false
        @Flag(
            inversion: .prefixedNo,
            help: "Show progress on stderr (default: only when stderr is a terminal and without --json)."
        )
        var progress: Bool?
        @OptionGroup var grammars: GrammarSource

        func validate() throws {
            if !stdout && (!split.isEmpty || limit != nil) {
                throw ValidationError("--split and --limit go with --stdout")
            }
            if stdout && (out != nil || shardIndex != nil || numShards != nil || force) {
                throw ValidationError(
                    "--stdout writes no corpus: it takes no --out, --force, --shard-index or --num-shards"
                )
            }
            if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
            if let scale, !(scale > 0 && scale <= 1) {
                throw ValidationError("--scale must be more than 0 and at most 1, not \(scale)")
            }
            if stdout && json { throw ValidationError("--json summarizes a corpus; --stdout writes none") }
        }

        func run() throws {
            let source = try Recipe.locate(recipe)
            if EpisodeRecipe.isEpisodes(source.text) {
                if stdout || shardIndex != nil || numShards != nil || format != nil || scale != nil {
                    throw CLIError(
                        "an episodes recipe takes none of --stdout, --shard-index, --num-shards, --format, --scale"
                    )
                }
                var r = try EpisodeRecipe(text: source.text, path: source.file)
                if let seed { r.seed = try CompileEpisodes.seed(seed) }
                return try CompileEpisodes.compile(r, out: out, jobs: jobs, force: force, json: json)
            }
            var r = try Recipe.resolve(recipe, grammars: grammars.catalog())
            if let seed {
                r.seed = seed
            }
            if let format { r.override(format: format) }
            if let scale { r.scale(by: scale) }
            if stdout { return try stream(r) }
            let (index, count) = try fanOut()
            let dir = out ?? "out/\(r.name)"
            let compiler = Compiler(
                recipe: r,
                outputDirectory: dir,
                jobs: jobs,
                force: force,
                progress: .choose(forced: progress, quiet: json, isTerminal: System.isTerminal(2))
            )
            let start = Date()
            let manifest = try compiler.compile(worker: index, of: count)
            let seconds = Date().timeIntervalSince(start)
            switch (manifest, json) {
            case let (m?, false): printSummary(m, recipe: r.name, dir: dir, seconds: seconds)
            case let (m?, true):
                print(Self.summary(m, recipe: r.name, dir: dir, seconds: seconds).serialized(pretty: true))
            case (nil, false):
                print(
                    "worker \(index) of \(count): shards written to \(dir); the manifest follows when every worker is done (or run 'axiomc manifest \(dir)')"
                )
            case (nil, true):
                let partial: JSONValue = .object([
                    ("recipe", .string(r.name)), ("out", .string(Self.absolute(dir))), ("worker", JSONValue(index)),
                    ("workers", JSONValue(count)), ("complete", false),
                ])
                print(partial.serialized(pretty: true))
            }
        }

        func printSummary(_ manifest: Manifest, recipe name: String, dir: String, seconds: Double) {
            let records = manifest.splits.values.reduce(0) { $0 + $1.records }
            let bytes = manifest.splits.values.reduce(0) { $0 + $1.bytes }
            print(
                "compiled \(name): \(records) records, \(bytes) bytes in \(manifest.splits.count) splits into \(dir) (\(String(format: "%.2f", seconds)) s)"
            )
            for name in manifest.splitOrder {
                let s = manifest.splits[name]!
                print(
                    "  \(name) [\(s.role.rawValue)]: \(s.records) records, \(s.shards.count) shard(s), Yes \(s.labels["Yes"] ?? 0) / No \(s.labels["No"] ?? 0)"
                )
            }
        }

        /// `compile --json`: recipe, out (absolute), records, bytes, seconds, splits — in that order.
        static func summary(_ manifest: Manifest, recipe name: String, dir: String, seconds: Double) -> JSONValue {
            let splits = manifest.splitOrder.compactMap { name -> JSONValue? in
                guard let s = manifest.splits[name] else { return nil }
                return .object([
                    ("name", .string(name)), ("role", .string(s.role.rawValue)), ("records", JSONValue(s.records)),
                    ("shards", JSONValue(s.shards.count)),
                    (
                        "labels",
                        .object([("Yes", JSONValue(s.labels["Yes"] ?? 0)), ("No", JSONValue(s.labels["No"] ?? 0))])
                    ),
                ])
            }
            return .object([
                ("recipe", .string(name)),
                ("out", .string(absolute(dir))),
                ("records", JSONValue(manifest.splits.values.reduce(0) { $0 + $1.records })),
                ("bytes", JSONValue(manifest.splits.values.reduce(0) { $0 + $1.bytes })),
                ("seconds", JSONValue((seconds * 1000).rounded() / 1000)),
                ("splits", .array(splits)),
            ])
        }

        /// `dir` as an absolute path without `.` or `..` components.
        static func absolute(_ dir: String) -> String { URL(fileURLWithPath: dir).standardizedFileURL.path }

        func stream(_ r: Recipe) throws {
            let handle = FileHandle.standardOutput
            try RecordStream(recipe: r, splits: split.isEmpty ? nil : split, limit: limit).write { chunk in
                handle.write(Data(chunk))
            }
        }

        func fanOut() throws -> (Int, Int) {
            let env = ProcessInfo.processInfo.environment
            var index = shardIndex
            var count = numShards
            if index == nil, let id = env["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) {
                let minID = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
                let step = env["SLURM_ARRAY_TASK_STEP"].flatMap(Int.init) ?? 1
                index = (id - minID) / max(1, step)
                count = count ?? env["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init)
            } else if index == nil, let id = env["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
                index = id
            }
            guard let i = index else {
                if count != nil { throw ValidationError("--num-shards needs --shard-index") }
                return (0, 1)
            }
            guard let n = count else {
                throw ValidationError("a shard index needs --num-shards (or SLURM_ARRAY_TASK_COUNT)")
            }
            guard n >= 1, (0..<n).contains(i) else { throw ValidationError("shard index \(i) is outside 0..<\(n)") }
            return (i, n)
        }
    }

    struct ManifestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manifest",
            abstract: "Assemble manifest.json and the dataset card once every shard of a fan-out exists."
        )

        @Argument(help: "The corpus directory.") var directory: String
        @Option(help: "Threads for redrawing shards that repeat an earlier shard's text.")
        var jobs = ProcessInfo.processInfo.activeProcessorCount
        @OptionGroup var grammars: GrammarSource

        func run() throws {
            let r = try ManifestWriter.recipe(in: directory, grammars: grammars.catalog())
            let m = try Compiler(recipe: r, outputDirectory: directory, jobs: jobs).assemble()
            print(
                "manifest written: \(m.splits.values.reduce(0) { $0 + $1.records }) records in \(m.splits.count) splits"
            )
        }
    }
}

extension RecordFormat: ExpressibleByArgument {}

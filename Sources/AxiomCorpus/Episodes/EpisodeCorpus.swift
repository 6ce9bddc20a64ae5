import AxiomCore
import AxiomRecords
import Crypto
import Dispatch
import Foundation
import Synchronization

/// Compiles an episodes recipe: one JSONL file per split (`<split>.jsonl`, one record per line,
/// `EpisodeRecord`), then `manifest.json` with each split's count, hash and rewards, and a
/// dataset card. Byte-identical for a seed whatever `jobs` is.
public struct EpisodeCompiler: Sendable {
    public var recipe: EpisodeRecipe
    public var outputDirectory: String
    public var jobs: Int
    public var force: Bool

    public init(recipe: EpisodeRecipe, outputDirectory: String, jobs: Int = 1, force: Bool = false) {
        self.recipe = recipe
        self.outputDirectory = outputDirectory
        self.jobs = max(1, jobs)
        self.force = force
    }

    static let splitStream = SeededRNG.streamID("episode-split")

    /// The seed of episode `index` of split `name` (below 10^15, so JSON writes it as an integer
    /// and every reader keeps it exact).
    public static func episodeSeed(_ seed: UInt64, split: String, index: Int, attempt: Int = 0) -> UInt64 {
        let base = SeededRNG.derive(seed ^ splitStream, SeededRNG.streamID(split), UInt64(index))
        let drawn = attempt == 0 ? base : SeededRNG.derive(base, attemptStream, UInt64(attempt))
        return drawn % Self.seedLimit
    }

    static let attemptStream = SeededRNG.streamID("episode-attempt")

    /// Episode seeds lie below this.
    public static let seedLimit: UInt64 = 1_000_000_000_000_000

    /// The episode of `index` in `split`: its node count drawn from the split's range.
    public static func episode(_ split: EpisodeRecipe.Split, seed: UInt64) throws -> Episode {
        var level = split.level
        var rng = SeededRNG(seed: seed, stream: SeededRNG.streamID("episode-nodes"), index: 0)
        level.nodes = rng.int(in: split.nodes)
        guard let e = Episode(level: level, seed: seed) else {
            throw EpisodeError(
                "split '\(split.name)': no graph of \(level.nodes) nodes passes its structure filter; widen nodes or change held_out_structures"
            )
        }
        return e
    }

    /// Whether episode `index` of a split planting a cue in `hundredths` of its episodes has the
    /// cue: exactly that share of every prefix of the split, rounded down.
    public static func plants(_ hundredths: Int, index: Int) -> Bool {
        (index + 1) * hundredths / 100 > index * hundredths / 100
    }

    /// The record line (without its newline) of episode `index` of `split`. A split planting a
    /// cue draws the episode's seed again (attempt 1, 2, …) until the cue is as planned.
    public static func line(_ split: EpisodeRecipe.Split, seed: UInt64, index: Int) throws -> [UInt8] {
        let id = EpisodeRecord.id(split: split.name, index: index)
        for attempt in 0..<10_000 {
            let s = episodeSeed(seed, split: split.name, index: index, attempt: attempt)
            let e = try episode(split, seed: s)
            let text = EpisodeText(e)
            let play = ExpertPlay(e, order: text.order)
            if let (_, share) = split.confound, text.answerFirst(play) != plants(share, index: index) { continue }
            let record = EpisodeRecord.json(
                e,
                text: text,
                play: play,
                id: id,
                split: split.name,
                explanations: split.explanations
            )
            return Array(record.serialized().utf8)
        }
        throw EpisodeError("split '\(split.name)': 10,000 draws of episode \(index) found none with the planted cue")
    }

    /// Writes every split, then the manifest and card; returns the manifest.
    @discardableResult
    public func compile() throws -> JSONValue {
        let fm = FileManager.default
        if fm.fileExists(atPath: outputDirectory) {
            let contents = (try? fm.contentsOfDirectory(atPath: outputDirectory)) ?? []
            if !contents.isEmpty {
                guard force else {
                    throw IOError(
                        path: outputDirectory,
                        message: "the directory is not empty; use --force to replace it"
                    )
                }
                for item in contents { try fm.removeItem(atPath: outputDirectory + "/" + item) }
            }
        }
        do {
            try fm.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw IOError(path: outputDirectory, message: "cannot create the directory: \(error.localizedDescription)")
        }
        var splitEntries: [JSONValue] = []
        for split in recipe.splits {
            let lines = try Self.lines(split, seed: recipe.seed, jobs: jobs)
            var file = try AtomicFile(path: outputDirectory + "/" + split.name + ".jsonl")
            var hasher = SHA256()
            var bytes = 0
            var tally = EpisodeTally()
            for line in lines {
                try tally.add(line)
                var withNewline = line
                withNewline.append(0x0A)
                hasher.update(data: withNewline)
                bytes += withNewline.count
                try file.write(withNewline)
            }
            try file.commit()
            splitEntries.append(
                .object(
                    [
                        ("name", .string(split.name)),
                        ("role", .string(split.role)),
                        ("file", .string(split.name + ".jsonl")),
                        ("count", JSONValue(lines.count)),
                        ("bytes", JSONValue(bytes)),
                        ("sha256", .string(hasher.finalize().hex)),
                        ("level", EpisodeRecord.levelJSON(split.level)),
                        ("nodes", [JSONValue(split.nodes.lowerBound), JSONValue(split.nodes.upperBound)]),
                        ("structures", .string(split.level.structures.name)),
                        ("explanations", .bool(split.explanations)),
                        (
                            "confound",
                            split.confound.map { c in
                                .object([
                                    ("cue", .string(c.cue)),
                                    ("agreement", .string(Rational(c.agreement, 100).decimal(places: 2))),
                                ])
                            } ?? .null
                        ),
                    ] + tally.summary
                )
            )
        }
        let manifest: JSONValue = .object([
            ("kind", "episodes"),
            ("name", .string(recipe.name)),
            ("seed", JSONValue(Int(recipe.seed))),
            ("axiomc_version", .string(Manifest.toolVersion)),
            ("splits", .array(splitEntries)),
        ])
        try AtomicFile.write(Array(recipe.text.utf8), to: outputDirectory + "/recipe.yaml")
        try AtomicFile.write(Array(Self.card(manifest).utf8), to: outputDirectory + "/README.md")
        try AtomicFile.write(
            Array((manifest.serialized(pretty: true) + "\n").utf8),
            to: outputDirectory + "/manifest.json"
        )
        return manifest
    }

    /// The record lines of a split, generated on `jobs` threads in fixed chunks, in index order;
    /// a failure is the first in index order, whatever the threads' timing.
    static func lines(_ split: EpisodeRecipe.Split, seed: UInt64, jobs: Int) throws -> [[UInt8]] {
        let chunk = 256
        let chunks = (split.count + chunk - 1) / chunk
        let results = ResultSlots<Result<[[UInt8]], any Error>>(count: chunks)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, chunks))) { _ in
            while true {
                let c = next.increment() - 1
                if c >= chunks { return }
                results.set(
                    c,
                    Result {
                        try (c * chunk..<min(split.count, (c + 1) * chunk)).map {
                            try line(split, seed: seed, index: $0)
                        }
                    }
                )
            }
        }
        var out: [[UInt8]] = []
        out.reserveCapacity(split.count)
        for result in results.values { out += try result!.get() }
        return out
    }

    static func card(_ manifest: JSONValue) -> String {
        // The Hugging Face header: one split per file, so `datasets.load_dataset(DIR)` (and
        // `axiomc.load`) gives the recipe's splits by name.
        var out = "---\nconfigs:\n- config_name: default\n  data_files:\n"
        for s in manifest["splits"]?.array ?? [] {
            out += "  - split: \(s["name"]?.string ?? "")\n    path: \(s["file"]?.string ?? "")\n"
        }
        out += "language:\n- en\ntags:\n- causal-reasoning\n- interventions\n- synthetic\n---\n\n"
        out += "# \(manifest["name"]?.string ?? "episodes")\n\n"
        out += """
            Experiment-then-exploit episodes compiled by axiomc \(Manifest.toolVersion) (seed \
            \(manifest["seed"]?.int ?? 0)). Each record is an expert's transcript on a hidden linear causal \
            system: the system untouched, one experiment per variable other than the goal, then the \
            setting that makes the goal largest, with an explanation that derives it from the \
            observations alone. `axiomc episodes check` recomputes every record; \
            `axiomc episodes score` scores a model's transcripts against this corpus.


            """
        out +=
            "| split | role | episodes | nodes | noise | structures | expert reward | random reward | top-setting reward |\n"
        out += "|---|---|---|---|---|---|---|---|---|\n"
        for s in manifest["splits"]?.array ?? [] {
            let nodes = s["nodes"]?.array?.compactMap(\.int) ?? []
            let level = s["level"]
            out +=
                "| \(s["name"]?.string ?? "") | \(s["role"]?.string ?? "") | \(s["count"]?.int ?? 0) "
                + "| \(nodes.map(String.init).joined(separator: "-")) "
                + "| \(level?["noise"]?.int ?? 0) (\(level?["trials"]?.int ?? 1) trials) "
                + "| \(s["structures"]?.string ?? "") "
                + "| \(s["expert_reward_mean"]?.string ?? "") | \(s["random_reward_mean"]?.string ?? "") "
                + "| \(s["top_setting_reward_mean"]?.string ?? "") |\n"
        }
        out += """

            Rewards are normalized per episode: (goal reached - worst) / (best - worst) over every \
            admissible answer. `random` answers uniformly at random (its expectation, exact); \
            `top-setting` sets a random variable other than the goal to the top of the settings (a \
            shortcut that ignores the experiments).

            """
        return out
    }
}

/// Per-split sums over records: the expert's reward, the baselines', where the answer sits.
struct EpisodeTally {
    var count = 0
    var expert = Rational.zero
    var random = Rational.zero
    var top = Rational.zero
    var optimal = 0
    /// How often the answer is the i-th variable listed (goal left out), for the position cue.
    var positions: [Int: Int] = [:]
    var positionChance = Rational.zero
    /// Episodes whose `answer-first` cue holds.
    var answerFirst = 0

    mutating func add(_ line: [UInt8]) throws { try add(record: try JSONValue.parse(line)) }

    mutating func add(record: JSONValue) throws {
        guard let e = record["expert_reward"]?.string.flatMap({ EpisodeText.parseNumber(Substring($0)) }),
            let r = record["random_reward"]?.string.flatMap({ EpisodeText.parseNumber(Substring($0)) }),
            let t = record["top_setting_reward"]?.string.flatMap({ EpisodeText.parseNumber(Substring($0)) })
        else { throw EpisodeError("a record lacks its rewards") }
        count += 1
        expert += e
        random += r
        top += t
        if e == .one { optimal += 1 }
        let variables = record["variables"]?.array?.compactMap(\.string) ?? []
        let goal = record["goal"]?.string ?? ""
        let others = variables.filter { $0 != goal }
        let answerName = record["answer"]?.string?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        if let p = others.firstIndex(of: answerName) { positions[p, default: 0] += 1 }
        positionChance += Rational(1, max(1, others.count))
        guard let cue = record["cues"]?[EpisodeText.answerFirstCue], case let .bool(holds) = cue else {
            throw EpisodeError("a record lacks its cues")
        }
        if holds { answerFirst += 1 }
    }

    var summary: [(String, JSONValue)] {
        let n = Rational(max(1, count))
        let best = positions.max { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key }
        return [
            ("expert_reward_mean", .string((expert / n).decimal(places: 4))),
            ("expert_optimal_rate", .string((Rational(optimal) / n).decimal(places: 4))),
            ("random_reward_mean", .string((random / n).decimal(places: 4))),
            ("top_setting_reward_mean", .string((top / n).decimal(places: 4))),
            (
                "answer_position_cue",
                .object([
                    ("most_common_position", JSONValue(best?.key ?? 0)),
                    ("accuracy", .string((Rational(best?.value ?? 0) / n).decimal(places: 4))),
                    ("chance", .string((positionChance / n).decimal(places: 4))),
                ])
            ),
            ("answer_first_share", .string((Rational(answerFirst) / n).decimal(places: 4))),
        ]
    }
}

extension StructureFilter {
    var name: String {
        switch self {
        case .all: "all"
        case .seen: "seen"
        case .heldOut: "held-out"
        }
    }
}

/// Slots filled by concurrent workers, read once all are done.
final class ResultSlots<T: Sendable>: Sendable {
    private let state: Mutex<[T?]>
    init(count: Int) { state = Mutex([T?](repeating: nil, count: count)) }
    func set(_ i: Int, _ value: T) { state.withLock { $0[i] = value } }
    var values: [T?] { state.withLock { $0 } }
}

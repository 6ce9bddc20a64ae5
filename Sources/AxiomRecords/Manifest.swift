import AxiomCore
import Crypto
import Foundation

/// `manifest.json`: what a corpus holds and how to verify it.
public struct Manifest: Codable, Sendable, Equatable {
    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }
    public struct RecipeEcho: Codable, Sendable, Equatable {
        public var name: String
        public var sha256: String
        public var text: String
        public init(name: String, sha256: String, text: String) {
            self.name = name
            self.sha256 = sha256
            self.text = text
        }
    }
    public struct Split: Codable, Sendable, Equatable {
        public var role: SplitRole
        public var records: Int
        public var bytes: Int
        public var graphs: Int
        public var labels: [String: Int]
        public var leakage: Leakage?
        public var balanceTolerance: Double
        public var shards: [Shard]
        public var strata: [String: [Int]]
        public var histograms: [String: [String: Int]]
        /// The accuracy of the best rule "Yes iff cue" (or "iff not cue"), per cue.
        public var cues: [String: Double]?
        /// The linear probe: logistic regression over the cue bits, one model per task.
        public var probe: ProbeScores?
        /// The interaction probe: logistic regression over the cue bits and their pairwise
        /// products, one model per task.
        public var interactions: ProbeScores?
        /// The same scores on each task's records alone, by task name.
        public var tasks: [String: TaskScores]?
        /// Evaluation splits: the text baseline fitted on the training splits' text (`TextProbe`),
        /// its accuracy per task (`check` also scores held-out training records).
        public var textProbe: [String: Double]? = nil
        /// The record layout; absent for `records`.
        public var format: RecordFormat? = nil

        public init(
            role: SplitRole,
            records: Int,
            bytes: Int,
            graphs: Int,
            labels: [String: Int],
            leakage: Leakage?,
            balanceTolerance: Double,
            shards: [Shard],
            strata: [String: [Int]],
            histograms: [String: [String: Int]],
            cues: [String: Double]? = nil,
            probe: ProbeScores? = nil,
            interactions: ProbeScores? = nil,
            tasks: [String: TaskScores]? = nil,
            format: RecordFormat? = nil
        ) {
            self.role = role
            self.records = records
            self.bytes = bytes
            self.graphs = graphs
            self.labels = labels
            self.leakage = leakage
            self.balanceTolerance = balanceTolerance
            self.shards = shards
            self.strata = strata
            self.histograms = histograms
            self.cues = cues
            self.probe = probe
            self.interactions = interactions
            self.tasks = tasks
            self.format = format
        }
    }
    /// How well a logistic regression over the cue vector predicts the labels.
    public struct ProbeScores: Codable, Sendable, Equatable {
        /// 5-fold cross-validated accuracy inside the split.
        public var crossValidated: Double
        /// Accuracy of the probe trained on the training splits (eval splits only).
        public var fromTraining: Double?
        public init(crossValidated: Double, fromTraining: Double?) {
            self.crossValidated = crossValidated
            self.fromTraining = fromTraining
        }
    }
    /// One task's shortcut scores in a split: each of its cues' best rule and both probes, fitted
    /// and scored on its records alone.
    public struct TaskScores: Codable, Sendable, Equatable {
        public var cues: [String: Double]
        public var probe: ProbeScores
        public var interactions: ProbeScores
        public init(cues: [String: Double], probe: ProbeScores, interactions: ProbeScores) {
            self.cues = cues
            self.probe = probe
            self.interactions = interactions
        }
    }
    public struct Shard: Codable, Sendable, Equatable {
        public var file: String
        public var records: Int
        public var bytes: Int
        public var sha256: String
        public init(file: String, records: Int, bytes: Int, sha256: String) {
            self.file = file
            self.records = records
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    public var format: Int
    public var tool: Tool
    public var recipe: RecipeEcho
    public var seed: UInt64
    public var grammar: String
    /// Split names in recipe order.
    public var splitOrder: [String]
    public var splits: [String: Split]
    /// The factor `compile --scale` multiplied the recipe's split counts by; absent when none.
    public var scale: Double? = nil

    public init(
        format: Int,
        tool: Tool,
        recipe: RecipeEcho,
        seed: UInt64,
        grammar: String,
        splitOrder: [String],
        splits: [String: Split]
    ) {
        self.format = format
        self.tool = tool
        self.recipe = recipe
        self.seed = seed
        self.grammar = grammar
        self.splitOrder = splitOrder
        self.splits = splits
    }

    public static let toolVersion = "0.1.0"

    /// The node counts of the training splits' graphs (from their `nodes` histograms), or nil
    /// when the corpus has no training split: what eval marks on its generalization curve.
    public var trainingNodes: ClosedRange<Int>? {
        let counts = splits.values.filter { $0.role == .train }.flatMap {
            $0.histograms["nodes"]?.keys.compactMap { Int($0) } ?? []
        }
        guard let lo = counts.min(), let hi = counts.max() else { return nil }
        return lo...hi
    }

    public static func read(directory: String) throws -> Manifest {
        let path = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IOError(
                path: path,
                message:
                    "no manifest: the corpus is incomplete or not an axiomc corpus (run 'axiomc manifest' once every shard exists)"
            )
        }
        do { return try JSONDocument.decode(Manifest.self, from: data) } catch {
            throw IOError(path: path, message: "unreadable manifest: \(error)")
        }
    }
}

public enum SplitRole: String, Sendable, Codable {
    case train, eval
}

/// What an evaluation split must not share with the training splits.
public enum Leakage: String, Sendable, Codable {
    /// No graph isomorphic to a training graph (and no shared premise text).
    case graph
    /// Graphs may repeat training structures (e.g. reversed listing) but no premise text may.
    case text
}

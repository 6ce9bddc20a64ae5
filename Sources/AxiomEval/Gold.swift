import AxiomCore
import AxiomRecords
import Foundation

/// One gold record as handed to `Gold.add`: its label, bucket values and surface cues.
public struct GoldRecord: Sendable {
    public var id: String
    public var label: Bool
    /// Bucket values by bucket name (`split`, `axiom`, `family`, `nodes`, `hops`, …).
    public var buckets: [String: String]
    /// The cues that hold (bit i: `cueNames[i]` of the task named by `buckets["axiom"]`); nil when
    /// the record states none (an older corpus, a file scored without a corpus).
    public var cues: UInt32?

    public init(id: String, label: Bool, buckets: [String: String], cues: UInt32? = nil) {
        self.id = id
        self.label = label
        self.buckets = buckets
        self.cues = cues
    }
}

/// The gold side of an evaluation, stored by column: labels, cue vectors and the baselines' answers
/// as bits, bucket values as indices into per-bucket tables, ids, and prompt-text fingerprints.
public struct Gold: Sendable {
    public private(set) var ids: [String] = []
    public private(set) var labels: [Bool] = []
    /// Per record: 0 when it states no cues, else 1 + the index of its task in `cueAxioms`.
    var cueProfile: [UInt8] = []
    var cueBits: [UInt32] = []
    var cueAxioms: [String] = []
    /// Per record: the text probe's answer (1 Yes, 0 No, -1 none: no training text of its task).
    var textYes: [Int8] = []
    /// The tasks the text probe was fitted on.
    var textTasks: Set<String> = []
    /// Per record, once fitted: bit k set when baseline k answers it correctly.
    var baselineRight: [UInt64] = []
    /// The baselines (fitted by `fitBaselines`; `Evaluator` fits them on the gold when not yet done).
    public internal(set) var baselines = Baselines()
    var fitted = false
    /// The baseline counts of every record, per bucket value and overall (reused when a file
    /// predicts the whole gold).
    var fullBaselineTallies: [[Tally]] = []
    var fullBaselineOverall = Tally()
    /// `bucketValues[b]`: the distinct values of bucket `bucketNames[b]`.
    public private(set) var bucketValues: [[String]]
    var valueIndex: [[String: Int32]]
    /// `bucketOf[b][record]`: index into `bucketValues[b]`, or -1 when the record has none.
    var bucketOf: [[Int32]]
    var byID: [String: Int32] = [:]
    var byText: [UInt64: Int32] = [:]
    /// Node counts seen in training splits, for marking the generalization curve.
    public var trainingNodes: ClosedRange<Int>?
    public var source: String

    public static let bucketNames = [
        "split", "axiom", "family", "nodes", "edges", "hops", "given_size", "branching",
        "name_length", "order", "distractors", "direction", "type", "difficulty",
    ]

    public init(source: String) {
        self.source = source
        bucketValues = Array(repeating: [], count: Gold.bucketNames.count)
        valueIndex = Array(repeating: [:], count: Gold.bucketNames.count)
        bucketOf = Array(repeating: [], count: Gold.bucketNames.count)
    }

    public var count: Int { labels.count }

    public func index(ofID id: String) -> Int? { byID[id].map(Int.init) }
    public func index(ofText text: String) -> Int? { byText[Gold.fingerprint(text)].map(Int.init) }

    /// Reads the gold of a compiled corpus (`splits` nil: every eval split, or all when there are
    /// none).
    public static func load(corpus directory: String, splits wanted: [String]?) throws -> Gold {
        let manifest = try Manifest.read(directory: directory)
        var names = wanted ?? manifest.splitOrder.filter { manifest.splits[$0]?.role == .eval }
        if names.isEmpty { names = manifest.splitOrder }
        for n in names where manifest.splits[n] == nil {
            throw EvalError("\(directory): no split '\(n)' (splits: \(manifest.splitOrder.joined(separator: ", ")))")
        }
        var gold = Gold(source: directory)
        gold.trainingNodes = manifest.trainingNodes
        let training = manifest.splitOrder.filter { manifest.splits[$0]?.role == .train }
        // The text probe is fitted on training records: it answers gold of evaluation splits only.
        let scoresTraining = names.contains { manifest.splits[$0]?.role == .train }
        // The compile's shard statistics, read once for the text probe and the cue cells.
        let parts = training.isEmpty ? [:] : shardStats(directory)
        let text =
            training.isEmpty || scoresTraining
            ? TextProbe() : try trainingText(directory, manifest, training, parts: parts)
        gold.textTasks = Set(text.tasks)
        var extractor = TextFeatures.Extractor()
        for name in names {
            for shard in manifest.splits[name]!.shards {
                let path = directory + "/" + shard.file
                try LineReader.forEachLine(path: path) { line, n in
                    let stored: StoredRecord
                    let record: GoldRecord
                    do {
                        guard let r = StoredRecord(try JSONValue.parse(line), prompt: true) else {
                            throw EvalError("not an axiomc record (a required field is missing or has the wrong type)")
                        }
                        stored = r
                        record = try GoldRecord(stored)
                    } catch { throw EvalError("\(path):\(n): \(error)") }
                    var textYes: Bool?
                    if gold.textTasks.contains(stored.axiom) {
                        extractor.extract(premise: stored.premise, question: stored.hypothesis, names: stored.names)
                        textYes = text.predictsYes(stored.axiom, extractor.features)
                    }
                    gold.add(
                        record,
                        texts: [stored.prompt, stored.premise + " " + stored.hypothesis].compactMap { $0 },
                        textYes: textYes
                    )
                }
            }
        }
        if gold.cueAxioms.isEmpty || training.isEmpty {
            gold.fitBaselines(training: nil)
        } else {
            gold.fitBaselines(training: (training, try trainingCells(directory, manifest, training, parts: parts)))
        }
        return gold
    }

    /// Adds a record, the prompts it may be predicted by, and the text probe's answer for it.
    public mutating func add(_ record: GoldRecord, texts: [String], textYes: Bool? = nil) {
        let i = Int32(labels.count)
        self.textYes.append(textYes.map { $0 ? 1 : 0 } ?? -1)
        byID[record.id] = i
        for t in texts { byText[Gold.fingerprint(t)] = i }
        ids.append(record.id)
        labels.append(record.label)
        if let bits = record.cues {
            let axiom = record.buckets["axiom"] ?? "?"
            if let p = cueAxioms.firstIndex(of: axiom) {
                cueProfile.append(UInt8(p + 1))
            } else {
                precondition(cueAxioms.count < 255, "more than 254 tasks state cues")
                cueAxioms.append(axiom)
                cueProfile.append(UInt8(cueAxioms.count))
            }
            cueBits.append(bits)
        } else {
            cueProfile.append(0)
            cueBits.append(0)
        }
        fitted = false
        for (b, name) in Gold.bucketNames.enumerated() {
            guard let value = record.buckets[name] else {
                bucketOf[b].append(-1)
                continue
            }
            if let v = valueIndex[b][value] {
                bucketOf[b].append(v)
            } else {
                let v = Int32(bucketValues[b].count)
                valueIndex[b][value] = v
                bucketValues[b].append(value)
                bucketOf[b].append(v)
            }
        }
    }

    /// Prompts are matched after trimming white space, by a 64-bit fingerprint of their bytes.
    static func fingerprint(_ text: String) -> UInt64 {
        var utf8 = Substring(text).utf8[...]
        while let f = utf8.first, f == 0x20 || f == 0x0A || f == 0x0D || f == 0x09 { utf8 = utf8.dropFirst() }
        while let l = utf8.last, l == 0x20 || l == 0x0A || l == 0x0D || l == 0x09 { utf8 = utf8.dropLast() }
        // FNV-1a mixed with a second, multiplicative pass, so two prompts rarely share both.
        var g: UInt64 = 0x8422_2325_CBF2_9CE4
        for b in utf8 { g = (g &+ UInt64(b)) &* 0x9E37_79B9_7F4A_7C15 }
        return FNV1a.hash(utf8) ^ (g >> 29) ^ (g << 35)
    }
}

extension GoldRecord {
    /// The gold side of an axiomc corpus record of any layout; `meta.cues` (absent in older
    /// corpora) becomes `cues`. Buckets are the split, the task and `meta`'s values.
    init(_ r: StoredRecord) throws {
        var buckets: [String: String] = ["split": r.split, "axiom": r.axiom]
        for key in Gold.bucketNames where buckets[key] == nil {
            if let value = r.metaText(key) { buckets[key] = value }
        }
        self.init(
            id: r.id,
            label: r.label.lowercased() == "yes",
            buckets: buckets,
            cues: try GoldRecord.cueBits(r.meta[RecordField.cues], axiom: r.axiom)
        )
    }

    /// `meta.cues` names as the bits of the task's `cueNames` (nil when the record has no list).
    static func cueBits(_ list: JSONValue?, axiom: String) throws -> UInt32? {
        guard let list else { return nil }
        guard let names = list.array else { throw EvalError("meta.cues is not a list") }
        guard let task = TaskCatalog.task(Axiom(axiom)) else {
            throw EvalError("meta.cues given for an unknown task '\(axiom)'")
        }
        let cueNames = task.recordCueNames
        var bits: UInt32 = 0
        for n in names {
            guard let name = n.string, let i = cueNames.firstIndex(of: name) else {
                throw EvalError(
                    "meta.cues: unknown cue \(n.text ?? "?") for \(axiom) (cues: \(cueNames.joined(separator: ", ")))"
                )
            }
            bits |= 1 << UInt32(i)
        }
        return bits
    }
}

public struct EvalError: UserError, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

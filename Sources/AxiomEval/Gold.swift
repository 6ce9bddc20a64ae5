import AxiomCorpus
import Foundation

/// One gold record, reduced to what scoring needs: its label, its bucket values and the answers
/// of the shortcut baselines.
public struct GoldRecord: Sendable {
    public var id: String
    public var label: Bool
    /// Bucket values by bucket name (`split`, `axiom`, `family`, `nodes`, `hops`, …).
    public var buckets: [String: String]
    /// What each shortcut baseline answers (see `Baseline`).
    public var shortcuts: [Bool]
}

/// The shortcut baselines, computed on the same gold as the model.
public enum Baseline: Int, CaseIterable, Sendable {
    /// The most frequent gold label of the bucket (filled in at scoring time).
    case majority
    /// "Yes iff x is mentioned before y in the premise."
    case mentionOrder
    /// "Yes iff the edge x → y is stated."
    case edgeStated
    /// "d-separated iff x and y are not adjacent" (Yes iff not adjacent, for both axioms).
    case notAdjacent

    public var name: String {
        switch self {
        case .majority: "majority"
        case .mentionOrder: "x-before-y"
        case .edgeStated: "edge-stated"
        case .notAdjacent: "not-adjacent"
        }
    }
}

/// The gold side of an evaluation: records in corpus order, indexed by id and by prompt text.
public struct Gold: Sendable {
    public var records: [GoldRecord] = []
    public var byID: [String: Int] = [:]
    public var byText: [String: Int] = [:]
    /// Node counts seen in training splits, for marking the generalization curve.
    public var trainingNodes: ClosedRange<Int>?
    public var source: String

    public static let bucketNames = ["split", "axiom", "family", "nodes", "edges", "hops", "given_size", "branching",
                                     "name_length", "order", "distractors", "direction"]

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
        if let recipe = try? Recipe.decode(manifest.recipe.text, file: directory + "/manifest.json") {
            let train = recipe.splits.filter { $0.role == .train }
            if let lo = train.map(\.nodes.lowerBound).min(), let hi = train.map(\.nodes.upperBound).max() { gold.trainingNodes = lo...hi }
        }
        for name in names {
            for shard in manifest.splits[name]!.shards {
                let path = directory + "/" + shard.file
                guard let data = FileManager.default.contents(atPath: path) else { throw EvalError("\(path): cannot read the file") }
                var lineNumber = 0
                for line in data.split(separator: 0x0A) {
                    lineNumber += 1
                    let value: JSONValue
                    do { value = try JSONValue.parse(line) } catch { throw EvalError("\(path):\(lineNumber): \(error)") }
                    guard let record = GoldRecord(corpusRecord: value) else {
                        throw EvalError("\(path):\(lineNumber): not an axiomc record")
                    }
                    gold.add(record, texts: [value["prompt"]?.string, instance(value)].compactMap { $0 })
                }
            }
        }
        return gold
    }

    static func instance(_ v: JSONValue) -> String? {
        guard let p = v["premise"]?.string, let h = v["hypothesis"]?.string else { return nil }
        return p + " " + h
    }

    public mutating func add(_ record: GoldRecord, texts: [String]) {
        byID[record.id] = records.count
        for t in texts { byText[Gold.normalize(t)] = records.count }
        records.append(record)
    }

    /// Prompts are matched after trimming space, so a trailing newline or space does not matter.
    static func normalize(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

extension GoldRecord {
    /// Reads an axiomc corpus record.
    init?(corpusRecord v: JSONValue) {
        guard let id = v["id"]?.string, let label = v["label"]?.string, let meta = v["meta"],
              let names = v["graph"]?["nodes"]?.array?.compactMap(\.string), let edges = v["graph"]?["edges"]?.array,
              let x = v["query"]?["x"]?.int, let y = v["query"]?["y"]?.int, let premise = v["premise"]?.string,
              names.indices.contains(x), names.indices.contains(y) else { return nil }
        self.id = id
        self.label = label.lowercased() == "yes"
        var buckets: [String: String] = [:]
        buckets["split"] = v["split"]?.string ?? "?"
        buckets["axiom"] = v["axiom"]?.string ?? "?"
        for key in Gold.bucketNames where buckets[key] == nil {
            if let value = meta[key] { buckets[key] = value.text ?? "null" }
        }
        self.buckets = buckets
        let pairs = edges.compactMap { e -> (Int, Int)? in
            guard let a = e[0]?.int, let b = e[1]?.int else { return nil }
            return (a, b)
        }
        let stated = pairs.contains { $0 == (x, y) }
        let adjacent = stated || pairs.contains { $0 == (y, x) }
        shortcuts = [false, GoldRecord.mentionedBefore(names[x], names[y], in: premise), stated, !adjacent]
    }

    /// Whether `a` first appears before `b` as a whole word of `text`.
    static func mentionedBefore(_ a: String, _ b: String, in text: String) -> Bool {
        var word = ""
        for ch in text + " " {
            if ch.isLetter || ch.isNumber || ch == "_" || ch == "-" { word.append(ch); continue }
            if word == a { return true }
            if word == b { return false }
            word = ""
        }
        return false
    }
}

public struct EvalError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

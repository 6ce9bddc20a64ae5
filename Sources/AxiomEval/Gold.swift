import AxiomCore
import AxiomCorpus
import Foundation

/// One gold record as handed to `Gold.add`: its label, bucket values and shortcut answers.
public struct GoldRecord: Sendable {
    public var id: String
    public var label: Bool
    /// Bucket values by bucket name (`split`, `axiom`, `family`, `nodes`, `hops`, …).
    public var buckets: [String: String]
    /// What each shortcut baseline answers, in `Baseline` order (the majority entry is unused).
    public var shortcuts: [Bool]
}

/// The shortcut baselines, computed on the same gold as the model.
public enum Baseline: Int, CaseIterable, Sendable {
    /// The most frequent gold label of the bucket.
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

/// The gold side of an evaluation, stored by column: labels, shortcut answers as bits, bucket
/// values as indices into per-bucket tables, ids, and prompt-text fingerprints for matching.
public struct Gold: Sendable {
    public private(set) var ids: [String] = []
    public private(set) var labels: [Bool] = []
    /// Bit `b` set: shortcut `Baseline(rawValue: b)` answers Yes.
    var shortcutBits: [UInt8] = []
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

    public static let bucketNames = ["split", "axiom", "family", "nodes", "edges", "hops", "given_size", "branching",
                                     "name_length", "order", "distractors", "direction", "type"]

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
        if let recipe = try? Recipe.decode(manifest.recipe.text, file: directory + "/manifest.json") {
            let train = recipe.splits.filter { $0.role == .train }
            if let lo = train.map(\.nodes.lowerBound).min(), let hi = train.map(\.nodes.upperBound).max() { gold.trainingNodes = lo...hi }
        }
        for name in names {
            for shard in manifest.splits[name]!.shards {
                let path = directory + "/" + shard.file
                try LineReader.forEachLine(path: path) { line, n in
                    let value: JSONValue
                    do { value = try JSONValue.parse(line) } catch { throw EvalError("\(path):\(n): \(error)") }
                    guard let record = GoldRecord(corpusRecord: value) else {
                        throw EvalError("\(path):\(n): not an axiomc record")
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
        let i = Int32(labels.count)
        byID[record.id] = i
        for t in texts { byText[Gold.fingerprint(t)] = i }
        ids.append(record.id)
        labels.append(record.label)
        var bits: UInt8 = 0
        for (b, yes) in record.shortcuts.enumerated() where yes { bits |= 1 << UInt8(b) }
        shortcutBits.append(bits)
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
        let t = Array(text.utf8), x = Array(a.utf8), y = Array(b.utf8)
        var start = 0
        func isName(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D || c >= 0x80
        }
        for i in 0...t.count where i == t.count || !isName(t[i]) {
            if i > start {
                let word = t[start..<i]
                if word.elementsEqual(x) { return true }
                if word.elementsEqual(y) { return false }
            }
            start = i + 1
        }
        return false
    }
}

public struct EvalError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

import AxiomCore
import Foundation

/// The surface of a record as a bag of features, for the text baseline (`TextProbe`): what a
/// reader sees without reading the graph.
///
/// Premise and question are split into words (runs of ASCII letters, digits, `_` and any
/// non-ASCII byte) and single punctuation marks; a word that is one of the record's variable
/// names becomes one shared placeholder, so the features are the wording and its counts, never
/// who is who. Features: every premise token and every pair of neighbouring premise tokens, the
/// same for the question (tagged apart), and the character trigrams of every name occurrence in
/// the question, tagged by the occurrence's place (first, second, third or later), so names that
/// lean towards a label are seen too. A name holding punctuation or spaces stays as its words.
///
/// Each feature is a bucket: a hash of its tag and its tokens (FNV-1a hashes of the words, the
/// trigram's bytes), modulo `buckets` (2¹⁸).
/// Collisions merge two features; at a grammar's vocabulary (thousands of features, tens of
/// thousands with name trigrams) that is rare and harmless to a baseline.
public enum TextFeatures {
    public static let buckets = 1 << 18

    /// Appends the features of a record's premise and question to `features`.
    public static func extract(premise: String, question: String, names: [String], into features: inout [UInt32]) {
        var extractor = Extractor()
        extractor.extract(premise: premise, question: question, names: names)
        features.append(contentsOf: extractor.features)
    }

    /// Reusable storage for extracting features record after record without allocating.
    public struct Extractor: Sendable {
        /// The last record's features.
        public private(set) var features: [UInt32] = []
        var tokens: [UInt64] = []
        var asked: [Range<Int>] = []
        var known: [UInt64] = []

        public init() {}

        /// Replaces `features` by those of a premise and question naming `names`.
        public mutating func extract(premise: String, question: String, names: [String]) {
            bytes(of: premise) { p in
                bytes(of: question) { q in extract(premise: p, question: q, names: names.lazy.map(\.utf8)) }
            }
        }

        /// Replaces `features` by those of a premise and question (UTF-8) naming `names`.
        public mutating func extract<Names: Sequence>(
            premise: UnsafeBufferPointer<UInt8>,
            question: UnsafeBufferPointer<UInt8>,
            names: Names
        ) where Names.Element: Sequence<UInt8> {
            features.removeAll(keepingCapacity: true)
            known.removeAll(keepingCapacity: true)
            for name in names { known.append(FNV1a.hash(name)) }
            tokens.removeAll(keepingCapacity: true)
            asked.removeAll(keepingCapacity: true)
            tokenize(premise, known: known, into: &tokens, asked: &asked)
            grams(tokens, tag: 1, into: &features)
            tokens.removeAll(keepingCapacity: true)
            asked.removeAll(keepingCapacity: true)
            tokenize(question, known: known, into: &tokens, asked: &asked)
            for (k, word) in asked.enumerated() { trigrams(question[word], place: min(k, 2), into: &features) }
            grams(tokens, tag: 3, into: &features)
        }
    }

    private static func bytes(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if text.utf8.withContiguousStorageIfAvailable(body) == nil { Array(text.utf8).withUnsafeBufferPointer(body) }
    }

    static func isWord(_ b: UInt8) -> Bool {
        b >= 0x80 || b == 0x5F || (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// A token: the hash of a lowercased word or a punctuation mark; names are `placeholder`.
    static let placeholder: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Token hashes of `text`; the byte ranges of the names met, in order, into `asked`.
    static func tokenize(
        _ text: UnsafeBufferPointer<UInt8>,
        known: [UInt64],
        into tokens: inout [UInt64],
        asked: inout [Range<Int>]
    ) {
        var i = 0
        while i < text.count {
            let b = text[i]
            guard isWord(b) else {
                if b != 0x20 && b != 0x0A && b != 0x09 && b != 0x0D { tokens.append(FNV1a.hash(CollectionOfOne(b))) }
                i += 1
                continue
            }
            var raw = FNV1a()
            var lowered = FNV1a()
            let start = i
            while i < text.count, isWord(text[i]) {
                raw.combine(text[i])
                lowered.combine(lower(text[i]))
                i += 1
            }
            if known.contains(raw.value) {
                tokens.append(placeholder)
                asked.append(start..<i)
            } else {
                tokens.append(lowered.value)
            }
        }
    }

    /// Unigrams tagged `tag`, bigrams tagged `tag + 1`.
    static func grams(_ tokens: [UInt64], tag: UInt8, into features: inout [UInt32]) {
        for (i, t) in tokens.enumerated() {
            features.append(bucket(tag, t, 0))
            if i > 0 { features.append(bucket(tag + 1, tokens[i - 1], t)) }
        }
    }

    /// The trigrams of `^name$` (lowercased), tagged by the name's place in the question.
    static func trigrams(_ name: Slice<UnsafeBufferPointer<UInt8>>, place: Int, into features: inout [UInt32]) {
        let n = name.count + 2
        guard n >= 3 else { return }
        func byte(_ k: Int) -> UInt8 { k == 0 ? 0x5E : k == n - 1 ? 0x24 : lower(name[name.startIndex + k - 1]) }
        for k in 0...(n - 3) {
            let gram = UInt64(byte(k)) | UInt64(byte(k + 1)) << 8 | UInt64(byte(k + 2)) << 16
            features.append(bucket(UInt8(8 + place), gram, 0))
        }
    }

    static func bucket(_ tag: UInt8, _ a: UInt64, _ b: UInt64) -> UInt32 {
        // splitmix64's finalizer over a tagged combination: a few multiplications, no loop.
        var z = a &* 0x9E37_79B9_7F4A_7C15 ^ (b &+ UInt64(tag) &* 0xD1B5_4A32_D192_ED03) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return UInt32(truncatingIfNeeded: z) & UInt32(buckets - 1)
    }
}

/// The text baseline: a multinomial naive Bayes classifier over `TextFeatures`, one model per
/// task, with add-one smoothing — the classic bag-of-words baseline, a linear model in log space.
///
/// Fitting is counting, so models merge in any order and the same records give the same model
/// whatever the thread count or shard size; a prediction sums the record's feature weights in the
/// record's own order, so it is deterministic too. Ties (a score of exactly 0) predict No.
///
/// Training records are fitted, held out or unused by their names' group (`role`): `check` scores
/// the held-out ones. `compile` fits the same records, so the scores it writes for evaluation splits are the
/// ones `check` recomputes.
public struct TextProbe: Sendable {
    struct Model: Sendable {
        var yes = [Int](repeating: 0, count: TextFeatures.buckets)
        var no = [Int](repeating: 0, count: TextFeatures.buckets)
        var tokens = (yes: 0, no: 0)
        var records = (yes: 0, no: 0)
    }
    private var models: [String: Model] = [:]
    /// Per task, after `freeze`: each bucket's log-likelihood ratio and the prior's log-odds.
    private var weights: [String: (features: [Double], prior: Double)] = [:]

    public init() {}

    /// A training record's role in the text baseline, by its names' group.
    public enum Role: Sendable, Hashable {
        /// Fitted: the model counts it.
        case fitted
        /// Held out: `check` scores it with the model.
        case heldOut
        /// Neither: the model is fitted on two groups in five, which is plenty for a baseline
        /// and keeps its cost at compile small.
        case unused
    }

    /// The role of a training record naming `names` over a graph with `edges` (node indices into
    /// `names`): its group (modulo 5) hashes the names and the undirected skeleton's edges as
    /// pairs of names, whatever their order — what a graph's questions and a record's contrastive
    /// twin share, so a held-out score is not a twin's label read back through the names, and
    /// graphs over the same names (sequential names) still fall into different groups. Group 0 is
    /// held out, groups 1 and 2 fitted. An edge naming no node is ignored.
    public static func role<Names: RandomAccessCollection>(
        _ names: Names,
        edges: some Sequence<(Int, Int)>
    ) -> Role where Names.Index == Int, Names.Element: Sequence<UInt8> {
        var hashes: [UInt64] = []
        hashes.reserveCapacity(names.count)
        var sum: UInt64 = 0
        for name in names {
            hashes.append(FNV1a.hash(name))
            sum &+= hashes[hashes.count - 1]
        }
        for (a, b) in edges where a >= 0 && b >= 0 && a < hashes.count && b < hashes.count {
            let (low, high) = (min(hashes[a], hashes[b]), max(hashes[a], hashes[b]))
            sum &+= mix(low &* 0x9E37_79B9_7F4A_7C15 ^ high)
        }
        switch mix(sum) % 5 {
        case 0: return .heldOut
        case 1, 2: return .fitted
        default: return .unused
        }
    }

    /// splitmix64's finalizer: FNV-1a's low bits of similar names are not uniform.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Counts one training record of `task` (its features are `TextFeatures` buckets).
    public mutating func add(_ task: String, _ features: [UInt32], yes: Bool) {
        if models[task] == nil { models[task] = Model() }
        models[task]!.add(features, yes: yes)
    }

    public var isEmpty: Bool { models.isEmpty }

    /// The counts per task, for shard statistics.
    public var counts: [String: TextCounts] {
        models.mapValues { m in
            var buckets: [Int] = []
            for b in 0..<TextFeatures.buckets where m.yes[b] + m.no[b] > 0 { buckets += [b, m.yes[b], m.no[b]] }
            return TextCounts(
                buckets: buckets,
                tokens: [m.tokens.yes, m.tokens.no],
                records: [m.records.yes, m.records.no]
            )
        }
    }

    /// Adds counts written by `counts`.
    public mutating func absorb(_ counts: [String: TextCounts]) throws(TextCounts.Invalid) {
        for (task, c) in counts.sorted(by: { $0.key < $1.key }) {
            guard c.buckets.count % 3 == 0, c.tokens.count == 2, c.records.count == 2 else {
                throw TextCounts.Invalid(task: task)
            }
            var m = models[task] ?? Model()
            guard (c.buckets + c.tokens + c.records).allSatisfy({ $0 >= 0 }) else {
                throw TextCounts.Invalid(task: task)
            }
            func add(_ a: inout Int, _ b: Int) throws(TextCounts.Invalid) {
                let (sum, overflow) = a.addingReportingOverflow(b)
                guard !overflow else { throw TextCounts.Invalid(task: task) }
                a = sum
            }
            for i in stride(from: 0, to: c.buckets.count, by: 3) {
                let b = c.buckets[i]
                guard b < TextFeatures.buckets else { throw TextCounts.Invalid(task: task) }
                try add(&m.yes[b], c.buckets[i + 1])
                try add(&m.no[b], c.buckets[i + 2])
            }
            try add(&m.tokens.yes, c.tokens[0])
            try add(&m.tokens.no, c.tokens[1])
            try add(&m.records.yes, c.records[0])
            try add(&m.records.no, c.records[1])
            models[task] = m
        }
    }

    /// The tasks with training records, sorted.
    public var tasks: [String] { (models.isEmpty ? Array(weights.keys) : Array(models.keys)).sorted() }

    /// Turns the counts into weights; call once after the last `add`.
    public mutating func freeze() {
        for (task, m) in models {
            let v = Double(zip(m.yes, m.no).reduce(0) { $0 + ($1.0 + $1.1 > 0 ? 1 : 0) } + 1)
            let yes = Double(m.tokens.yes) + v
            let no = Double(m.tokens.no) + v
            let w = zip(m.yes, m.no).map { log(Double($0 + 1) / yes) - log(Double($1 + 1) / no) }
            weights[task] = (w, log(Double(m.records.yes + 1) / Double(m.records.no + 1)))
        }
        models = [:]
    }

    /// The frozen model's answer for a record of `task` (nil: no training records of the task).
    public func predictsYes(_ task: String, _ features: [UInt32]) -> Bool? {
        guard let w = weights[task] else { return nil }
        var score = w.prior
        for f in features { score += w.features[Int(f)] }
        return score > 0
    }
}

/// A task's text-baseline counts in shard statistics: `[bucket, yes, no]` triples for the
/// buckets seen, feature totals `[yes, no]` and records `[yes, no]`.
public struct TextCounts: Codable, Sendable, Equatable {
    public var buckets: [Int]
    public var tokens: [Int]
    public var records: [Int]

    public struct Invalid: Error, CustomStringConvertible {
        public var task: String
        public var description: String { "text-baseline counts of task '\(task)' are malformed" }
    }
}

extension TextProbe.Model {
    mutating func add(_ features: [UInt32], yes isYes: Bool) {
        if isYes {
            for f in features { yes[Int(f)] += 1 }
            tokens.yes += features.count
            records.yes += 1
        } else {
            for f in features { no[Int(f)] += 1 }
            tokens.no += features.count
            records.no += 1
        }
    }
}

import Foundation

/// The result of scoring one predictions file.
public struct Evaluation: Sendable {
    public var file: String
    public var format: PredictionFormat
    public var overall = Tally()
    /// `buckets[name][value]`.
    public var buckets: [String: [String: Tally]] = [:]
    /// Per gold record: whether the prediction was right (nil: no prediction).
    public var outcomes: [Bool?] = []
    public var missing = 0
    public var unknown: [String] = []
    public var duplicates: [String] = []
    public var invalidExamples: [String] = []
    /// Gold labels the file carries that disagree with the recomputed gold (`--verify-gold`).
    public var wrongGold: [String] = []
    public var trainingNodes: ClosedRange<Int>?
}

/// Joins predictions with gold and tallies every bucket.
public struct Evaluator {
    public var gold: Gold

    public init(gold: Gold) { self.gold = gold }

    public func score(_ predictions: [Prediction], file: String, format: PredictionFormat) -> Evaluation {
        var e = Evaluation(file: file, format: format)
        e.trainingNodes = gold.trainingNodes
        e.outcomes = Array(repeating: nil, count: gold.records.count)
        for p in predictions {
            let index: Int?
            let label: String
            switch p.key {
            case let .id(id): index = gold.byID[id]; label = id
            case let .text(t): index = gold.byText[Gold.normalize(t)]; label = "line \(p.line)"
            case let .position(i): index = i < gold.records.count ? i : nil; label = "line \(p.line)"
            }
            guard let i = index else {
                e.unknown.append(label)
                continue
            }
            if e.outcomes[i] != nil {
                e.duplicates.append(gold.records[i].id)
                continue
            }
            let record = gold.records[i]
            let answer = AnswerExtraction.extract(p.answer)
            if answer == .invalid && e.invalidExamples.count < 5 { e.invalidExamples.append("\(record.id): \(p.answer.debugDescription)") }
            e.outcomes[i] = (answer == .yes && record.label) || (answer == .no && !record.label)
            e.overall.add(gold: record.label, answer: answer, shortcuts: record.shortcuts)
            for (name, value) in record.buckets {
                e.buckets[name, default: [:]][value, default: Tally()].add(gold: record.label, answer: answer, shortcuts: record.shortcuts)
            }
        }
        e.missing = e.outcomes.filter { $0 == nil }.count
        return e
    }

    /// Gold built from the predictions file itself (its `completion`/`label`/`target`), for files
    /// scored without a corpus.
    public static func embeddedGold(_ predictions: [Prediction], file: String) throws -> (Gold, [Prediction]) {
        var gold = Gold(source: file)
        var keyed: [Prediction] = []
        for p in predictions {
            guard let label = p.embeddedGold else {
                throw EvalError("\(file):\(p.line): the prediction carries no gold label; pass --gold CORPUS_DIR")
            }
            let id = "line-\(p.line)"
            gold.add(GoldRecord(id: id, label: label, buckets: ["split": "file"], shortcuts: [false, false, false, false]), texts: [])
            var q = p
            q.key = .id(id)
            keyed.append(q)
        }
        return (gold, keyed)
    }
}

/// Paired comparison of two systems on the same gold.
public struct Comparison: Sendable {
    public var onlyFirst = 0
    public var onlySecond = 0
    public var both = 0
    public var neither = 0
    public var pValue: Double { Stats.mcnemarExact(b: onlyFirst, c: onlySecond) }

    public init(_ a: Evaluation, _ b: Evaluation) {
        for (x, y) in zip(a.outcomes, b.outcomes) {
            guard let x, let y else { continue }
            switch (x, y) {
            case (true, true): both += 1
            case (true, false): onlyFirst += 1
            case (false, true): onlySecond += 1
            case (false, false): neither += 1
            }
        }
    }
}

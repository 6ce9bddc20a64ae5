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
    /// The first unknown keys (at most 1,000) and how many there were.
    public var unknown: [String] = []
    public var unknownCount = 0
    public var duplicates: [String] = []
    public var invalidExamples: [String] = []
    /// Gold labels the file carries that disagree with the recomputed gold (`--verify-gold`).
    public var wrongGold: [String] = []
    public var trainingNodes: ClosedRange<Int>?
    /// The baselines every tally's `baselineRight` counts.
    public var baselines = Baselines()
    /// The fields predictions were read from: bit k set for `PredictionField(rawValue: k)`.
    public var fieldsRead: UInt16 = 0

    /// The fields the predictions were read from, in order of preference (one for a usual file).
    public var predictionFields: [PredictionField] {
        PredictionField.allCases.filter { fieldsRead >> UInt16($0.rawValue) & 1 == 1 }
    }

    /// The field the predictions were read from ("prediction", "response", …; several joined by
    /// ", " when the lines of a file differ), nil when none was read.
    public var predictionField: String? {
        let fields = predictionFields
        return fields.isEmpty ? nil : fields.map(\.name).joined(separator: ", ")
    }
}

/// Joins predictions with gold and tallies every bucket.
public struct Evaluator {
    public var gold: Gold

    /// Fits the gold's baselines on the gold itself when they were not fitted yet.
    public init(gold: Gold) {
        self.gold = gold
        if !gold.fitted { self.gold.fitBaselines(training: nil) }
    }

    /// Scores predictions held in memory.
    public func score(_ predictions: [Prediction], file: String, format: PredictionFormat) -> Evaluation {
        var run = Run(gold: gold, file: file, format: format)
        for p in predictions { run.add(p) }
        return run.finish()
    }

    /// Scores a predictions file, streaming it: memory is bounded by the gold.
    public func score(
        path: String,
        format: PredictionFormat?,
        maxLineBytes: Int = PredictionReader.defaultMaxLineBytes
    ) throws -> Evaluation {
        let f = format ?? PredictionReader.detect(path: path, maxLineBytes: maxLineBytes)
        var run = Run(gold: gold, file: path, format: f)
        try PredictionReader.forEach(path: path, format: f, maxLineBytes: maxLineBytes) { run.add($0) }
        return run.finish()
    }

    /// The running state of one scoring pass: per-bucket tallies indexed by value number.
    struct Run {
        let gold: Gold
        var evaluation: Evaluation
        var tallies: [[Tally]]

        init(gold: Gold, file: String, format: PredictionFormat) {
            self.gold = gold
            evaluation = Evaluation(file: file, format: format)
            evaluation.trainingNodes = gold.trainingNodes
            evaluation.baselines = gold.baselines
            evaluation.outcomes = Array(repeating: nil, count: gold.count)
            tallies = gold.bucketValues.map { Array(repeating: Tally(), count: $0.count) }
        }

        mutating func add(_ p: Prediction) {
            evaluation.fieldsRead |= 1 << UInt16(p.field.rawValue)
            let index: Int?
            let label: String
            switch p.key {
            case let .id(id):
                index = gold.index(ofID: id)
                label = id
            case let .text(t):
                index = gold.index(ofText: t)
                label = "line \(p.line)"
            case let .position(i):
                index = i < gold.count ? i : nil
                label = "line \(p.line)"
            }
            guard let i = index else {
                if evaluation.unknown.count < 1000 { evaluation.unknown.append(label) }
                evaluation.unknownCount += 1
                return
            }
            if evaluation.outcomes[i] != nil {
                evaluation.duplicates.append(gold.ids[i])
                return
            }
            let truth = gold.labels[i]
            let answer = AnswerExtraction.extract(p.answer)
            if answer == .invalid && evaluation.invalidExamples.count < 5 {
                evaluation.invalidExamples.append(
                    "\(Evaluator.example(gold.ids[i])): \(Evaluator.example(p.answer, quoted: true))"
                )
            }
            evaluation.outcomes[i] = (answer == .yes && truth) || (answer == .no && !truth)
            let probeRight: Bool? =
                gold.cueProfile[i] == 0 ? nil : gold.baselineRight[i] >> UInt64(Baselines.probe) & 1 == 1
            evaluation.overall.add(gold: truth, answer: answer, probeRight: probeRight)
            for b in 0..<tallies.count {
                let v = Int(gold.bucketOf[b][i])
                if v >= 0 { tallies[b][v].add(gold: truth, answer: answer, probeRight: probeRight) }
            }
        }

        mutating func finish() -> Evaluation {
            evaluation.missing = evaluation.outcomes.lazy.filter { $0 == nil }.count
            // Baselines are scored on the records the model answered: precomputed for the whole gold.
            var overall = gold.fullBaselineOverall
            var baseline = gold.fullBaselineTallies
            if evaluation.missing > 0 {
                overall = Tally()
                baseline = gold.bucketValues.map { Array(repeating: Tally(), count: $0.count) }
                for (i, o) in evaluation.outcomes.enumerated() where o != nil {
                    gold.addBaselines(of: i, overall: &overall, buckets: &baseline)
                }
            }
            evaluation.overall.take(baselinesOf: overall)
            for b in 0..<tallies.count {
                for v in 0..<tallies[b].count { tallies[b][v].take(baselinesOf: baseline[b][v]) }
            }
            for (b, name) in Gold.bucketNames.enumerated() where !gold.bucketValues[b].isEmpty {
                var values: [String: Tally] = [:]
                for (v, value) in gold.bucketValues[b].enumerated() where tallies[b][v].n > 0 {
                    values[value] = tallies[b][v]
                }
                if !values.isEmpty { evaluation.buckets[name] = values }
            }
            return evaluation
        }
    }

    /// `text` made safe to print: control bytes and other non-printable characters escaped
    /// (`\n`, `\u{1B}`), cut to `limit` characters with "…" after.
    static func example(_ text: String, quoted: Bool = false, limit: Int = 80) -> String {
        var out = quoted ? "\"" : ""
        var shown = 0
        for scalar in text.unicodeScalars {
            if shown == limit {
                out += "…"
                break
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\"" where quoted: out += "\\\""
            case "\\": out += "\\\\"
            default:
                let printable =
                    scalar.properties.isWhitespace
                    ? scalar == " "
                    : scalar.properties.generalCategory != .control && scalar.properties.generalCategory != .format
                        && scalar.properties.generalCategory != .unassigned
                        && scalar.properties.generalCategory != .surrogate
                        && scalar.properties.generalCategory != .privateUse && scalar != "\u{FFFD}"
                out += printable ? String(scalar) : "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
            shown += 1
        }
        return out + (quoted ? "\"" : "")
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
            gold.add(GoldRecord(id: id, label: label, buckets: ["split": "file"]), texts: [])
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

extension Evaluation {
    /// What keeps this file from being reported, one sentence each: predictions that match no
    /// gold record, duplicates, gold records without a prediction (unless `allowMissing`), and
    /// wrong gold labels the file carries.
    public func problems(allowMissing: Bool) -> [String] {
        var out: [String] = []
        if unknownCount > 0 {
            out.append(
                "\(unknownCount) predictions match no gold record, e.g. \(unknown.prefix(3).joined(separator: ", "))"
            )
        }
        if !duplicates.isEmpty {
            out.append(
                "\(duplicates.count) gold records have more than one prediction, e.g. "
                    + duplicates.prefix(3).joined(separator: ", ")
            )
        }
        if missing > 0 && !allowMissing {
            var sentence = "\(missing) gold records have no prediction (use --allow-missing to score the rest)"
            if format == .text {
                let lines = overall.n + unknownCount + duplicates.count
                sentence +=
                    "; the file was read as plain text, one prediction per line in gold order "
                    + "(\(lines) line\(lines == 1 ? "" : "s") for \(outcomes.count) gold records): "
                    + "pass --format if it is something else"
            }
            out.append(sentence)
        }
        if !wrongGold.isEmpty {
            out.append(
                "\(wrongGold.count) gold labels are wrong or unreadable: \(wrongGold.prefix(10).joined(separator: "; "))"
            )
        }
        return out
    }
}

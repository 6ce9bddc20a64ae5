import AxiomRecords
import Foundation

/// The prediction file formats `axiomc eval` reads.
public enum PredictionFormat: String, Sendable, CaseIterable {
    /// JSONL `{"id": …, "prediction": …}`; OpenAI-style batch outputs (`custom_id`, `response`) too.
    case ids
    /// JSONL `{"prompt": …, "prediction": …[, "completion": gold]}`, matched by prompt text; a
    /// first line holding only `metrics` is skipped (the paper's released files).
    case prompt
    /// lm-evaluation-harness `--log_samples` JSONL.
    case lmEval = "lm-eval"
    /// CSV (RFC 4180, as Python's `csv` module and pandas write it) with a header naming an id
    /// column and a prediction column.
    case csv
    /// One prediction per line, in gold order.
    case text
}

/// Where a prediction's text was read from: one of the accepted field names, or the place a
/// format keeps it.
public enum PredictionField: Int, Sendable, CaseIterable {
    case prediction, pred, output, response, completion, text
    /// An OpenAI batch output line's `response.body.choices[0]`.
    case batchChoice
    /// An lm-evaluation-harness sample's `filtered_resps`.
    case filteredResps
    /// The whole line (plain text in gold order).
    case line

    /// The field names a predictions file may use, in order of preference.
    public static let accepted: [PredictionField] = [.prediction, .pred, .output, .response, .completion, .text]
    public static let acceptedNames = accepted.map(\.name)

    public var name: String {
        switch self {
        case .prediction: "prediction"
        case .pred: "pred"
        case .output: "output"
        case .response: "response"
        case .completion: "completion"
        case .text: "text"
        case .batchChoice: "response.body.choices[0]"
        case .filteredResps: "filtered_resps"
        case .line: "line"
        }
    }

    /// "no prediction field (accepted, in order of preference: prediction, pred, …)".
    static var missing: String {
        "no prediction field (accepted, in order of preference: \(acceptedNames.joined(separator: ", ")))"
    }
}

/// One prediction as read from a file.
public struct Prediction: Sendable {
    public enum Key: Sendable, Hashable {
        case id(String)
        case text(String)
        case position(Int)
    }
    public var key: Key
    public var answer: String
    /// The gold label the file itself carries, if any.
    public var embeddedGold: Bool?
    /// The field `answer` was read from.
    public var field = PredictionField.prediction
    /// The line the prediction starts on.
    public var line: Int
}

/// Reads prediction files of every format.
public enum PredictionReader {
    /// The default longest line a prediction file may have (16 MiB; `--max-line-bytes`).
    public static let defaultMaxLineBytes = 16 << 20

    /// Guesses the format from the first lines.
    public static func detect(_ lines: [Substring]) -> PredictionFormat {
        for (i, line) in lines.prefix(3).enumerated() {
            var t = line.trimmingCharacters(in: .whitespaces)
            if i == 0, t.hasPrefix("\u{FEFF}") { t.removeFirst() }
            if t.isEmpty { continue }
            if t.hasPrefix("{") {
                // A malformed first object is still JSONL: reading it reports the line.
                guard let v = try? JSONValue.parse(Array(t.utf8)) else { return .ids }
                let keys = Set(v.keys)
                if keys == ["metrics"] { continue }
                if keys.contains("doc_id") && keys.contains("doc") { return .lmEval }
                if keys.contains("id") || keys.contains("custom_id") { return .ids }
                if keys.contains("prompt") { return .prompt }
            }
            let header = CSVRecords.cells(of: Substring(t)).map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
            if header.count >= 2 && (header.contains("id") || header.contains(where: acceptedNames.contains)) {
                return .csv
            }
            return .text
        }
        return .text
    }

    static let acceptedNames = Set(PredictionField.acceptedNames)

    /// Guesses the format of the file at `path` from its first three lines. (An unreadable file
    /// is reported by the read that follows.)
    public static func detect(path: String, maxLineBytes: Int = defaultMaxLineBytes) -> PredictionFormat {
        var head: [Substring] = []
        try? LineReader.forEachLine(path: path, maxLineBytes: maxLineBytes) { line, n in
            head.append(Substring(String(decoding: line, as: UTF8.self)))
            if n >= 3 { throw EvalError("enough") }
        }
        return detect(head)
    }

    /// Reads `path` in `format` (detected when nil) into memory (small files, tests).
    public static func read(
        path: String,
        format: PredictionFormat?,
        maxLineBytes: Int = defaultMaxLineBytes
    ) throws -> (PredictionFormat, [Prediction]) {
        var out: [Prediction] = []
        let f = try forEach(path: path, format: format, maxLineBytes: maxLineBytes) { out.append($0) }
        return (f, out)
    }

    /// Streams the predictions of `path` to `body`, one record at a time; returns the format.
    ///
    /// - Throws: `EvalError` naming `file:line` (the line a record starts on) for a malformed
    ///   record, a missing field or a line longer than `maxLineBytes` (found before the line is
    ///   read whole).
    @discardableResult
    public static func forEach(
        path: String,
        format: PredictionFormat?,
        maxLineBytes: Int = defaultMaxLineBytes,
        _ body: (Prediction) throws -> Void
    ) throws -> PredictionFormat {
        let f = format ?? detect(path: path, maxLineBytes: maxLineBytes)
        if f == .csv {
            try forEachCSV(path: path, maxBytes: maxLineBytes, body)
            return f
        }
        let fail = failure(path)
        var any = false
        try LineReader.forEachLine(path: path, maxLineBytes: maxLineBytes) { line, n in
            var line = line
            if n == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = UnsafeBufferPointer(rebasing: line[3...]) }
            if f == .text {
                let answer = String(decoding: line, as: UTF8.self)
                try body(Prediction(key: .position(n - 1), answer: answer, field: .line, line: n))
                return
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            if f == .ids {
                if let p = try idsLine(line, n, first: !any, fail: fail) {
                    try body(p)
                    any = true
                }
                return
            }
            let v: JSONValue
            do { v = try JSONValue.parse(line) } catch { throw fail(n, "malformed JSON: \(error)") }
            if v.keys == ["metrics"] && !any { return }
            any = true
            switch f {
            case .prompt: try body(try promptLine(v, n, fail: fail))
            case .lmEval: try body(try lmEval(v, line: n, fail: fail))
            default: break
            }
        }
        return f
    }

    /// `file:line: message` errors of one file.
    static func failure(_ path: String) -> (Int, String) -> EvalError {
        { n, message in EvalError("\(path):\(n): \(message)") }
    }

    /// The keys an ids line is scanned for: id, gold, batch, then the accepted prediction fields.
    static let idsKeys: [StaticString] = [
        "id", "label", "custom_id", "prediction", "pred", "output", "response", "completion", "text",
    ]

    /// One line of the ids format (nil: a leading line without any of its fields, e.g. metrics).
    static func idsLine(
        _ line: UnsafeBufferPointer<UInt8>,
        _ n: Int,
        first: Bool,
        fail: (Int, String) -> EvalError
    ) throws -> Prediction? {
        // Fast path: only the fields this format reads are decoded.
        let fields: [JSONValue?]
        do { fields = try JSONFields.scan(line, keys: idsKeys) } catch { throw fail(n, "malformed JSON: \(error)") }
        if let custom = fields[2]?.string {
            let choice = fields[6]?["body"]?["choices"]?[0]
            let answer = choice?["message"]?["content"]?.string ?? choice?["text"]?.string ?? ""
            return Prediction(key: .id(custom), answer: answer, field: .batchChoice, line: n)
        }
        guard let id = fields[0]?.text else {
            if first, fields.allSatisfy({ $0 == nil }) { return nil }
            throw fail(n, "no 'id' field")
        }
        let (field, answer) = try prediction(fields[3...], n, fail: fail)
        let gold = label(fields[1] ?? (field == .completion ? nil : fields[7]))
        return Prediction(key: .id(id), answer: answer, embeddedGold: gold, field: field, line: n)
    }

    /// The first accepted prediction field present (`values` in `PredictionField.accepted` order).
    static func prediction<Values: Collection<JSONValue?>>(
        _ values: Values,
        _ n: Int,
        fail: (Int, String) -> EvalError
    ) throws -> (PredictionField, String) {
        for (field, value) in zip(PredictionField.accepted, values) {
            guard let value else { continue }
            guard let text = value.text else {
                throw fail(n, "'\(field.name)' holds no text: \(Evaluator.example(value.serialized(), limit: 40))")
            }
            return (field, text)
        }
        throw fail(n, PredictionField.missing)
    }

    /// One line of the prompt format: matched by prompt text, gold from `completion` or `label`.
    static func promptLine(_ v: JSONValue, _ n: Int, fail: (Int, String) -> EvalError) throws -> Prediction {
        guard let prompt = v["prompt"]?.string else { throw fail(n, "no 'prompt' field") }
        let (field, answer) = try prediction(PredictionField.accepted.lazy.map { v[$0.name] }, n, fail: fail)
        let gold = label((field == .completion ? nil : v["completion"]) ?? v["label"])
        return Prediction(key: .text(prompt), answer: answer, embeddedGold: gold, field: field, line: n)
    }

    static func label(_ v: JSONValue?) -> Bool? {
        guard let s = v?.text else { return nil }
        switch AnswerExtraction.extract(s) {
        case .yes: return true
        case .no: return false
        case .invalid: return nil
        }
    }

    /// An lm-evaluation-harness sample: the record comes back in `doc`; a generation's answer is
    /// `filtered_resps[0]`; a multiple-choice answer is the choice with the highest
    /// log-likelihood, its text read from `arguments`.
    static func lmEval(_ v: JSONValue, line n: Int, fail: (Int, String) -> EvalError) throws -> Prediction {
        guard let docID = v["doc_id"]?.int, let raw = v["doc"] else { throw fail(n, "no 'doc_id' or 'doc'") }
        // A record of the rl layout keeps its id under extra_info, its label as the ground truth.
        let doc = RecordLayout.flatten(raw, prompt: false)
        let key: Prediction.Key = doc["id"]?.string.map { .id($0) } ?? .position(docID)
        let gold = label(doc["label"]) ?? label(v["target"])
        guard let resps = v["filtered_resps"]?.array, !resps.isEmpty else { throw fail(n, "no 'filtered_resps'") }
        if case .array = resps[0] {
            var best = -Double.infinity
            var bestIndex = -1
            for (i, r) in resps.enumerated() {
                if let ll = r[0]?.double ?? r[0]?.text.flatMap(Double.init), ll > best {
                    best = ll
                    bestIndex = i
                }
            }
            var choices: [String] = []
            if let args = v["arguments"]?.array {
                choices = args.map { $0[1]?.text ?? "" }
            } else if case let .object(pairs)? = v["arguments"] {
                choices = pairs.map { $0.1["arg_1"]?.text ?? "" }
            }
            guard bestIndex >= 0, choices.indices.contains(bestIndex) else {
                throw fail(n, "cannot tell which choice the log-likelihoods belong to ('arguments' missing)")
            }
            return Prediction(key: key, answer: choices[bestIndex], embeddedGold: gold, field: .filteredResps, line: n)
        }
        return Prediction(key: key, answer: resps[0].text ?? "", embeddedGold: gold, field: .filteredResps, line: n)
    }

    /// The columns of a CSV header: id, prediction (the first accepted name present) and gold
    /// (`label`, or `completion` when it is not the prediction), and how many there are.
    struct CSVColumns {
        var id: Int
        var prediction: Int
        var field: PredictionField
        var gold: Int?
        var count: Int

        init(_ header: [String], fail: (String) -> EvalError) throws {
            let names = header.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
            guard let id = names.firstIndex(of: "id") else { throw fail("the header names no 'id' column") }
            guard
                let (field, column) = PredictionField.accepted.lazy.compactMap({ f in
                    names.firstIndex(of: f.name).map { (f, $0) }
                }).first
            else {
                throw fail("the header names \(PredictionField.missing)")
            }
            self.id = id
            prediction = column
            self.field = field
            gold = names.firstIndex(of: "label") ?? (field == .completion ? nil : names.firstIndex(of: "completion"))
            count = names.count
        }
    }

    /// Streams the records of a CSV file (see `CSVRecords`): each error names the line its record
    /// starts on.
    static func forEachCSV(path: String, maxBytes: Int, _ body: (Prediction) throws -> Void) throws {
        let fail = failure(path)
        var records = CSVRecords(maxBytes: maxBytes)
        var columns: CSVColumns?
        try LineReader.forEachLine(path: path, maxLineBytes: maxBytes) { line, n in
            let complete: Bool
            do { complete = try records.feed(line, number: n) } catch let e as CSVRecords.TooLong {
                throw fail(e.line, "record longer than \(e.limit) bytes")
            }
            guard complete else { return }
            let start = records.startLine
            guard let c = columns else {
                columns = try CSVColumns((0..<records.count).map(records.cell)) { fail(start, $0) }
                return
            }
            guard records.count == c.count else {
                throw fail(start, "\(records.count) cells where the header has \(c.count)")
            }
            let gold = c.gold.flatMap { label(.string(records.cell($0))) }
            try body(
                Prediction(
                    key: .id(records.cell(c.id)),
                    answer: records.cell(c.prediction),
                    embeddedGold: gold,
                    field: c.field,
                    line: start
                )
            )
        }
        if records.isOpen {
            throw fail(
                records.startLine,
                "a quoted cell opened in this record is not closed before the end of the file"
            )
        }
    }
}

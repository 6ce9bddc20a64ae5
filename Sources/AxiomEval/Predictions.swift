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
    /// CSV with a header naming an id column and a prediction column.
    case csv
    /// One prediction per line, in gold order.
    case text
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
    public var line: Int
}

/// Reads prediction files of every format.
public enum PredictionReader {
    /// The default longest line a prediction file may have (16 MiB; `--max-line-bytes`).
    public static let defaultMaxLineBytes = 16 << 20

    /// Guesses the format from the first lines.
    public static func detect(_ lines: [Substring]) -> PredictionFormat {
        for line in lines.prefix(3) {
            let t = line.trimmingCharacters(in: .whitespaces)
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
            let header = t.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if header.count >= 2 && header.contains("id") { return .csv }
            return .text
        }
        return .text
    }

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

    /// Streams the predictions of `path` to `body`, one line at a time; returns the format.
    ///
    /// - Throws: `EvalError` naming `file:line` for a malformed line, a missing field or a line
    ///   longer than `maxLineBytes` (found before the line is read whole).
    @discardableResult
    public static func forEach(
        path: String,
        format: PredictionFormat?,
        maxLineBytes: Int = defaultMaxLineBytes,
        _ body: (Prediction) throws -> Void
    ) throws -> PredictionFormat {
        let f = format ?? detect(path: path, maxLineBytes: maxLineBytes)
        func fail(_ n: Int, _ message: String) -> EvalError { EvalError("\(path):\(n): \(message)") }
        if f == .csv {
            var lines: [Substring] = []
            try LineReader.forEachLine(path: path, maxLineBytes: maxLineBytes) { line, _ in
                lines.append(Substring(String(decoding: line, as: UTF8.self)))
            }
            for p in try readCSV(lines, path: path) { try body(p) }
            return f
        }
        var any = false
        try LineReader.forEachLine(path: path, maxLineBytes: maxLineBytes) { line, n in
            if f == .text {
                try body(Prediction(key: .position(n - 1), answer: String(decoding: line, as: UTF8.self), line: n))
                return
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            if f == .ids {
                // Fast path: only the fields this format reads are decoded.
                let fields: [JSONValue?]
                do {
                    fields = try JSONFields.scan(
                        line,
                        keys: ["id", "prediction", "label", "completion", "custom_id", "response"]
                    )
                } catch {
                    throw fail(n, "malformed JSON: \(error)")
                }
                if let custom = fields[4]?.string {
                    let choice = fields[5]?["body"]?["choices"]?[0]
                    let answer = choice?["message"]?["content"]?.string ?? choice?["text"]?.string ?? ""
                    try body(Prediction(key: .id(custom), answer: answer, line: n))
                    any = true
                    return
                }
                guard let id = fields[0]?.text else {
                    if !any, fields.allSatisfy({ $0 == nil }) { return }  // e.g. a leading metrics line
                    throw fail(n, "no 'id' field")
                }
                guard let p = fields[1]?.text else { throw fail(n, "no 'prediction' field") }
                try body(Prediction(key: .id(id), answer: p, embeddedGold: label(fields[2] ?? fields[3]), line: n))
                any = true
                return
            }
            let v: JSONValue
            do { v = try JSONValue.parse(line) } catch { throw fail(n, "malformed JSON: \(error)") }
            if v.keys == ["metrics"] && !any { return }
            any = true
            switch f {
            case .prompt:
                guard let prompt = v["prompt"]?.string else { throw fail(n, "no 'prompt' field") }
                guard let p = v["prediction"]?.text else { throw fail(n, "no 'prediction' field") }
                try body(
                    Prediction(
                        key: .text(prompt),
                        answer: p,
                        embeddedGold: label(v["completion"] ?? v["label"]),
                        line: n
                    )
                )
            case .lmEval:
                try body(try lmEval(v, line: n, fail: fail))
            default: break
            }
        }
        return f
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
            return Prediction(key: key, answer: choices[bestIndex], embeddedGold: gold, line: n)
        }
        return Prediction(key: key, answer: resps[0].text ?? "", embeddedGold: gold, line: n)
    }

    static func readCSV(_ lines: [Substring], path: String) throws -> [Prediction] {
        guard let header = lines.first else { return [] }
        let columns = splitCSV(header).map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        guard let idColumn = columns.firstIndex(of: "id") else {
            throw EvalError("\(path):1: the header names no 'id' column")
        }
        guard
            let predColumn = ["prediction", "answer", "output", "response"].lazy.compactMap({
                columns.firstIndex(of: $0)
            }).first
        else {
            throw EvalError("\(path):1: the header names no 'prediction' column")
        }
        var out: [Prediction] = []
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let cells = splitCSV(line)
            guard cells.count == columns.count else {
                throw EvalError("\(path):\(i + 1): \(cells.count) cells where the header has \(columns.count)")
            }
            out.append(Prediction(key: .id(cells[idColumn]), answer: cells[predColumn], line: i + 1))
        }
        return out
    }

    /// RFC 4180 cells of one line (quoted cells may hold commas and doubled quotes).
    static func splitCSV(_ line: Substring) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" {
                            cell.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" && cell.isEmpty {
                quoted = true
            } else if c == "," {
                cells.append(cell)
                cell = ""
            } else if c != "\r" {
                cell.append(c)
            }
        }
        cells.append(cell)
        return cells
    }
}

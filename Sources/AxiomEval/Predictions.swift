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

    /// Reads `path` in `format` (detected when nil).
    public static func read(path: String, format: PredictionFormat?) throws -> (PredictionFormat, [Prediction]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw EvalError("\(path): cannot read the file") }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let f = format ?? detect(lines)
        var out: [Prediction] = []
        out.reserveCapacity(lines.count)
        func fail(_ n: Int, _ message: String) -> EvalError { EvalError("\(path):\(n): \(message)") }
        if f == .text {
            for (i, line) in lines.enumerated() { out.append(Prediction(key: .position(i), answer: String(line), line: i + 1)) }
            return (f, out)
        }
        if f == .csv { return (f, try readCSV(lines, path: path)) }
        for (i, line) in lines.enumerated() {
            let n = i + 1
            if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            let v: JSONValue
            do { v = try JSONValue.parse(Array(line.utf8)) } catch { throw fail(n, "malformed JSON: \(error)") }
            if v.keys == ["metrics"] && out.isEmpty { continue }
            switch f {
            case .ids:
                if let custom = v["custom_id"]?.string {
                    // OpenAI batch output: response.body.choices[0].message.content (or .text).
                    let choice = v["response"]?["body"]?["choices"]?[0]
                    let answer = choice?["message"]?["content"]?.string ?? choice?["text"]?.string ?? ""
                    out.append(Prediction(key: .id(custom), answer: answer, line: n))
                    continue
                }
                guard let id = v["id"]?.text else { throw fail(n, "no 'id' field") }
                guard let p = v["prediction"]?.text else { throw fail(n, "no 'prediction' field") }
                out.append(Prediction(key: .id(id), answer: p, embeddedGold: label(v["label"] ?? v["completion"]), line: n))
            case .prompt:
                guard let prompt = v["prompt"]?.string else { throw fail(n, "no 'prompt' field") }
                guard let p = v["prediction"]?.text else { throw fail(n, "no 'prediction' field") }
                out.append(Prediction(key: .text(prompt), answer: p, embeddedGold: label(v["completion"] ?? v["label"]), line: n))
            case .lmEval:
                out.append(try lmEval(v, line: n, fail: fail))
            default: break
            }
        }
        return (f, out)
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
        guard let docID = v["doc_id"]?.int, let doc = v["doc"] else { throw fail(n, "no 'doc_id' or 'doc'") }
        let key: Prediction.Key = doc["id"]?.string.map { .id($0) } ?? .position(docID)
        let gold = label(doc["label"]) ?? label(v["target"])
        guard let resps = v["filtered_resps"]?.array, !resps.isEmpty else { throw fail(n, "no 'filtered_resps'") }
        if case .array = resps[0] {
            var best = -Double.infinity, bestIndex = -1
            for (i, r) in resps.enumerated() {
                if let ll = r[0]?.double ?? r[0]?.text.flatMap(Double.init), ll > best { best = ll; bestIndex = i }
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
        guard let idColumn = columns.firstIndex(of: "id") else { throw EvalError("\(path):1: the header names no 'id' column") }
        guard let predColumn = ["prediction", "answer", "output", "response"].lazy.compactMap({ columns.firstIndex(of: $0) }).first else {
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
                        if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { cell.append(c) }
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

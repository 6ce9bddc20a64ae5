import AxiomCore
import AxiomRecords
import Foundation

/// Scores of a Corr2Cause-style prediction file: accuracy and F1 on the positive class (label
/// 1, "valid"), overall, per relation (read from the hypothesis with the corr2cause grammar)
/// and per number of variables (read from the premise), by a reader the caller provides (the
/// CLI reads both with the corr2cause grammar: `Grammar.corr2causeItem`).
public struct Corr2CauseEvaluation: Sendable {
    public var file: String
    public var overall = Tally()
    /// Per relation name (`CausalRelation` order; "unknown" for a hypothesis no template reads).
    public var byRelation: [String: Tally] = [:]
    /// Per number of variables (0: not found in the premise).
    public var byNodes: [Int: Tally] = [:]
    /// The column or field the predictions were read from (several joined by ", " when the
    /// lines of a JSONL file differ).
    public var predictionField: String?
    /// Predictions that are neither 1/0 nor an answer word (counted wrong, as `Tally` does).
    public var invalid: Int { overall.invalid }
}

/// Reads Corr2Cause prediction files: CSV (RFC 4180, quoted fields may hold newlines, as the
/// released `input` column does) or JSONL, with `input` ("Premise: …\nHypothesis: …"), `label`
/// (0/1) and a prediction column (the names every predictions file may use, in their order of
/// preference, then `predicted`: 0/1, true/false or Yes/No in any answer form `AnswerExtraction`
/// reads).
public enum Corr2CauseEval {
    public static let predictionColumns = PredictionField.acceptedNames + ["predicted"]

    /// Whether the file looks like a Corr2Cause file: a CSV header or a first JSON object with
    /// `input` and `label`.
    public static func detect(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        var head = String(decoding: handle.readData(ofLength: 4096), as: UTF8.self)
        if head.hasPrefix("\u{FEFF}") { head.removeFirst() }
        let first = head.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        if first.hasPrefix("{") {
            return first.contains("\"input\"") && first.contains("\"label\"")
        }
        let header = first.lowercased().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"")))
        }
        return header.contains("input") && header.contains("label")
    }

    /// Scores `path`; `read` gives an input's relation (a `CausalRelation` index, nil if
    /// unknown) and number of variables (0 if unknown).
    ///
    /// - Throws: `EvalError` for an unreadable file, a missing column or a label that is not 0/1.
    public static func score(
        path: String,
        read: (String) -> (relation: Int?, nodes: Int)
    ) throws -> Corr2CauseEvaluation {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvalError("\(path): cannot read the file")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let rows =
            try text.drop(while: { $0 == " " || $0 == "\n" }).first == "{" ? jsonlRows(text, path) : csvRows(text, path)
        var e = Corr2CauseEvaluation(file: path)
        let used = Set(rows.map(\.field))
        e.predictionField = used.isEmpty ? nil : predictionColumns.filter(used.contains).joined(separator: ", ")
        let relationNames = CausalRelation.allCases.map(\.name)
        for row in rows {
            let label = row.label.trimmingCharacters(in: .whitespaces)
            guard label == "0" || label == "1" else {
                throw EvalError("\(path):\(row.line): label '\(row.label)' is not 0 or 1")
            }
            let answer = answer(row.prediction)
            let (relation, nodes) = read(row.input)
            let name = relation.map { relationNames[$0] } ?? "unknown"
            e.overall.add(gold: label == "1", answer: answer)
            e.byRelation[name, default: Tally()].add(gold: label == "1", answer: answer)
            e.byNodes[nodes, default: Tally()].add(gold: label == "1", answer: answer)
        }
        return e
    }

    typealias Row = (line: Int, input: String, label: String, prediction: String, field: String)

    /// The rows of a JSONL file.
    static func jsonlRows(_ text: String, _ path: String) throws -> [Row] {
        var rows: [Row] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            guard let object = try? JSONValue.parse(Array(line.utf8)), case .object = object else {
                throw EvalError("\(path):\(i + 1): malformed JSON")
            }
            func field(_ k: String) -> String? {
                if case let .bool(b)? = object[k] { return b ? "1" : "0" }
                return object[k]?.text
            }
            guard let input = field("input"), let label = field("label") else {
                throw EvalError("\(path):\(i + 1): no 'input' or 'label'")
            }
            guard let name = predictionColumns.first(where: { object[$0] != nil }), let p = field(name) else {
                throw EvalError(
                    "\(path):\(i + 1): no prediction field (accepted, in order of preference: "
                        + predictionColumns.joined(separator: ", ") + ")"
                )
            }
            rows.append((i + 1, input, label, p, name))
        }
        return rows
    }

    /// The rows of a CSV file.
    static func csvRows(_ text: String, _ path: String) throws -> [Row] {
        let table = parseCSV(text)
        guard let header = table.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
            let inputColumn = header.firstIndex(of: "input"), let labelColumn = header.firstIndex(of: "label")
        else {
            throw EvalError("\(path):1: the CSV header needs 'input' and 'label' columns")
        }
        guard let name = predictionColumns.first(where: header.contains), let column = header.firstIndex(of: name)
        else {
            throw EvalError(
                "\(path):1: the CSV header has no prediction column (accepted, in order of preference: "
                    + predictionColumns.joined(separator: ", ") + ")"
            )
        }
        var rows: [Row] = []
        for row in table.dropFirst() where !(row.fields.count == 1 && row.fields[0].isEmpty) {
            guard row.fields.count == header.count else {
                throw EvalError("\(path):\(row.line): \(row.fields.count) fields, the header has \(header.count)")
            }
            rows.append((row.line, row.fields[inputColumn], row.fields[labelColumn], row.fields[column], name))
        }
        return rows
    }

    /// 1/0, true/false, or an answer word.
    static func answer(_ raw: String) -> AnswerExtraction.Answer {
        switch raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "1", "1.0", "true", "valid": return .yes
        case "0", "0.0", "false", "invalid": return .no
        default: return AnswerExtraction.extract(raw)
        }
    }

    /// RFC 4180 records with their first line numbers.
    static func parseCSV(_ text: String) -> [(line: Int, fields: [String])] {
        var out: [(Int, [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var line = 1
        var start = 1
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
            } else if b == 0x22 && field.isEmpty {
                quoted = true
            } else if b == 0x2C {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll()
            } else if b == 0x0A || b == 0x0D {
                if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll()
                out.append((start, fields))
                fields.removeAll()
                line += 1
                start = line
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(String(decoding: field, as: UTF8.self))
            out.append((start, fields))
        }
        return out
    }

    static func format(_ x: Double) -> String { String(format: "%.3f", x) }

    /// A table: overall, per relation, per number of variables.
    public static func text(_ e: Corr2CauseEvaluation) -> String {
        func row(_ name: String, _ t: Tally) -> String {
            let pad = name.padding(toLength: 22, withPad: " ", startingAt: 0)
            let n = String(t.n).leftPadded(6)
            return
                "\(pad)\(n)  \(String(t.goldYes).leftPadded(5))  \(format(t.accuracy))  \(format(t.f1))  \(format(t.precision))  \(format(t.recall))\n"
        }
        let field = e.predictionField.map { ", field '\($0)'" } ?? ""
        var out =
            "\(e.file): corr2cause\(field), \(e.overall.n) items, F1 (label 1) \(format(e.overall.f1)), accuracy \(format(e.overall.accuracy))"
        out += e.invalid > 0 ? ", \(e.invalid) unreadable predictions\n" : "\n"
        out += "bucket                     n  valid  acc    F1     P      R\n"
        out += row("all", e.overall)
        for name in CausalRelation.allCases.map(\.name) + ["unknown"] {
            if let t = e.byRelation[name] { out += row(name, t) }
        }
        for n in e.byNodes.keys.sorted() { out += row(n == 0 ? "nodes ?" : "nodes \(n)", e.byNodes[n]!) }
        return out
    }

    /// JSON: `{"file", "prediction_field", "overall", "relations": {name: metrics}, "nodes": {n: metrics}}`.
    public static func json(_ e: Corr2CauseEvaluation) -> Data {
        func metrics(_ t: Tally) -> JSONValue {
            [
                "n": JSONValue(t.n), "valid": JSONValue(t.goldYes), "accuracy": JSONValue(t.accuracy),
                "precision": JSONValue(t.precision), "recall": JSONValue(t.recall), "f1": JSONValue(t.f1),
                "invalid": JSONValue(t.invalid),
            ]
        }
        let object: JSONValue = .sortedObject([
            "file": JSONValue(e.file), "prediction_field": e.predictionField.map { .string($0) } ?? .null,
            "overall": metrics(e.overall), "relations": .sortedObject(e.byRelation.mapValues(metrics)),
            "nodes": .sortedObject(
                Dictionary(uniqueKeysWithValues: e.byNodes.map { (String($0.key), metrics($0.value)) })
            ),
        ])
        return Data((object.serialized(pretty: true) + "\n").utf8)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

import AxiomRecords
import Foundation

/// Text, JSON, Markdown, SVG and HTML renderings of evaluations.
public enum Report {
    static func pct(_ x: Double) -> String { String(format: "%.3f", x) }

    /// Bucket values in a readable order: numbers numerically, then the rest by name.
    static func sortedValues(_ values: some Sequence<String>) -> [String] {
        values.sorted { a, b in
            switch (Double(a), Double(b)) {
            case let (x?, y?): x < y
            case (_?, nil): true
            case (nil, _?): false
            default: a < b
            }
        }
    }

    /// Buckets with more than one value (a bucket with one value repeats the overall line).
    static func informativeBuckets(_ e: Evaluation) -> [String] {
        Gold.bucketNames.filter { (e.buckets[$0]?.count ?? 0) > 1 }
    }

    static func row(_ label: String, _ t: Tally, _ b: Baselines) -> [String] {
        let ci = t.interval
        let best =
            b.bestCue(in: t).map { "\(b.rule($0.index)) \(pct($0.accuracy))" + ($0.n < t.n ? " (n=\($0.n))" : "") }
            ?? "—"
        let probe = b.accuracy(Baselines.probe, in: t).map(pct) ?? "—"
        let interactions = b.accuracy(Baselines.interactions, in: t).map(pct) ?? "—"
        let text = b.accuracy(Baselines.text, in: t).map(pct) ?? "—"
        return [
            label, String(t.n), pct(t.accuracy), "[\(pct(ci.low)), \(pct(ci.high))]", pct(t.f1),
            String(format: "%.1f%%", t.invalidRate * 100), best, probe, interactions, text, versus(t, b),
            b.accuracy(Baselines.majority, in: t).map(pct) ?? "—",
        ]
    }

    /// "+0.031 beats", "-0.020 below", "+0.004 n.s." or "—" (the probe does not answer every record).
    static func versus(_ t: Tally, _ b: Baselines) -> String {
        guard let v = b.versusProbe(t) else { return "—" }
        return String(format: "%+.3f", v.difference) + " " + v.verdict.rawValue
    }

    static var header: [String] {
        [
            "bucket", "n", "acc", "95% CI", "F1", "invalid", "best cue", "probe", "int probe", "text probe", "vs probe",
            "majority",
        ]
    }

    /// The text report's width: prose wraps at it, and its two tables (the model's columns, then
    /// the baselines') fit it for the usual bucket values and cue names.
    static let textWidth = 100
    /// The columns of `header` in the text report's model table and in its baselines table.
    static let modelColumns = [0, 1, 2, 3, 4, 5, 10]
    static let baselineColumns = [0, 6, 7, 8, 9, 11]

    /// `text` broken at spaces into lines of at most `width` characters, continuation lines
    /// indented by two spaces; a word longer than a line (a long path) is cut across lines.
    static func wrap(_ text: String, width: Int = textWidth) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if line.contains(where: { $0 != " " }), line.count + 1 + word.count > width {
                lines.append(line)
                line = "  "
            } else if !line.isEmpty {
                line += " "
            }
            var rest = Substring(word)
            while line.count + rest.count > width {
                let room = width - line.count
                lines.append(line + rest.prefix(room))
                rest = rest.dropFirst(room)
                line = "  "
            }
            line += rest
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The plain verdict on the whole gold, one sentence.
    static func verdict(_ e: Evaluation) -> String {
        guard let v = e.baselines.versusProbe(e.overall) else {
            return "No probe on this gold (it states no cues): whether the model beats the shortcuts is not measured."
        }
        let p = v.p < 1e-4 ? "< 0.0001" : "= " + String(format: "%.3g", v.p)
        switch v.verdict {
        case .beats:
            return
                "The model beats the shortcuts: \(String(format: "%+.3f", v.difference)) over the cue probe (McNemar p \(p))."
        case .below:
            return
                "The model does not beat the shortcuts: \(String(format: "%+.3f", v.difference)) below the cue probe (McNemar p \(p))."
        case .notSignificant:
            return
                "The model does not beat the shortcuts: \(String(format: "%+.3f", v.difference)) against the cue probe, not significant (McNemar p \(p))."
        }
    }

    /// Rows as aligned columns (the first left-aligned, the rest right-aligned); when a line
    /// would pass `width`, the first column's cells are cut to fit, ending in "…".
    static func align(_ rows: [[String]], width: Int = textWidth) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        let total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        if total > width, !widths.isEmpty { widths[0] = max(4, widths[0] - (total - width)) }
        return rows.map { r in
            r.enumerated().map { i, c in
                let cell = c.count > widths[i] ? c.prefix(widths[i] - 1) + "…" : c
                return i == 0
                    ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: max(0, widths[i] - cell.count)) + cell
            }.joined(separator: "  ").trimmingTrailingSpaces
        }.joined(separator: "\n") + "\n"
    }

    /// "field 'response'", or "fields 'prediction', 'response'" for a file whose lines differ.
    static func fieldNote(_ e: Evaluation) -> String {
        let fields = e.predictionFields.map { "'\($0.name)'" }
        return fields.isEmpty
            ? "no predictions" : (fields.count == 1 ? "field " : "fields ") + fields.joined(separator: ", ")
    }

    /// The headline columns: accuracy, invalid share and every baseline, for the whole gold, each
    /// split and each task (the buckets that have more than one value).
    static var summaryHeader: [String] {
        // "cue" is the best cue's accuracy, "text" the text probe's (shorter than the details'
        // headers, so the summary of long split names stays within `textWidth`).
        ["summary", "n", "acc", "invalid", "majority", "cue", "probe", "int probe", "text", "vs probe"]
    }

    static func summaryRow(_ label: String, _ t: Tally, _ b: Baselines) -> [String] {
        func baseline(_ k: Int) -> String { b.accuracy(k, in: t).map(pct) ?? "—" }
        return [
            label, String(t.n), pct(t.accuracy), String(format: "%.1f%%", t.invalidRate * 100),
            baseline(Baselines.majority), b.bestCue(in: t).map { pct($0.accuracy) } ?? "—",
            baseline(Baselines.probe), baseline(Baselines.interactions), baseline(Baselines.text), versus(t, b),
        ]
    }

    /// The summary rows: overall, then the splits and the tasks ("axiom") when there are several.
    static func summaryRows(_ e: Evaluation) -> [[String]] {
        var rows = [summaryHeader, summaryRow("overall", e.overall, e.baselines)]
        for (name, title) in [("split", "split"), ("axiom", "task")] where (e.buckets[name]?.count ?? 0) > 1 {
            rows.append([title] + Array(repeating: "", count: summaryHeader.count - 1))
            for value in sortedValues(e.buckets[name]!.keys) {
                rows.append(summaryRow("  \(value)", e.buckets[name]![value]!, e.baselines))
            }
        }
        return rows
    }

    /// The detailed rows: overall, then every value of every informative bucket.
    static func detailRows(_ e: Evaluation) -> [[String]] {
        var rows = [header, row("overall", e.overall, e.baselines)]
        for name in informativeBuckets(e) {
            rows.append([name] + Array(repeating: "", count: header.count - 1))
            for value in sortedValues(e.buckets[name]!.keys) {
                var label = "  \(value)"
                if name == "nodes", let range = e.trainingNodes, let v = Int(value), range.contains(v) {
                    label += " (train)"
                }
                rows.append(row(label, e.buckets[name]![value]!, e.baselines))
            }
        }
        return rows
    }

    /// The report printed on stdout: the summary table first, then the detailed tables; no line
    /// passes `textWidth` columns.
    public static func text(_ e: Evaluation) -> String {
        var s = wrap(
            "\(e.file) (\(e.format.rawValue), \(fieldNote(e))): \(e.overall.n) scored, \(e.missing) missing, "
                + "\(e.unknownCount) unknown ids, \(e.duplicates.count) duplicates, \(e.overall.invalid) invalid answers"
        )
        s += "precision \(pct(e.overall.precision)), recall \(pct(e.overall.recall)) (Yes is positive)\n"
        s += wrap("baselines on the same gold: \(e.baselines.sourceDescription)")
        s += wrap(verdict(e) + " (vs probe: beats/below when McNemar p < 0.05, else n.s.)") + "\n"
        s += align(summaryRows(e)) + "\n"
        let rows = detailRows(e)
        s += wrap("details: the model per bucket, with its 95% Wilson interval and F1 (Yes positive)")
        s += align(rows.map { r in modelColumns.map { r[$0] } }) + "\n"
        s += wrap(
            "shortcut baselines on the same records: the best single cue rule, the linear probe (probe), "
                + "the interaction probe (int probe) and the majority label"
        )
        s += align(rows.map { r in baselineColumns.map { r[$0] } })
        if !e.invalidExamples.isEmpty {
            s += "\n" + wrap("invalid answers, e.g.: " + e.invalidExamples.joined(separator: "; "))
        }
        return s
    }

    public static func comparison(_ c: Comparison, _ a: Evaluation, _ b: Evaluation) -> String {
        let n = c.both + c.onlyFirst + c.onlySecond + c.neither
        return wrap("compare \(a.file) vs \(b.file) on \(n) shared gold records")
            + "  both right \(c.both), only first \(c.onlyFirst), only second \(c.onlySecond), both wrong \(c.neither)\n"
            + "  accuracy \(pct(a.overall.accuracy)) vs \(pct(b.overall.accuracy)); "
            + "McNemar exact p = \(String(format: "%.4g", c.pValue))\n\n"
    }

    /// What `axiomc eval` prints for scored files: the report on stdout (text or JSON, then the
    /// comparison), or, when any file has a problem (see `Evaluation.problems`), only the
    /// problems, as `file: error: …` lines for stderr: never a report beside an error.
    public static func output(
        _ evaluations: [Evaluation],
        comparison: Comparison?,
        json asJSON: Bool,
        allowMissing: Bool
    ) -> (stdout: Data, problems: [String]) {
        let problems = evaluations.flatMap { e in
            e.problems(allowMissing: allowMissing).map { UserErrorLine.located(file: e.file, $0) }
        }
        guard problems.isEmpty else { return (Data(), problems) }
        if asJSON { return (json(evaluations, comparison: comparison), []) }
        var s = evaluations.map { text($0) + "\n" }.joined()
        if let c = comparison, evaluations.count == 2 { s += Report.comparison(c, evaluations[0], evaluations[1]) }
        return (Data(s.utf8), [])
    }

    /// One tally in the JSON summary: the model's numbers and every baseline's.
    static func jsonTally(_ t: Tally, _ b: Baselines) -> JSONValue {
        func number(_ d: Double?) -> JSONValue { d.map { .number($0) } ?? .null }
        let ci = t.interval
        var out: [String: JSONValue] = [
            "n": JSONValue(t.n), "correct": JSONValue(t.correct), "accuracy": JSONValue(t.accuracy),
            "ci95": [JSONValue(ci.low), JSONValue(ci.high)], "precision": JSONValue(t.precision),
            "recall": JSONValue(t.recall), "f1": JSONValue(t.f1), "invalid": JSONValue(t.invalid),
        ]
        out["majority"] = number(b.accuracy(Baselines.majority, in: t))
        out["probe"] = number(b.accuracy(Baselines.probe, in: t))
        out["interaction_probe"] = number(b.accuracy(Baselines.interactions, in: t))
        out["text_probe"] = number(b.accuracy(Baselines.text, in: t))
        var cues: [String: JSONValue] = [:]
        for k in Baselines.firstCue..<b.names.count {
            if let a = b.accuracy(k, in: t) { cues[b.names[k]] = JSONValue(a) }
        }
        out["cues"] = .sortedObject(cues)
        out["best_cue"] = JSONValue(b.bestCue(in: t)) {
            [
                "cue": JSONValue(b.names[$0.index]), "rule": JSONValue(b.rule($0.index)),
                "accuracy": JSONValue($0.accuracy), "n": JSONValue($0.n),
            ]
        }
        if let v = b.versusProbe(t) {
            out["vs_probe"] = JSONValue(v.difference)
            out["vs_probe_p"] = JSONValue(v.p)
            out["beats_probe"] = JSONValue(v.verdict == .beats)
        } else {
            out["beats_probe"] = .null
        }
        return .sortedObject(out)
    }

    /// A machine-readable summary (keys sorted, two-space indent).
    public static func json(_ evaluations: [Evaluation], comparison: Comparison?) -> Data {
        var files: [JSONValue] = []
        for e in evaluations {
            var buckets: [String: JSONValue] = [:]
            for (name, values) in e.buckets {
                buckets[name] = .sortedObject(values.mapValues { jsonTally($0, e.baselines) })
            }
            let b = e.baselines
            var source: [String: JSONValue] = [
                "description": JSONValue(b.sourceDescription),
                "majority_label": JSONValue(b.majorityYes ? "Yes" : "No"),
            ]
            switch b.source {
            case let .training(splits, records):
                source["fit_on"] = "training"
                source["splits"] = .array(splits.map { .string($0) })
                source["records"] = JSONValue(records)
            case let .gold(records, reason):
                source["fit_on"] = "gold"
                source["records"] = JSONValue(records)
                source["reason"] = JSONValue(reason)
            case .none:
                source["fit_on"] = .null
            }
            source["cue_rules"] = .sortedObject(
                Dictionary(
                    uniqueKeysWithValues: (Baselines.firstCue..<b.names.count).map {
                        (b.names[$0], JSONValue(b.rule($0)))
                    }
                )
            )
            files.append(
                .sortedObject([
                    "file": JSONValue(e.file), "format": JSONValue(e.format.rawValue),
                    "overall": jsonTally(e.overall, b),
                    "prediction_field": e.predictionField.map { .string($0) } ?? .null,
                    "buckets": .sortedObject(buckets), "missing": JSONValue(e.missing),
                    "unknown": JSONValue(e.unknownCount),
                    "duplicates": JSONValue(e.duplicates.count), "wrong_gold": .array(e.wrongGold.map { .string($0) }),
                    "baselines": .sortedObject(source), "verdict": JSONValue(verdict(e)),
                ])
            )
        }
        var root: [String: JSONValue] = ["evaluations": .array(files)]
        if let c = comparison {
            root["comparison"] = [
                "only_first": JSONValue(c.onlyFirst), "only_second": JSONValue(c.onlySecond), "both": JSONValue(c.both),
                "neither": JSONValue(c.neither), "mcnemar_p": JSONValue(c.pValue),
            ]
        }
        return Data((JSONValue.sortedObject(root).serialized(pretty: true) + "\n").utf8)
    }
}

extension String {
    /// The string without the spaces at its end.
    fileprivate var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

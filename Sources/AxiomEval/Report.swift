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
        return [
            label, String(t.n), pct(t.accuracy), "[\(pct(ci.low)), \(pct(ci.high))]", pct(t.f1),
            String(format: "%.1f%%", t.invalidRate * 100), best, probe, interactions, versus(t, b),
            b.accuracy(Baselines.majority, in: t).map(pct) ?? "—",
        ]
    }

    /// "+0.031 beats", "-0.020 below", "+0.004 n.s." or "—" (the probe does not answer every record).
    static func versus(_ t: Tally, _ b: Baselines) -> String {
        guard let v = b.versusProbe(t) else { return "—" }
        return String(format: "%+.3f", v.difference) + " " + v.verdict.rawValue
    }

    static var header: [String] {
        ["bucket", "n", "acc", "95% CI", "F1", "invalid", "best cue", "probe", "int probe", "vs probe", "majority"]
    }

    /// The text report's width: prose wraps at it, and its two tables (the model's columns, then
    /// the baselines') fit it for the usual bucket values and cue names.
    static let textWidth = 100
    /// The columns of `header` in the text report's model table and in its baselines table.
    static let modelColumns = [0, 1, 2, 3, 4, 5, 9]
    static let baselineColumns = [0, 6, 7, 8, 10]

    /// `text` broken at spaces into lines of at most `width` characters (a longer word stays
    /// whole), continuation lines indented by two spaces.
    static func wrap(_ text: String, width: Int = textWidth) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = "  " + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
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

    static func align(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == 0
                    ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The aligned table printed on stdout.
    public static func text(_ e: Evaluation) -> String {
        var s = wrap(
            "\(e.file) (\(e.format.rawValue)): \(e.overall.n) scored, \(e.missing) missing, \(e.unknownCount) unknown ids, "
                + "\(e.duplicates.count) duplicates, \(e.overall.invalid) invalid answers"
        )
        s += "precision \(pct(e.overall.precision)), recall \(pct(e.overall.recall)) (Yes is positive)\n"
        s += wrap("baselines on the same gold: \(e.baselines.sourceDescription)")
        s += wrap(verdict(e) + " (vs probe: beats/below when McNemar p < 0.05, else n.s.)") + "\n"
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
        """
        compare \(a.file) vs \(b.file) on \(c.both + c.onlyFirst + c.onlySecond + c.neither) shared gold records
          both right \(c.both), only first \(c.onlyFirst), only second \(c.onlySecond), both wrong \(c.neither)
          accuracy \(pct(a.overall.accuracy)) vs \(pct(b.overall.accuracy)); McNemar exact p = \(String(format: "%.4g", c.pValue))

        """
    }

    /// A machine-readable summary (keys sorted, two-space indent).
    public static func json(_ evaluations: [Evaluation], comparison: Comparison?) -> Data {
        func number(_ d: Double?) -> JSONValue { d.map { .number($0) } ?? .null }
        func tally(_ t: Tally, _ b: Baselines) -> JSONValue {
            let ci = t.interval
            var out: [String: JSONValue] = [
                "n": JSONValue(t.n), "correct": JSONValue(t.correct), "accuracy": JSONValue(t.accuracy),
                "ci95": [JSONValue(ci.low), JSONValue(ci.high)], "precision": JSONValue(t.precision),
                "recall": JSONValue(t.recall), "f1": JSONValue(t.f1), "invalid": JSONValue(t.invalid),
            ]
            out["majority"] = number(b.accuracy(Baselines.majority, in: t))
            out["probe"] = number(b.accuracy(Baselines.probe, in: t))
            out["interaction_probe"] = number(b.accuracy(Baselines.interactions, in: t))
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
        var files: [JSONValue] = []
        for e in evaluations {
            var buckets: [String: JSONValue] = [:]
            for (name, values) in e.buckets {
                buckets[name] = .sortedObject(values.mapValues { tally($0, e.baselines) })
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
                    "file": JSONValue(e.file), "format": JSONValue(e.format.rawValue), "overall": tally(e.overall, b),
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

    // MARK: - Files

    /// Writes `report.md`, `generalization.svg`, `families.svg` and `index.html` into `directory`.
    public static func write(_ e: Evaluation, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let curve = generalizationSVG(e)
        let bars = bucketSVG(e, bucket: "family", title: "Accuracy by graph family")
        try curve.write(toFile: directory + "/generalization.svg", atomically: true, encoding: .utf8)
        try bars.write(toFile: directory + "/families.svg", atomically: true, encoding: .utf8)
        try markdown(e).write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        try html(e).write(toFile: directory + "/index.html", atomically: true, encoding: .utf8)
    }

    static func markdown(_ e: Evaluation) -> String {
        var s = "# axiomc evaluation: \(e.file)\n\n"
        s +=
            "\(e.overall.n) predictions scored (\(e.format.rawValue)); \(e.missing) missing, \(e.overall.invalid) invalid. "
        s +=
            "Accuracy \(pct(e.overall.accuracy)) (95% Wilson CI \(pct(e.overall.interval.low))–\(pct(e.overall.interval.high))), "
        s += "F1 \(pct(e.overall.f1)) with Yes as positive.\n\n" + verdict(e) + "\n\n"
        s += "![generalization](generalization.svg)\n\n![families](families.svg)\n\n"
        var rows = [header, row("overall", e.overall, e.baselines)]
        for name in informativeBuckets(e) {
            for value in sortedValues(e.buckets[name]!.keys) {
                rows.append(row("\(name) = \(value)", e.buckets[name]![value]!, e.baselines))
            }
        }
        s +=
            "| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---" }.joined(separator: "|")
            + "|\n"
        for r in rows.dropFirst() { s += "| " + r.joined(separator: " | ") + " |\n" }
        s += "\nBaseline columns, on the same gold: the best single cue rule (\"Yes iff cue\" or \"Yes iff not cue\"), "
        s += "a logistic-regression probe over every cue, an interaction probe (int probe) over every cue and every "
        s += "product of two cues, the model against the linear probe (beats/below: McNemar p < 0.05, "
        s +=
            "else n.s.), and the global majority label. \(e.baselines.sourceDescription.prefix(1).uppercased() + e.baselines.sourceDescription.dropFirst()).\n"
        return s
    }

    static func html(_ e: Evaluation) -> String {
        let md = markdown(e)
        var body = ""
        var inTable = false
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                if line.hasPrefix("|---") { continue }
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                let tag = inTable ? "td" : "th"
                if !inTable {
                    body += "<table>\n"
                    inTable = true
                }
                body += "<tr>" + cells.map { "<\(tag)>\(escape($0))</\(tag)>" }.joined() + "</tr>\n"
                continue
            }
            if inTable {
                body += "</table>\n"
                inTable = false
            }
            if line.hasPrefix("# ") {
                body += "<h1>\(escape(String(line.dropFirst(2))))</h1>\n"
            } else if line.hasPrefix("![") {
                body += "<img src=\"\(line.split(separator: "(")[1].dropLast())\" alt=\"plot\">\n"
            } else if !line.isEmpty {
                body += "<p>\(escape(String(line)))</p>\n"
            }
        }
        if inTable { body += "</table>\n" }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>axiomc evaluation</title>
            <style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            td:first-child,th:first-child{text-align:left}img{max-width:100%;margin:1em 0}</style></head>
            <body>
            \(body)</body></html>

            """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">",
            with: "&gt;"
        )
    }

    /// Accuracy against node count with 95% intervals, the best cue, both probes and the majority
    /// per node count, and the training range shaded.
    static func generalizationSVG(_ e: Evaluation) -> String {
        let width = 720.0
        let height = 360.0
        let left = 60.0
        let right = 20.0
        let top = 40.0
        let bottom = 50.0
        let points = (e.buckets["nodes"] ?? [:]).compactMap { k, v in Int(k).map { ($0, v) } }.sorted { $0.0 < $1.0 }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s +=
            "<text x=\"\(width / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">Accuracy by number of nodes</text>\n"
        guard let first = points.first, let last = points.last else {
            return s + "<text x=\"60\" y=\"80\">no node buckets</text></svg>\n"
        }
        // Half a node of margin on each side, so end points and the training band stay inside.
        let lo = Double(min(first.0, e.trainingNodes?.lowerBound ?? first.0)) - 0.5
        let hi = Double(max(last.0, e.trainingNodes?.upperBound ?? last.0)) + 0.5
        let span = max(1, hi - lo)
        func x(_ v: Double) -> Double { left + (v - lo) / span * (width - left - right) }
        func y(_ a: Double) -> Double { top + (1 - a) * (height - top - bottom) }
        if let r = e.trainingNodes {
            s +=
                "<rect x=\"\(x(Double(r.lowerBound) - 0.5))\" y=\"\(top)\" width=\"\(x(Double(r.upperBound) + 0.5) - x(Double(r.lowerBound) - 0.5))\" height=\"\(height - top - bottom)\" fill=\"#e8f0fe\"/>\n"
            s +=
                "<text x=\"\(x(Double(r.lowerBound) - 0.5) + 4)\" y=\"\(top + 14)\" fill=\"#3060b0\">training sizes</text>\n"
        }
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            s += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#ddd\"/>"
            s +=
                "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(String(format: "%.2f", tick))</text>\n"
        }
        for (n, _) in points {
            s += "<text x=\"\(x(Double(n)))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(n)</text>\n"
        }
        s += "<text x=\"\(width / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">nodes</text>\n"
        s +=
            "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(0.5))\" y2=\"\(y(0.5))\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n"
        let b = e.baselines
        let cue = points.compactMap { n, t in b.bestCue(in: t).map { (n, $0.accuracy) } }
        if !cue.isEmpty {
            s += "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-dasharray=\"6,4\" stroke-width=\"2\" points=\""
            s += cue.map { "\(x(Double($0.0))),\(y($0.1))" }.joined(separator: " ") + "\"/>\n"
        }
        let probe = points.compactMap { n, t in b.accuracy(Baselines.probe, in: t).map { (n, $0) } }
        if !probe.isEmpty {
            s += "<polyline class=\"probe\" fill=\"none\" stroke=\"#e67e22\" stroke-width=\"2\" points=\""
            s += probe.map { "\(x(Double($0.0))),\(y($0.1))" }.joined(separator: " ") + "\"/>\n"
            for (n, a) in probe {
                s +=
                    "<circle cx=\"\(x(Double(n)))\" cy=\"\(y(a))\" r=\"2.5\" fill=\"#e67e22\"><title>\(n) nodes: probe \(pct(a))</title></circle>\n"
            }
        }
        let interactions = points.compactMap { n, t in b.accuracy(Baselines.interactions, in: t).map { (n, $0) } }
        if !interactions.isEmpty {
            s += "<polyline class=\"interactions\" fill=\"none\" stroke=\"#8e44ad\" stroke-dasharray=\"4,2\" "
            s += "stroke-width=\"2\" points=\""
            s += interactions.map { "\(x(Double($0.0))),\(y($0.1))" }.joined(separator: " ") + "\"/>\n"
            for (n, a) in interactions {
                s += "<circle cx=\"\(x(Double(n)))\" cy=\"\(y(a))\" r=\"2.5\" fill=\"#8e44ad\">"
                s += "<title>\(n) nodes: interaction probe \(pct(a))</title></circle>\n"
            }
        }
        let majority = points.compactMap { n, t in b.accuracy(Baselines.majority, in: t).map { (n, $0) } }
        s += "<polyline fill=\"none\" stroke=\"#7f8c8d\" stroke-dasharray=\"2,2\" stroke-width=\"1.5\" points=\""
        s += majority.map { "\(x(Double($0.0))),\(y($0.1))" }.joined(separator: " ") + "\"/>\n"
        s += "<polyline fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"2.5\" points=\""
        s += points.map { "\(x(Double($0.0))),\(y($0.1.accuracy))" }.joined(separator: " ") + "\"/>\n"
        for (n, t) in points {
            let ci = t.interval
            s +=
                "<line x1=\"\(x(Double(n)))\" x2=\"\(x(Double(n)))\" y1=\"\(y(ci.low))\" y2=\"\(y(ci.high))\" stroke=\"#1f4e9c\"/>"
            s +=
                "<circle cx=\"\(x(Double(n)))\" cy=\"\(y(t.accuracy))\" r=\"3.5\" fill=\"#1f4e9c\"><title>\(n) nodes: \(pct(t.accuracy)) (n=\(t.n))</title></circle>\n"
        }
        s +=
            "<line x1=\"\(width - 230)\" x2=\"\(width - 200)\" y1=\"\(top + 10)\" y2=\"\(top + 10)\" stroke=\"#1f4e9c\" stroke-width=\"2.5\"/><text x=\"\(width - 195)\" y=\"\(top + 14)\">model (95% CI)</text>\n"
        s +=
            "<line x1=\"\(width - 230)\" x2=\"\(width - 200)\" y1=\"\(top + 28)\" y2=\"\(top + 28)\" stroke=\"#c0392b\" stroke-dasharray=\"6,4\" stroke-width=\"2\"/><text x=\"\(width - 195)\" y=\"\(top + 32)\">best single cue</text>\n"
        s +=
            "<line x1=\"\(width - 230)\" x2=\"\(width - 200)\" y1=\"\(top + 46)\" y2=\"\(top + 46)\" stroke=\"#e67e22\" stroke-width=\"2\"/><text x=\"\(width - 195)\" y=\"\(top + 50)\">cue probe</text>\n"
        s +=
            "<line x1=\"\(width - 230)\" x2=\"\(width - 200)\" y1=\"\(top + 64)\" y2=\"\(top + 64)\" stroke=\"#8e44ad\" stroke-dasharray=\"4,2\" stroke-width=\"2\"/><text x=\"\(width - 195)\" y=\"\(top + 68)\">interaction probe</text>\n"
        s +=
            "<line x1=\"\(width - 230)\" x2=\"\(width - 200)\" y1=\"\(top + 82)\" y2=\"\(top + 82)\" stroke=\"#7f8c8d\" stroke-dasharray=\"2,2\" stroke-width=\"1.5\"/><text x=\"\(width - 195)\" y=\"\(top + 86)\">majority label</text>\n"
        return s + "</svg>\n"
    }

    /// Bars of accuracy per value of one bucket, with 95% intervals, the best cue and both probes marked.
    static func bucketSVG(_ e: Evaluation, bucket: String, title: String) -> String {
        let values = sortedValues((e.buckets[bucket] ?? [:]).keys)
        let width = 720.0
        let height = 320.0
        let left = 60.0
        let top = 40.0
        let bottom = 60.0
        func y(_ a: Double) -> Double { top + (1 - a) * (height - top - bottom) }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(width / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            s += "<line x1=\"\(left)\" x2=\"\(width - 20)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#ddd\"/>"
            s +=
                "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(String(format: "%.2f", tick))</text>\n"
        }
        let slot = (width - left - 20) / Double(max(1, values.count))
        for (i, v) in values.enumerated() {
            let t = e.buckets[bucket]![v]!
            let cx = left + slot * (Double(i) + 0.5)
            let w = min(60, slot * 0.6)
            s +=
                "<rect x=\"\(cx - w / 2)\" y=\"\(y(t.accuracy))\" width=\"\(w)\" height=\"\(y(0) - y(t.accuracy))\" fill=\"#1f4e9c\"><title>\(escape(v)): \(pct(t.accuracy)) (n=\(t.n))</title></rect>\n"
            let ci = t.interval
            s += "<line x1=\"\(cx)\" x2=\"\(cx)\" y1=\"\(y(ci.low))\" y2=\"\(y(ci.high))\" stroke=\"black\"/>\n"
            if let best = e.baselines.bestCue(in: t)?.accuracy {
                s +=
                    "<line x1=\"\(cx - w / 2 - 6)\" x2=\"\(cx + w / 2 + 6)\" y1=\"\(y(best))\" y2=\"\(y(best))\" stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"4,3\"/>\n"
            }
            if let probe = e.baselines.accuracy(Baselines.probe, in: t) {
                s +=
                    "<line class=\"probe\" x1=\"\(cx - w / 2 - 6)\" x2=\"\(cx + w / 2 + 6)\" y1=\"\(y(probe))\" y2=\"\(y(probe))\" stroke=\"#e67e22\" stroke-width=\"2.5\"><title>\(escape(v)): probe \(pct(probe))</title></line>\n"
            }
            if let interactions = e.baselines.accuracy(Baselines.interactions, in: t) {
                s += "<line class=\"interactions\" x1=\"\(cx - w / 2 - 6)\" x2=\"\(cx + w / 2 + 6)\" "
                s += "y1=\"\(y(interactions))\" y2=\"\(y(interactions))\" stroke=\"#8e44ad\" stroke-width=\"2\" "
                s +=
                    "stroke-dasharray=\"4,2\"><title>\(escape(v)): interaction probe \(pct(interactions))</title></line>\n"
            }
            s += "<text x=\"\(cx)\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(escape(v))</text>\n"
        }
        s +=
            "<text x=\"\(width - 20)\" y=\"\(height - 12)\" text-anchor=\"end\" fill=\"#c0392b\">dashed red: best single cue; solid orange: cue probe; dashed purple: interaction probe</text>\n"
        return s + "</svg>\n"
    }
}

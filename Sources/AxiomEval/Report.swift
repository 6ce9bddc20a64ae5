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

    static func row(_ label: String, _ t: Tally) -> [String] {
        let ci = t.interval
        return [label, String(t.n), pct(t.accuracy), "[\(pct(ci.low)), \(pct(ci.high))]", pct(t.f1),
                String(format: "%.1f%%", t.invalidRate * 100)] + Baseline.allCases.map { pct(t.shortcutAccuracy($0)) }
    }

    static var header: [String] { ["bucket", "n", "acc", "95% CI", "F1", "invalid"] + Baseline.allCases.map(\.name) }

    static func align(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The aligned table printed on stdout.
    public static func text(_ e: Evaluation) -> String {
        var s = "\(e.file) (\(e.format.rawValue)): \(e.overall.n) scored, \(e.missing) missing, \(e.unknownCount) unknown ids, "
        s += "\(e.duplicates.count) duplicates, \(e.overall.invalid) invalid answers\n"
        s += "precision \(pct(e.overall.precision)), recall \(pct(e.overall.recall)) (Yes is positive); shortcut columns score the same gold\n\n"
        var rows = [header, row("overall", e.overall)]
        for name in informativeBuckets(e) {
            rows.append([name] + Array(repeating: "", count: header.count - 1))
            for value in sortedValues(e.buckets[name]!.keys) {
                var label = "  \(value)"
                if name == "nodes", let range = e.trainingNodes, let v = Int(value), range.contains(v) { label += " (train)" }
                rows.append(row(label, e.buckets[name]![value]!))
            }
        }
        s += align(rows)
        if !e.invalidExamples.isEmpty { s += "\ninvalid answers, e.g.: " + e.invalidExamples.joined(separator: "; ") + "\n" }
        return s
    }

    public static func comparison(_ c: Comparison, _ a: Evaluation, _ b: Evaluation) -> String {
        """
        compare \(a.file) vs \(b.file) on \(c.both + c.onlyFirst + c.onlySecond + c.neither) shared gold records
          both right \(c.both), only first \(c.onlyFirst), only second \(c.onlySecond), both wrong \(c.neither)
          accuracy \(pct(a.overall.accuracy)) vs \(pct(b.overall.accuracy)); McNemar exact p = \(String(format: "%.4g", c.pValue))

        """
    }

    /// A machine-readable summary.
    public static func json(_ evaluations: [Evaluation], comparison: Comparison?) -> Data {
        func tally(_ t: Tally) -> [String: Any] {
            let ci = t.interval
            var shortcuts: [String: Double] = [:]
            for b in Baseline.allCases { shortcuts[b.name] = t.shortcutAccuracy(b) }
            return ["n": t.n, "correct": t.correct, "accuracy": t.accuracy, "ci95": [ci.low, ci.high],
                    "precision": t.precision, "recall": t.recall, "f1": t.f1, "invalid": t.invalid, "shortcuts": shortcuts]
        }
        var files: [[String: Any]] = []
        for e in evaluations {
            var buckets: [String: Any] = [:]
            for (name, values) in e.buckets { buckets[name] = values.mapValues(tally) }
            files.append(["file": e.file, "format": e.format.rawValue, "overall": tally(e.overall), "buckets": buckets,
                          "missing": e.missing, "unknown": e.unknownCount, "duplicates": e.duplicates.count,
                          "wrong_gold": e.wrongGold])
        }
        var root: [String: Any] = ["evaluations": files]
        if let c = comparison {
            root["comparison"] = ["only_first": c.onlyFirst, "only_second": c.onlySecond, "both": c.both,
                                  "neither": c.neither, "mcnemar_p": c.pValue]
        }
        var data = try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted])
        data.append(0x0A)
        return data
    }

    // MARK: - Files

    /// Writes `report.md`, `generalization.svg`, `families.svg` and `index.html` into `directory`.
    public static func write(_ e: Evaluation, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let curve = generalizationSVG(e), bars = bucketSVG(e, bucket: "family", title: "Accuracy by graph family")
        try curve.write(toFile: directory + "/generalization.svg", atomically: true, encoding: .utf8)
        try bars.write(toFile: directory + "/families.svg", atomically: true, encoding: .utf8)
        try markdown(e).write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        try html(e).write(toFile: directory + "/index.html", atomically: true, encoding: .utf8)
    }

    static func markdown(_ e: Evaluation) -> String {
        var s = "# axiomc evaluation: \(e.file)\n\n"
        s += "\(e.overall.n) predictions scored (\(e.format.rawValue)); \(e.missing) missing, \(e.overall.invalid) invalid. "
        s += "Accuracy \(pct(e.overall.accuracy)) (95% Wilson CI \(pct(e.overall.interval.low))–\(pct(e.overall.interval.high))), "
        s += "F1 \(pct(e.overall.f1)) with Yes as positive.\n\n![generalization](generalization.svg)\n\n![families](families.svg)\n\n"
        var rows = [header, row("overall", e.overall)]
        for name in informativeBuckets(e) {
            for value in sortedValues(e.buckets[name]!.keys) { rows.append(row("\(name) = \(value)", e.buckets[name]![value]!)) }
        }
        s += "| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---" }.joined(separator: "|") + "|\n"
        for r in rows.dropFirst() { s += "| " + r.joined(separator: " | ") + " |\n" }
        s += "\nShortcut columns: accuracy of answering by the majority label of the bucket, \"Yes iff x is mentioned before y\", "
        s += "\"Yes iff the edge x → y is stated\", and \"Yes iff x and y are not adjacent\", on the same gold.\n"
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
                if !inTable { body += "<table>\n"; inTable = true }
                body += "<tr>" + cells.map { "<\(tag)>\(escape($0))</\(tag)>" }.joined() + "</tr>\n"
                continue
            }
            if inTable { body += "</table>\n"; inTable = false }
            if line.hasPrefix("# ") { body += "<h1>\(escape(String(line.dropFirst(2))))</h1>\n" }
            else if line.hasPrefix("![") { body += "<img src=\"\(line.split(separator: "(")[1].dropLast())\" alt=\"plot\">\n" }
            else if !line.isEmpty { body += "<p>\(escape(String(line)))</p>\n" }
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
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Accuracy against node count with 95% intervals, the best shortcut per node count, and the
    /// training range shaded.
    static func generalizationSVG(_ e: Evaluation) -> String {
        let width = 720.0, height = 360.0, left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
        let points = (e.buckets["nodes"] ?? [:]).compactMap { k, v in Int(k).map { ($0, v) } }.sorted { $0.0 < $1.0 }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(width / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">Accuracy by number of nodes</text>\n"
        guard let first = points.first, let last = points.last else { return s + "<text x=\"60\" y=\"80\">no node buckets</text></svg>\n" }
        // Half a node of margin on each side, so end points and the training band stay inside.
        let lo = Double(min(first.0, e.trainingNodes?.lowerBound ?? first.0)) - 0.5
        let hi = Double(max(last.0, e.trainingNodes?.upperBound ?? last.0)) + 0.5
        let span = max(1, hi - lo)
        func x(_ v: Double) -> Double { left + (v - lo) / span * (width - left - right) }
        func y(_ a: Double) -> Double { top + (1 - a) * (height - top - bottom) }
        if let r = e.trainingNodes {
            s += "<rect x=\"\(x(Double(r.lowerBound) - 0.5))\" y=\"\(top)\" width=\"\(x(Double(r.upperBound) + 0.5) - x(Double(r.lowerBound) - 0.5))\" height=\"\(height - top - bottom)\" fill=\"#e8f0fe\"/>\n"
            s += "<text x=\"\(x(Double(r.lowerBound) - 0.5) + 4)\" y=\"\(top + 14)\" fill=\"#3060b0\">training sizes</text>\n"
        }
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            s += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(String(format: "%.2f", tick))</text>\n"
        }
        for (n, _) in points {
            s += "<text x=\"\(x(Double(n)))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(n)</text>\n"
        }
        s += "<text x=\"\(width / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">nodes</text>\n"
        s += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(0.5))\" y2=\"\(y(0.5))\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n"
        let shortcut = points.map { n, t in (n, Baseline.allCases.map { t.shortcutAccuracy($0) }.max() ?? 0) }
        s += "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-dasharray=\"6,4\" stroke-width=\"2\" points=\""
        s += shortcut.map { "\(x(Double($0.0))),\(y($0.1))" }.joined(separator: " ") + "\"/>\n"
        s += "<polyline fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"2.5\" points=\""
        s += points.map { "\(x(Double($0.0))),\(y($0.1.accuracy))" }.joined(separator: " ") + "\"/>\n"
        for (n, t) in points {
            let ci = t.interval
            s += "<line x1=\"\(x(Double(n)))\" x2=\"\(x(Double(n)))\" y1=\"\(y(ci.low))\" y2=\"\(y(ci.high))\" stroke=\"#1f4e9c\"/>"
            s += "<circle cx=\"\(x(Double(n)))\" cy=\"\(y(t.accuracy))\" r=\"3.5\" fill=\"#1f4e9c\"><title>\(n) nodes: \(pct(t.accuracy)) (n=\(t.n))</title></circle>\n"
        }
        s += "<line x1=\"\(width - 230)\" x2=\"\(width - 200)\" y1=\"\(top + 10)\" y2=\"\(top + 10)\" stroke=\"#1f4e9c\" stroke-width=\"2.5\"/><text x=\"\(width - 195)\" y=\"\(top + 14)\">model (95% CI)</text>\n"
        s += "<line x1=\"\(width - 230)\" x2=\"\(width - 200)\" y1=\"\(top + 28)\" y2=\"\(top + 28)\" stroke=\"#c0392b\" stroke-dasharray=\"6,4\" stroke-width=\"2\"/><text x=\"\(width - 195)\" y=\"\(top + 32)\">best shortcut</text>\n"
        return s + "</svg>\n"
    }

    /// Bars of accuracy per value of one bucket, with 95% intervals and the best shortcut marked.
    static func bucketSVG(_ e: Evaluation, bucket: String, title: String) -> String {
        let values = sortedValues((e.buckets[bucket] ?? [:]).keys)
        let width = 720.0, height = 320.0, left = 60.0, top = 40.0, bottom = 60.0
        func y(_ a: Double) -> Double { top + (1 - a) * (height - top - bottom) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(width / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            s += "<line x1=\"\(left)\" x2=\"\(width - 20)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(String(format: "%.2f", tick))</text>\n"
        }
        let slot = (width - left - 20) / Double(max(1, values.count))
        for (i, v) in values.enumerated() {
            let t = e.buckets[bucket]![v]!
            let cx = left + slot * (Double(i) + 0.5), w = min(60, slot * 0.6)
            s += "<rect x=\"\(cx - w / 2)\" y=\"\(y(t.accuracy))\" width=\"\(w)\" height=\"\(y(0) - y(t.accuracy))\" fill=\"#1f4e9c\"><title>\(escape(v)): \(pct(t.accuracy)) (n=\(t.n))</title></rect>\n"
            let ci = t.interval
            s += "<line x1=\"\(cx)\" x2=\"\(cx)\" y1=\"\(y(ci.low))\" y2=\"\(y(ci.high))\" stroke=\"black\"/>\n"
            let best = Baseline.allCases.map { t.shortcutAccuracy($0) }.max() ?? 0
            s += "<line x1=\"\(cx - w / 2 - 6)\" x2=\"\(cx + w / 2 + 6)\" y1=\"\(y(best))\" y2=\"\(y(best))\" stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"4,3\"/>\n"
            s += "<text x=\"\(cx)\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(escape(v))</text>\n"
        }
        s += "<text x=\"\(width - 20)\" y=\"\(height - 12)\" text-anchor=\"end\" fill=\"#c0392b\">dashed: best shortcut baseline</text>\n"
        return s + "</svg>\n"
    }
}

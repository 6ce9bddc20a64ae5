import Foundation

/// The report directory: Markdown, HTML and the SVG plots.
extension Report {
    /// The files of a report directory, rendered in memory: name → contents.
    static func files(_ e: Evaluation) -> [(name: String, contents: String)] {
        [
            ("generalization.svg", generalizationSVG(e)),
            ("tasks.svg", bucketSVG(e, bucket: "axiom", title: "Accuracy by task")),
            ("families.svg", bucketSVG(e, bucket: "family", title: "Accuracy by graph family")),
            ("report.md", markdown(e)),
            ("index.html", html(e)),
        ]
    }

    /// Writes `report.md`, `generalization.svg` (accuracy per number of nodes), `tasks.svg`
    /// (per task), `families.svg` (per graph family) and `index.html` into `directory`; every file
    /// is rendered before the first is written.
    public static func write(_ e: Evaluation, to directory: String) throws {
        let rendered = files(e)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, contents) in rendered {
            try contents.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    static func markdownTable(_ rows: [[String]]) -> String {
        var s = "| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---" }.joined(separator: "|")
        s += "|\n"
        for r in rows.dropFirst() { s += "| " + r.joined(separator: " | ") + " |\n" }
        return s
    }

    static func markdown(_ e: Evaluation) -> String {
        var s = "# axiomc evaluation: \(e.file)\n\n"
        s += "\(e.overall.n) predictions scored (\(e.format.rawValue), \(fieldNote(e))); "
        s += "\(e.missing) missing, \(e.overall.invalid) invalid. "
        s += "Accuracy \(pct(e.overall.accuracy)) "
        s += "(95% Wilson CI \(pct(e.overall.interval.low))–\(pct(e.overall.interval.high))), "
        s += "F1 \(pct(e.overall.f1)) with Yes as positive.\n\n" + verdict(e) + "\n\n## Summary\n\n"
        var summary = [summaryHeader, summaryRow("overall", e.overall, e.baselines)]
        for (name, title) in [("split", "split"), ("axiom", "task")] where (e.buckets[name]?.count ?? 0) > 1 {
            for value in sortedValues(e.buckets[name]!.keys) {
                summary.append(summaryRow("\(title) = \(value)", e.buckets[name]![value]!, e.baselines))
            }
        }
        s += markdownTable(summary) + "\n"
        s += "![accuracy by number of nodes](generalization.svg) ![accuracy by task](tasks.svg)\n\n"
        s += "![accuracy by graph family](families.svg)\n\n## Details\n\n"
        var rows = [header, row("overall", e.overall, e.baselines)]
        for name in informativeBuckets(e) {
            for value in sortedValues(e.buckets[name]!.keys) {
                rows.append(row("\(name) = \(value)", e.buckets[name]![value]!, e.baselines))
            }
        }
        s += markdownTable(rows)
        s += "\nBaseline columns, on the same gold: the best single cue rule (\"Yes iff cue\" or \"Yes iff not cue\"), "
        s += "a logistic-regression probe over every cue, an interaction probe (int probe) over every cue and every "
        s += "product of two cues, the model against the linear probe (beats/below: McNemar p < 0.05, "
        let source = e.baselines.sourceDescription
        s += "else n.s.), and the global majority label. \(source.prefix(1).uppercased() + source.dropFirst()).\n"
        return s
    }

    /// `![alt](file)` images of one Markdown line, side by side.
    static func images(_ line: Substring) -> String {
        var out = "<div class=\"plots\">"
        for part in line.split(separator: " ![", omittingEmptySubsequences: true) {
            guard let open = part.firstIndex(of: "("), let close = part.lastIndex(of: ")") else { continue }
            let alt = part.prefix(while: { $0 != "]" }).drop(while: { $0 == "!" || $0 == "[" })
            let src = part[part.index(after: open)..<close]
            out += "<img src=\"\(escape(String(src)))\" alt=\"\(escape(String(alt)))\">"
        }
        return out + "</div>\n"
    }

    static func html(_ e: Evaluation) -> String {
        var body = ""
        var inTable = false
        for line in markdown(e).split(separator: "\n", omittingEmptySubsequences: false) {
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
            } else if line.hasPrefix("## ") {
                body += "<h2>\(escape(String(line.dropFirst(3))))</h2>\n"
            } else if line.hasPrefix("![") {
                body += images(line)
            } else if !line.isEmpty {
                body += "<p>\(escape(String(line)))</p>\n"
            }
        }
        if inTable { body += "</table>\n" }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>axiomc evaluation</title>
            <style>body{font-family:sans-serif;max-width:1500px;margin:2em auto;color:#222}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            td:first-child,th:first-child{text-align:left}img{max-width:100%;margin:1em 0}
            .plots{display:flex;gap:1em;align-items:flex-start}.plots img{min-width:0;height:auto}</style></head>
            <body>
            \(body)</body></html>

            """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

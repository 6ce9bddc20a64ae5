import Foundation

/// The report's SVG plots: self-contained (no scripts, fonts or links) and deterministic (the
/// same evaluation gives the same bytes). Every plot keeps its legend to the right of the plot
/// area, and thins or cuts its axis labels so that none overlaps another.
extension Report {
    /// The estimated width of `text` at `fontSize`: 0.6 em per character, more than the usual
    /// sans-serif fonts need.
    static func estimatedWidth(_ text: String, fontSize: Double = 12) -> Double {
        Double(text.count) * 0.6 * fontSize
    }

    /// A coordinate with one decimal.
    static func num(_ x: Double) -> String { String(format: "%.1f", x) }

    /// The geometry of one plot: the plot area, and the legend to its right.
    struct Frame {
        var plotWidth: Double
        var height: Double
        var legendWidth: Double
        let left = 60.0
        let top = 44.0
        let bottom = 56.0
        var plotRight: Double { left + plotWidth }
        var plotBottom: Double { height - bottom }
        var legendX: Double { plotRight + 24 }
        var width: Double { legendX + legendWidth + 12 }
        func y(_ accuracy: Double) -> Double { top + (1 - accuracy) * (plotBottom - top) }
    }

    /// One legend entry: an SVG swatch drawn in a 30 × 12 box at (x, y), and its label.
    struct LegendEntry {
        var label: String
        var swatch: (_ x: Double, _ y: Double) -> String

        static func line(_ label: String, color: String, width: Double = 2, dash: String? = nil) -> LegendEntry {
            LegendEntry(label: label) { x, y in
                "<line x1=\"\(num(x))\" x2=\"\(num(x + 30))\" y1=\"\(num(y + 6))\" y2=\"\(num(y + 6))\" stroke=\"\(color)\" "
                    + "stroke-width=\"\(width)\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
            }
        }

        static func box(_ label: String, color: String) -> LegendEntry {
            LegendEntry(label: label) { x, y in
                "<rect x=\"\(num(x + 5))\" y=\"\(num(y))\" width=\"20\" height=\"12\" fill=\"\(color)\"/>"
            }
        }
    }

    /// The width a legend of `entries` needs.
    static func legendWidth(_ entries: [LegendEntry]) -> Double {
        52 + (entries.map { estimatedWidth($0.label) }.max() ?? 0)
    }

    /// The legend, framed, right of the plot area.
    static func legend(_ entries: [LegendEntry], frame f: Frame) -> String {
        let height = 12 + 20 * Double(entries.count)
        var s = "<g class=\"legend\">\n<rect class=\"legend-box\" x=\"\(num(f.legendX))\" y=\"\(num(f.top))\" "
        s += "width=\"\(num(f.legendWidth))\" height=\"\(num(height))\" fill=\"white\" stroke=\"#bbb\"/>\n"
        for (i, entry) in entries.enumerated() {
            let y = f.top + 8 + 20 * Double(i)
            s += entry.swatch(f.legendX + 8, y)
            s += "<text x=\"\(num(f.legendX + 44))\" y=\"\(num(y + 10))\">\(escape(entry.label))</text>\n"
        }
        return s + "</g>\n"
    }

    /// The opening of a plot: white page, title, the framed plot area and its accuracy grid.
    static func plotStart(_ f: Frame, title: String) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(f.width))\" height=\"\(Int(f.height))\" "
        s += "viewBox=\"0 0 \(Int(f.width)) \(Int(f.height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s +=
            "<text x=\"\(num(f.width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>\n"
        s += "<rect class=\"plot-area\" x=\"\(num(f.left))\" y=\"\(num(f.top))\" width=\"\(num(f.plotWidth))\" "
        s += "height=\"\(num(f.plotBottom - f.top))\" fill=\"none\" stroke=\"#ccc\"/>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            s += "<line x1=\"\(num(f.left))\" x2=\"\(num(f.plotRight))\" y1=\"\(num(f.y(tick)))\" "
            s += "y2=\"\(num(f.y(tick)))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(num(f.left - 8))\" y=\"\(num(f.y(tick) + 4))\" text-anchor=\"end\">"
            s += String(format: "%.2f", tick) + "</text>\n"
        }
        return s
    }

    /// The step between labelled x ticks (1, 2, 5, 10, 20, 25, 50, …) whose labels, `labelWidth`
    /// wide, are at least `gap` apart when one unit is `unit` pixels.
    static func tickStep(unit: Double, labelWidth: Double, gap: Double = 8) -> Int {
        var scale = 1
        while true {
            for m in [1, 2, 5] where Double(m * scale) * unit >= labelWidth + gap { return m * scale }
            if Double(25 * scale) * unit >= labelWidth + gap { return 25 * scale }
            scale *= 10
        }
    }

    /// A polyline through `points` (node count, accuracy).
    static func polyline(
        _ points: [(Int, Double)],
        x: (Double) -> Double,
        y: (Double) -> Double,
        attributes: String
    ) -> String {
        "<polyline \(attributes) fill=\"none\" points=\""
            + points.map { "\(num(x(Double($0.0)))),\(num(y($0.1)))" }.joined(separator: " ") + "\"/>\n"
    }

    /// Accuracy against node count with 95% intervals, the best cue, both probes and the majority
    /// per node count, and the training range shaded.
    static func generalizationSVG(_ e: Evaluation) -> String {
        let points = (e.buckets["nodes"] ?? [:]).compactMap { k, v in Int(k).map { ($0, v) } }.sorted { $0.0 < $1.0 }
        let b = e.baselines
        let cue = points.compactMap { n, t in b.bestCue(in: t).map { (n, $0.accuracy) } }
        let probe = points.compactMap { n, t in b.accuracy(Baselines.probe, in: t).map { (n, $0) } }
        let interactions = points.compactMap { n, t in b.accuracy(Baselines.interactions, in: t).map { (n, $0) } }
        let majority = points.compactMap { n, t in b.accuracy(Baselines.majority, in: t).map { (n, $0) } }
        var entries = [LegendEntry.line("model (95% CI)", color: "#1f4e9c", width: 2.5)]
        if !cue.isEmpty { entries.append(.line("best single cue", color: "#c0392b", dash: "6,4")) }
        if !probe.isEmpty { entries.append(.line("cue probe", color: "#e67e22")) }
        if !interactions.isEmpty { entries.append(.line("interaction probe", color: "#8e44ad", dash: "4,2")) }
        entries.append(.line("majority label", color: "#7f8c8d", width: 1.5, dash: "2,2"))
        if e.trainingNodes != nil { entries.append(.box("training sizes", color: "#e8f0fe")) }
        let f = Frame(plotWidth: 620, height: 360, legendWidth: legendWidth(entries))
        var s = plotStart(f, title: "Accuracy by number of nodes")
        guard let first = points.first, let last = points.last else {
            return s + "<text x=\"\(num(f.left + 10))\" y=\"\(num(f.top + 30))\">no node buckets</text>\n</svg>\n"
        }
        // Half a node of margin on each side, so end points and the training band stay inside.
        let low = min(first.0, e.trainingNodes?.lowerBound ?? first.0)
        let high = max(last.0, e.trainingNodes?.upperBound ?? last.0)
        let lo = Double(low) - 0.5
        let span = max(1, Double(high) + 0.5 - lo)
        func x(_ v: Double) -> Double { f.left + (v - lo) / span * f.plotWidth }
        if let r = e.trainingNodes {
            let x0 = x(Double(r.lowerBound) - 0.5)
            s += "<rect x=\"\(num(x0))\" y=\"\(num(f.top))\" width=\"\(num(x(Double(r.upperBound) + 0.5) - x0))\" "
            s += "height=\"\(num(f.plotBottom - f.top))\" fill=\"#e8f0fe\"/>\n"
        }
        s += xTicks(low...high, x: x, unit: f.plotWidth / span, frame: f)
        s +=
            "<text x=\"\(num(f.left + f.plotWidth / 2))\" y=\"\(num(f.height - 10))\" text-anchor=\"middle\">nodes</text>\n"
        s += "<line x1=\"\(num(f.left))\" x2=\"\(num(f.plotRight))\" y1=\"\(num(f.y(0.5)))\" y2=\"\(num(f.y(0.5)))\" "
        s += "stroke=\"#999\" stroke-dasharray=\"2,3\"/>\n"
        if !cue.isEmpty {
            s += polyline(
                cue,
                x: x,
                y: f.y,
                attributes: "stroke=\"#c0392b\" stroke-dasharray=\"6,4\" stroke-width=\"2\""
            )
        }
        s += series(probe, "probe", x: x, frame: f, color: "#e67e22", attributes: "stroke-width=\"2\"")
        s += series(
            interactions,
            "interaction probe",
            x: x,
            frame: f,
            color: "#8e44ad",
            attributes: "stroke-dasharray=\"4,2\" stroke-width=\"2\""
        )
        s += polyline(
            majority,
            x: x,
            y: f.y,
            attributes: "stroke=\"#7f8c8d\" stroke-dasharray=\"2,2\" stroke-width=\"1.5\""
        )
        s += polyline(
            points.map { ($0.0, $0.1.accuracy) },
            x: x,
            y: f.y,
            attributes: "stroke=\"#1f4e9c\" stroke-width=\"2.5\""
        )
        for (n, t) in points {
            let ci = t.interval
            s += "<line x1=\"\(num(x(Double(n))))\" x2=\"\(num(x(Double(n))))\" y1=\"\(num(f.y(ci.low)))\" "
            s += "y2=\"\(num(f.y(ci.high)))\" stroke=\"#1f4e9c\"/>"
            s += "<circle cx=\"\(num(x(Double(n))))\" cy=\"\(num(f.y(t.accuracy)))\" r=\"3.5\" fill=\"#1f4e9c\">"
            s += "<title>\(n) nodes: \(pct(t.accuracy)) (n=\(t.n))</title></circle>\n"
        }
        return s + legend(entries, frame: f) + "</svg>\n"
    }

    /// A baseline's line with a dot per node count, each titled with its value.
    static func series(
        _ points: [(Int, Double)],
        _ name: String,
        x: (Double) -> Double,
        frame f: Frame,
        color: String,
        attributes: String
    ) -> String {
        guard !points.isEmpty else { return "" }
        let kind = name == "probe" ? "probe" : "interactions"
        var s = polyline(points, x: x, y: f.y, attributes: "class=\"\(kind)\" stroke=\"\(color)\" \(attributes)")
        for (n, a) in points {
            s += "<circle cx=\"\(num(x(Double(n))))\" cy=\"\(num(f.y(a)))\" r=\"2.5\" fill=\"\(color)\">"
            s += "<title>\(n) nodes: \(name) \(pct(a))</title></circle>\n"
        }
        return s
    }

    /// Tick marks and labels on the x axis for every `step`-th node count, the step chosen so that
    /// no two labels overlap.
    static func xTicks(_ range: ClosedRange<Int>, x: (Double) -> Double, unit: Double, frame f: Frame) -> String {
        let widest = max(estimatedWidth(String(range.lowerBound)), estimatedWidth(String(range.upperBound)))
        let step = tickStep(unit: unit, labelWidth: widest)
        var s = ""
        for v in range where v % step == 0 {
            let px = num(x(Double(v)))
            s += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(num(f.plotBottom))\" y2=\"\(num(f.plotBottom + 5))\" "
            s += "stroke=\"#999\"/>"
            s += "<text class=\"tick\" x=\"\(px)\" y=\"\(num(f.plotBottom + 20))\" text-anchor=\"middle\">\(v)</text>\n"
        }
        return s
    }

    /// `label` cut to `width` pixels, ending in "…" when cut.
    static func fitted(_ label: String, width: Double) -> String {
        if estimatedWidth(label) <= width { return label }
        let chars = max(1, Int(width / estimatedWidth("x")) - 1)
        return String(label.prefix(chars)) + "…"
    }

    /// Bars of accuracy per value of one bucket, with 95% intervals, the best cue and both probes
    /// marked; a value's label is cut to its slot (its full name is in the bar's title), and when
    /// slots are too narrow for even a short label only every k-th value is labelled.
    static func bucketSVG(_ e: Evaluation, bucket: String, title: String) -> String {
        let values = sortedValues((e.buckets[bucket] ?? [:]).keys)
        let tallies = values.map { e.buckets[bucket]![$0]! }
        let b = e.baselines
        var entries = [LegendEntry.box("model (95% CI)", color: "#1f4e9c")]
        if tallies.contains(where: { b.bestCue(in: $0) != nil }) {
            entries.append(.line("best single cue", color: "#c0392b", dash: "4,3"))
        }
        if tallies.contains(where: { b.accuracy(Baselines.probe, in: $0) != nil }) {
            entries.append(.line("cue probe", color: "#e67e22", width: 2.5))
        }
        if tallies.contains(where: { b.accuracy(Baselines.interactions, in: $0) != nil }) {
            entries.append(.line("interaction probe", color: "#8e44ad", dash: "4,2"))
        }
        let plotWidth = min(620, max(240, 110 * Double(values.count)))
        let f = Frame(plotWidth: plotWidth, height: 320, legendWidth: legendWidth(entries))
        var s = plotStart(f, title: title)
        guard !values.isEmpty else {
            return s + "<text x=\"\(num(f.left + 10))\" y=\"\(num(f.top + 30))\">no \(escape(bucket)) buckets</text>\n"
                + legend(entries, frame: f) + "</svg>\n"
        }
        let slot = f.plotWidth / Double(values.count)
        let every = max(1, Int((estimatedWidth("xxx…") + 6) / slot) + 1)
        for (i, (v, t)) in zip(values, tallies).enumerated() {
            let cx = f.left + slot * (Double(i) + 0.5)
            s += bar(v, t, b, cx: cx, width: min(60, slot * 0.6), frame: f)
            if i % every == 0 {
                let label = fitted(v, width: slot * Double(every) - 6)
                s += "<text class=\"tick\" x=\"\(num(cx))\" y=\"\(num(f.plotBottom + 20))\" text-anchor=\"middle\">"
                s += "\(escape(label))</text>\n"
            }
        }
        return s + legend(entries, frame: f) + "</svg>\n"
    }

    /// One bar with its interval and baseline marks.
    static func bar(_ v: String, _ t: Tally, _ b: Baselines, cx: Double, width w: Double, frame f: Frame) -> String {
        let ci = t.interval
        var s = "<rect x=\"\(num(cx - w / 2))\" y=\"\(num(f.y(t.accuracy)))\" width=\"\(num(w))\" "
        s += "height=\"\(num(f.y(0) - f.y(t.accuracy)))\" fill=\"#1f4e9c\">"
        s += "<title>\(escape(v)): \(pct(t.accuracy)) (n=\(t.n))</title></rect>\n"
        s += "<line x1=\"\(num(cx))\" x2=\"\(num(cx))\" y1=\"\(num(f.y(ci.low)))\" y2=\"\(num(f.y(ci.high)))\" "
        s += "stroke=\"black\"/>\n"
        func mark(_ a: Double, _ name: String, _ attributes: String) -> String {
            "<line \(attributes) x1=\"\(num(cx - w / 2 - 6))\" x2=\"\(num(cx + w / 2 + 6))\" "
                + "y1=\"\(num(f.y(a)))\" y2=\"\(num(f.y(a)))\"><title>\(escape(v)): \(name) \(pct(a))</title></line>\n"
        }
        if let best = b.bestCue(in: t) {
            s += mark(best.accuracy, "best cue", "stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"4,3\"")
        }
        if let probe = b.accuracy(Baselines.probe, in: t) {
            s += mark(probe, "probe", "class=\"probe\" stroke=\"#e67e22\" stroke-width=\"2.5\"")
        }
        if let interactions = b.accuracy(Baselines.interactions, in: t) {
            s += mark(
                interactions,
                "interaction probe",
                "class=\"interactions\" stroke=\"#8e44ad\" stroke-width=\"2\" stroke-dasharray=\"4,2\""
            )
        }
        return s
    }
}

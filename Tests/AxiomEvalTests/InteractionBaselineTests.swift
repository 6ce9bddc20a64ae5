import AxiomRecords
import Foundation
import Testing

@testable import AxiomEval

/// 40 transitivity records whose label is x-first XOR edge-xy (bits 0 and 1), 10 per cell.
func xorGold() -> Gold {
    var g = Gold(source: "hand")
    for (c, bits) in [UInt32(0b00), 0b01, 0b10, 0b11].enumerated() {
        for i in 0..<10 {
            g.add(
                GoldRecord(
                    id: "x\(c)-\(i)",
                    label: bits == 0b01 || bits == 0b10,
                    buckets: ["split": "s", "axiom": "transitivity", "nodes": String(4 + i % 2)],
                    cues: bits
                ),
                texts: []
            )
        }
    }
    return g
}

@Suite struct InteractionBaseline {
    /// Fitted on the gold itself: no single cue and no linear probe beats chance on an XOR; the
    /// interaction probe answers every record. Every rendering shows it beside the linear probe.
    @Test func theInteractionProbeIsScoredBesideTheLinearOne() throws {
        let gold = xorGold()
        let answers = (0..<gold.count).map {
            Prediction(key: .id(gold.ids[$0]), answer: gold.labels[$0] ? "Yes" : "No", line: $0 + 1)
        }
        let e = Evaluator(gold: gold).score(answers, file: "xor", format: .ids)
        let b = e.baselines
        #expect(b.names.prefix(4) == ["majority", "probe", "interactions", "text"] && b.cueNames.first == "x-first")
        #expect(b.accuracy(Baselines.probe, in: e.overall) == 0.5)
        #expect(b.accuracy(Baselines.interactions, in: e.overall) == 1.0)
        #expect(b.bestCue(in: e.overall)?.accuracy == 0.5)
        for (_, t) in e.buckets["nodes"]! { #expect(b.accuracy(Baselines.interactions, in: t) == 1.0) }

        let text = Report.text(e)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= Report.textWidth }, "\(text)")
        let baselineHeader = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("bucket") && $0.contains("int probe") }
        )
        #expect(baselineHeader.hasSuffix("best cue  probe  int probe  text probe  majority"), "\(baselineHeader)")
        #expect(text.contains("0.500      1.000"), "\(text)")
        let md = Report.markdown(e)
        #expect(md.contains("| best cue | probe | int probe | text probe | vs probe | majority |"))
        #expect(Report.generalizationSVG(e).contains("4 nodes: interaction probe 1.000"))
        #expect(Report.bucketSVG(e, bucket: "nodes", title: "t").contains("<line class=\"interactions\""))
        let json = try JSONSerialization.jsonObject(with: Report.json([e], comparison: nil)) as! [String: Any]
        let overall = (json["evaluations"] as! [[String: Any]])[0]["overall"] as! [String: Any]
        #expect(overall["interaction_probe"] as? Double == 1.0 && overall["probe"] as? Double == 0.5)
        // A gold built by hand has no training text: the text probe answers none of it.
        #expect(overall["text_probe"] is NSNull && b.accuracy(Baselines.text, in: e.overall) == nil)
        #expect((overall["cues"] as! [String: Any])["interactions"] == nil)
    }

    @Test func longProseWrapsAtTheWidth() {
        let words = Array(repeating: "abcdefghi", count: 25).joined(separator: " ")
        let lines = Report.wrap(words).split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { $0.count <= 100 } && lines[1].hasPrefix("  abc"))
        #expect(Report.wrap("short") == "short\n")
    }
}

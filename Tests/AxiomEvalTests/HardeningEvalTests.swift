import AxiomRecords
import Testing

@testable import AxiomEval

@Suite struct InvalidAnswerExamples {
    /// Issue #15: a binary or very long prediction is shown escaped and cut, never raw.
    @Test func areEscapedAndCut() {
        let long = "\u{1B}[31m" + String(repeating: "x", count: 500) + "\u{07}"
        let preds = [
            Prediction(key: .id("r1"), answer: long, line: 1),
            Prediction(key: .id("r2"), answer: "bad\n\"line\"\u{0}\u{202E}é", line: 2),
        ]
        let e = Evaluator(gold: smallGold()).score(preds, file: "x", format: .ids)
        #expect(
            e.invalidExamples == [
                "r1: \"\\u{1B}[31m" + String(repeating: "x", count: 75) + "…\"",
                "r2: \"bad\\n\\\"line\\\"\\u{0}\\u{202E}é\"",
            ]
        )
        #expect(Report.text(e).unicodeScalars.allSatisfy { $0 == "\n" || $0.value >= 0x20 && $0.value != 0x7F })
    }
}

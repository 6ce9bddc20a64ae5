import AxiomGrammar
import Foundation
import Testing

@testable import AxiomEval

/// A hand-made Corr2Cause file: 8 items, gold 1 1 0 0 0 0 0 1, predicted 1 0 1 0 1 0 1 0, so
/// TP 1, FP 3, FN 2, TN 2: F1 = 2·1 / (2·1 + 3 + 2) = 2/7, accuracy 3/8. The five "directly
/// causes" items (gold 1 0 0 0 1, predicted 1 0 0 1 0): TP 1, FP 1, FN 1, F1 1/2, accuracy 3/5.
@Suite struct Corr2CauseEvalTests {
    func grammar() throws -> Grammar {
        try Grammar.load(path: fixtures + "../../../Grammars/corr2cause.xml")
    }

    @Test(arguments: ["corr2cause-predictions.csv", "corr2cause-predictions.jsonl"])
    func f1OnThePositiveClass(file: String) throws {
        #expect(Corr2CauseEval.detect(path: fixtures + file))
        let e = try Corr2CauseEval.score(path: fixtures + file, read: try grammar().corr2causeItem)
        #expect(e.overall.n == 8)
        #expect(e.overall.truePositive == 1 && e.overall.falsePositive == 3 && e.overall.falseNegative == 2)
        #expect(abs(e.overall.f1 - 2.0 / 7.0) < 1e-12)
        #expect(e.overall.accuracy == 3.0 / 8.0)
        let parent = try #require(e.byRelation["parent"])
        #expect(parent.n == 5 && abs(parent.f1 - 0.5) < 1e-12 && parent.accuracy == 0.6)
        #expect(e.byRelation["non-parent-ancestor"]?.n == 1)
        #expect(e.byRelation["common-effect"]?.n == 1)
        #expect(e.byRelation["common-cause"]?.n == 1)
        #expect(e.byRelation["unknown"] == nil)
        #expect(e.byNodes.mapValues(\.n) == [2: 1, 3: 5, 4: 2])
        let table = Corr2CauseEval.text(e)
        #expect(table.contains("F1 (label 1) 0.286, accuracy 0.375"))
    }

    @Test func quotedNewlinesInCSV() {
        let rows = Corr2CauseEval.parseCSV("input,label,prediction\n\"Premise: a\nHypothesis: b, \"\"c\"\"\",1,0\n")
        #expect(rows.count == 2)
        #expect(rows[1].fields == ["Premise: a\nHypothesis: b, \"c\"", "1", "0"])
        #expect(rows[1].line == 2)
    }

    @Test func predictionWords() {
        #expect(Corr2CauseEval.answer(" 1") == .yes)
        #expect(Corr2CauseEval.answer("No.") == .no)
        #expect(Corr2CauseEval.answer("maybe") == .invalid)
    }
}

import AxiomCore
import Foundation
import Testing

@testable import AxiomGrammar

/// The paper's branching d-separation format: sentences grouped by cause, no period before the
/// question ("… rY6 causes wT Are t and yUa d-separated given {faG}?").
@Suite struct PaperBranchingFormat {
    static let graph = CausalGraph(nodeCount: 5, edges: [(2, 3), (0, 1), (2, 0), (0, 3)])
    static let names = bytes(["A", "B", "C", "D", "E"])

    func premise(_ order: PremiseOrder, _ end: PremiseEnd) throws -> String {
        var renderer = Renderer(grammar: try shipped("paper"))
        renderer.premiseEnd = end
        var out: [UInt8] = []
        var rng = SeededRNG(seed: 1)
        renderer.appendPremise(Self.graph, names: Self.names, order: order, into: &out, using: &rng)
        return text(out)
    }

    @Test func bySourceGroupsByCauseAndNoneDropsTheLastPeriod() throws {
        #expect(try premise(.bySource, .bare) == "A causes B. A causes D. C causes A. C causes D")
        #expect(try premise(.bySource, .period) == "A causes B. A causes D. C causes A. C causes D.")
        #expect(try premise(.graph, .bare) == "C causes D. A causes B. C causes A. A causes D")
        #expect(PremiseOrder(rawValue: "by-source") == .bySource && PremiseEnd(rawValue: "none") == .bare)
    }

    @Test func bothPremiseStylesReadBackToTheSameInstance() throws {
        let g = try shipped("paper")
        let stopped = try g.parse(premise: "A causes B. C causes B.", hypothesis: "Are A and C d-separated given {B}?")
        let bare = try g.parse(premise: "A causes B. C causes B", hypothesis: "Are A and C d-separated given {B}?")
        #expect(stopped == bare)
        let wrapped = try g.parse(
            prompt:
                "Answer the following question with ONLY 'Yes' or 'No'.\n\nPremise: A causes B. C causes B Are A and C d-separated given {B}?"
        )
        #expect(wrapped == bare)
        #expect(wrapped.graph.edges.count == 2 && wrapped.query.given == [wrapped.names.firstIndex(of: "B")!])
        // One sentence, no period at all.
        #expect(try g.parse(instance: "A causes B Are A and B d-separated?").graph.edges.count == 1)
        // A sentence without its period ends the premise: what follows must be the question.
        #expect(throws: TextError.self) { try g.parse(instance: "A causes B C causes D. Are A and D d-separated?") }
    }

    /// Lines compiled by Tests/Fixtures/paper-branching.yaml: every one is read and its label agrees.
    @Test func solveReadsEveryFixtureLineAndAgreesWithItsLabel() throws {
        let g = try shipped("paper")
        var solver = Solver(grammar: g)
        let lines = try String(contentsOfFile: repoRoot + "/Tests/Fixtures/paper-branching.jsonl", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.count == 48)
        var edgeCounts = Set<Int>()
        var agreed = 0
        for line in lines {
            guard case let .answered(yes, label, _, _) = solver.solve(line: line) else {
                Issue.record("unread: \(solver.solve(line: line))")
                continue
            }
            if label == yes { agreed += 1 }
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: String]
            let premise = object["premise"] ?? String(object["prompt"]!.split(separator: "Premise: ")[1])
            #expect(!premise.contains(". Are ") && !premise.hasSuffix("."))
            let sentences = premise.replacingOccurrences(of: " Are ", with: ". Are ").split(separator: ". ").filter {
                !$0.hasPrefix("Are ")
            }
            // Grouped by cause: each cause's sentences are one run.
            var runs: [Substring] = []
            for s in sentences {
                let cause = s.split(separator: " ")[0]
                if runs.last != cause { runs.append(cause) }
            }
            #expect(Set(runs).count == runs.count, "not grouped by cause: \(premise)")
            edgeCounts.insert(sentences.count)
        }
        #expect(agreed == lines.count)
        #expect(edgeCounts == [7, 11, 14, 16])
    }

    /// A premise with a broken sentence is reported at that sentence, with its text — in the
    /// prompt's bytes, line and column, not at the start of the wrapper.
    @Test func aBrokenSentenceIsReportedWhereItIs() throws {
        var solver = Solver(grammar: try shipped("paper"))
        let wrapper = "Answer the following question with ONLY 'Yes' or 'No'.\\n\\nPremise: "
        func failure(_ line: String) -> String? {
            if case let .failed(m) = solver.solve(line: line) { return m }
            return nil
        }
        #expect(
            failure(
                #"{"prompt": "\#(wrapper)7kB causes t. QTe causez t. QTe causes 2 Are 7kB and QTe d-separated given {2}?", "completion": "Yes"}"#
            )
                == "prompt, byte 79 (line 3, column 24): neither a causal sentence nor a question of grammar 'paper' matches 'QTe causez t.'"
        )
        #expect(
            failure(#"{"prompt": "\#(wrapper)7kB caused t. Are 7kB and t d-separated?", "completion": "Yes"}"#)
                == "prompt, byte 65 (line 3, column 10): no causal sentence matches '7kB caused t.'"
        )
        #expect(
            failure(
                #"{"premise": "7kB causes t. QTe causez t. QTe causes 2", "hypothesis": "Are 7kB and QTe d-separated?"}"#
            )
                == "premise, byte 14: no causal sentence matches 'QTe causez t.'"
        )
        // Another wrapper: the instance after "Premise: " is found and the error is still in prompt bytes.
        #expect(
            failure(#"{"prompt": "Context\nPremise: A causes B. B causez C. Are A and C d-separated?"}"#)
                == "prompt, byte 29 (line 2, column 22): neither a causal sentence nor a question of grammar 'paper' matches 'B causez C.'"
        )
        // A long broken sentence is cut at 120 bytes.
        let long = String(repeating: "x", count: 130)
        #expect(
            failure(#"{"premise": "A causez \#(long)", "hypothesis": "Does A cause B?"}"#)
                == "premise, byte 0: no causal sentence matches 'A causez \(long.prefix(111))…'"
        )
        // The question is the broken part.
        #expect(
            failure(#"{"prompt": "\#(wrapper)A causes B. B causes C Are A and C d-separate?"}"#)?
                .hasPrefix(
                    "prompt, byte 88 (line 3, column 33): no question of grammar 'paper' matches 'Are A and C d-separate?'"
                ) == true
        )
    }
}

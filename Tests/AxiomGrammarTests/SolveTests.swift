import AxiomCore
import Testing

@testable import AxiomGrammar

@Suite struct Solving {
    @Test func flagsCollidedNamesCyclesAndWrongLabels() throws {
        var solver = Solver(grammar: try shipped("paper"))
        // A name collision as in the paper's files: 'x' stands for two nodes, so the premise loops.
        let collided =
            #"{"premise": "x causes Q. Q causes r. r causes x.", "hypothesis": "Does x cause r?", "label": "Yes"}"#
        let wrong = #"{"premise": "A causes B. C causes B.", "hypothesis": "Does A cause C?", "label": "Yes"}"#
        let right =
            #"{"prompt": "Answer the following question with ONLY 'Yes' or 'No'.\n\nPremise: A causes B. B causes C. Are A and C d-separated given {B}?", "completion": " Yes"}"#
        let absent = #"{"premise": "A causes B.", "hypothesis": "Does A cause Z?"}"#
        let caseOnly = #"{"premise": "a causes b. b causes A.", "hypothesis": "Does a cause A?", "label": "Yes"}"#

        guard case let .failed(m1) = solver.solve(line: collided) else {
            Issue.record("collision not flagged")
            return
        }
        #expect(m1 == "premise, byte 0: the premise is cyclic as written: x -> Q -> r -> x")
        #expect(
            solver.solve(line: wrong)
                == .answered(
                    yes: false,
                    label: true,
                    explanation: "A causes B directly. Nothing else is reached from A; C is not reached.",
                    names: ["A", "B", "C"]
                )
        )
        guard case let .answered(yes, label, _, _) = solver.solve(line: right) else {
            Issue.record("unreadable")
            return
        }
        #expect(yes == true && label == true)
        guard case let .failed(m2) = solver.solve(line: absent) else {
            Issue.record("absent node not flagged")
            return
        }
        #expect(m2.contains("'Z', which the premise does not mention"))
        guard case let .answered(_, _, _, names) = solver.solve(line: caseOnly) else {
            Issue.record("unreadable")
            return
        }
        #expect(caseCollisions(names) == ["a/A"])
    }

    /// Random and mutated lines produce an answer or an error, never a crash or a hang.
    @Test(arguments: ["paper", "en"])
    func fuzzedLines(grammarName: String) throws {
        let g = try shipped(grammarName)
        var solver = Solver(grammar: g)
        var renderer = Renderer(grammar: g)
        var rng = SeededRNG(seed: 77)
        var namer = try NameGenerator(style: .paper, reserved: g.reservedWords)
        var names: [[UInt8]] = []
        let alphabet = Array("AB cause s.?{}, d-separatedgiven\"\\:{}[]\u{0}\n\té→".unicodeScalars)
        var outcomes = (answered: 0, failed: 0)
        for i in 0..<4000 {
            var line: String
            if i % 4 == 0 {
                line = String(
                    String.UnicodeScalarView((0..<rng.below(60)).map { _ in alphabet[rng.below(alphabet.count)] })
                )
            } else {
                let (graph, _) = GraphGenerator.make(
                    .flippedChain(flipProbability: 0.5),
                    nodes: 3 + rng.below(4),
                    using: &rng
                )
                namer.draw(graph.nodeCount, into: &names, using: &rng)
                var p: [UInt8] = []
                var h: [UInt8] = []
                renderer.appendPremise(graph, names: names, order: .shuffled, into: &p, using: &rng)
                renderer.appendQuestion(
                    Query(.dSeparation, 0, 1, given: i % 3 == 0 ? [2] : []),
                    names: names,
                    into: &h,
                    using: &rng
                )
                var premise = Array(text(p).unicodeScalars)
                var hypothesis = Array(text(h).unicodeScalars)
                for _ in 0..<rng.below(4) {
                    let target = rng.chance(0.5)
                    let count = target ? premise.count : hypothesis.count
                    guard count > 0 else { continue }
                    let at = rng.below(count)
                    let c = alphabet[rng.below(alphabet.count)]
                    switch rng.below(3) {
                    case 0: if target { premise.remove(at: at) } else { hypothesis.remove(at: at) }
                    case 1: if target { premise.insert(c, at: at) } else { hypothesis.insert(c, at: at) }
                    default: if target { premise[at] = c } else { hypothesis[at] = c }
                    }
                }
                func esc(_ s: [Unicode.Scalar]) -> String {
                    var out = ""
                    for c in s {
                        switch c {
                        case "\"": out += "\\\""
                        case "\\": out += "\\\\"
                        case "\n": out += "\\n"
                        case "\t": out += "\\t"
                        case "\u{0}": out += "\\u0000"
                        default: out.unicodeScalars.append(c)
                        }
                    }
                    return out
                }
                line = "{\"premise\": \"\(esc(premise))\", \"hypothesis\": \"\(esc(hypothesis))\"}"
                if i % 7 == 0 { line = String(line.dropLast(rng.below(5) + 1)) }
            }
            switch solver.solve(line: line) {
            case .answered: outcomes.answered += 1
            case .failed: outcomes.failed += 1
            }
        }
        #expect(outcomes.answered > 500 && outcomes.failed > 500)
    }
}

@Suite struct Names {
    @Test func wordListsAreValidated() {
        #expect(throws: SyntaxError.self) {
            try NameGenerator(
                style: NameStyle(alphabet: [], lengths: 1...1, words: [Array("Given".utf8)]),
                reserved: ["given"]
            )
        }
        #expect(throws: SyntaxError.self) {
            try NameGenerator(
                style: NameStyle(alphabet: [], lengths: 1...1, words: [Array("air pollution".utf8)]),
                reserved: []
            )
        }
        #expect(throws: SyntaxError.self) {
            try NameGenerator(
                style: NameStyle(alphabet: [], lengths: 1...1, words: [Array("Rain".utf8), Array("rain".utf8)]),
                reserved: []
            )
        }
    }

    @Test func longNamesAndWordLists() throws {
        var rng = SeededRNG(seed: 8)
        var names: [[UInt8]] = []
        var long = try NameGenerator(
            style: NameStyle(alphabet: try NameStyle.alphabet("A-Za-z0-9"), lengths: 8...10),
            reserved: []
        )
        long.draw(12, into: &names, using: &rng)
        #expect(names.allSatisfy { (8...10).contains($0.count) })
        let words = ["smoking", "cancer", "tar", "genes", "stress"].map { Array($0.utf8) }
        var listed = try NameGenerator(style: NameStyle(alphabet: [], lengths: 1...1, words: words), reserved: [])
        listed.draw(5, into: &names, using: &rng)
        #expect(Set(names) == Set(words))
    }

    @Test func alphabetRanges() throws {
        #expect(try NameStyle.alphabet("a-c0-2_") == Array("abc012_".utf8))
        #expect(throws: SyntaxError.self) { try NameStyle.alphabet("a-c ") }
    }
}

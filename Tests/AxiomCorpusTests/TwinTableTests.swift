import AxiomCore
import Testing

@testable import AxiomCorpus

/// The checker pairs twins as it reads them; what it reports does not depend on the order.
@Suite struct TwinPairing {
    static func record(
        _ id: String,
        twin: String?,
        label: Bool,
        edges: [(Int, Int)],
        question: String = "q"
    )
        -> CheckedRecord
    {
        CheckedRecord(
            id: id,
            axiom: Axiom("transitivity"),
            premise: "p",
            hypothesis: question,
            label: label,
            graph: CausalGraph(nodeCount: 3, edges: edges),
            names: ["A", "B", "C"],
            query: Query(Axiom("transitivity"), 0, 2),
            nodes: 3,
            cues: 0,
            twin: twin
        )
    }

    static let records = [
        record("a", twin: "b", label: true, edges: [(0, 1), (1, 2)]),
        record("b", twin: "a", label: false, edges: [(0, 1), (2, 1)]),  // a valid pair
        record("c", twin: "a", label: false, edges: [(0, 1), (2, 1)]),  // a is taken
        record("d", twin: "missing", label: true, edges: [(0, 1), (1, 2)]),
        record("e", twin: "e", label: true, edges: [(0, 1), (1, 2)]),  // names itself
        record("f", twin: "g", label: true, edges: [(0, 1), (1, 2)]),
        record("g", twin: "f", label: false, edges: [(0, 1), (1, 2)], question: "other"),  // not a twin
    ]

    @Test(arguments: [false, true])
    func everyProblemIsNamedWhateverTheOrder(reversed: Bool) {
        var table = TwinTable(mode: .all)
        for r in reversed ? Self.records.reversed() : Self.records { table.add(r) }
        let problems = table.finish()
        #expect(table.records == 7)
        #expect(problems.map(\.id) == ["c", "d", "e", "f", "g"])
        #expect(problems[0].problem == "its twin 'a' is not in the split or does not name it back")
        #expect(problems[1].problem == "its twin 'missing' is not in the split or does not name it back")
        #expect(problems[2].problem.hasPrefix("it and its twin 'e' must differ in edge directions"))
        #expect(problems[3].problem.hasPrefix("it and its twin 'g' must differ in edge directions"))
        #expect(problems[4].problem.hasPrefix("it and its twin 'f' must differ in edge directions"))
    }

    /// One-edge twins (`twins: true`) must also keep every cue.
    @Test func oneEdgeTwinsKeepTheirCues() {
        var table = TwinTable(mode: .some)
        var b = Self.records[1]
        b.cues = 1
        table.add(Self.records[0])
        table.add(b)
        #expect(table.finish().map(\.id) == ["a", "b"])
    }
}

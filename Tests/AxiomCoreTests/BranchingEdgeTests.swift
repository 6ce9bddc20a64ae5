import AxiomCore
import Testing

@Suite struct BranchingEdgeCounts {
    /// The paper's generator takes int(b · n) edges; axiomc's default rounds.
    @Test func floorGivesThePapersCountsAndRoundStaysTheDefault() {
        let floor = [5, 8, 10, 12].map {
            GraphFamily.branching(factor: 1.4, connected: false, edges: .floor).edgeCountRange(nodes: $0)
        }
        #expect(floor == [7...7, 11...11, 14...14, 16...16])
        let round = [5, 8, 10, 12].map {
            GraphFamily.branching(factor: 1.4, connected: false).edgeCountRange(nodes: $0)
        }
        #expect(round == [7...7, 11...11, 14...14, 17...17])
        #expect(
            GraphFamily.branching(factor: 1.4, connected: true)
                == .branching(factor: 1.4, connected: true, edges: .nearest)
        )
        #expect(GraphFamily.branching(factor: 0.7, connected: false, edges: .floor).edgeCountRange(nodes: 5) == 3...3)
        #expect(GraphFamily.branching(factor: 0.7, connected: false).edgeCountRange(nodes: 5) == 4...4)
    }

    @Test(arguments: [5, 8, 10, 12])
    func generatedGraphsHaveTheFlooredCount(nodes n: Int) {
        var rng = SeededRNG(seed: UInt64(n))
        for _ in 0..<50 {
            let (g, _) = GraphGenerator.make(
                .branching(factor: 1.4, connected: false, edges: .floor),
                nodes: n,
                using: &rng
            )
            #expect(g.edges.count == Int(1.4 * Double(n)))
            #expect(g.findCycle() == nil)
        }
    }
}

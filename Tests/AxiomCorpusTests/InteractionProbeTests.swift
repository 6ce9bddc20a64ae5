import AxiomCore
import AxiomRecords
import Testing

@Suite struct InteractionProbes {
    /// Label = x-first XOR edge-xy (bits 0 and 1), 100 records per cell: no single cue and no
    /// linear model does better than chance; the product of the two bits decides every record.
    @Test func anXorOfTwoCuesIsFoundOnlyByTheInteractionProbe() {
        var cells = CueCells()
        for bits: UInt32 in [0b00, 0b01, 0b10, 0b11] {
            cells.add("transitivity", bits, yes: bits == 0b01 || bits == 0b10, count: 100)
        }
        #expect(cells.cueAccuracies()["x-first"] == 0.5 && cells.cueAccuracies()["edge-xy"] == 0.5)
        // At w = 0 every gradient is zero: the linear fit stays at P(Yes) = 0.5 and answers No.
        #expect(CueProbe.crossValidated(cells) == 0.5)
        #expect(InteractionProbe.crossValidated(cells) == 1.0)
        var probe = InteractionProbe()
        probe.fit(cells)
        #expect(probe.models["transitivity"]?.terms == [0b01, 0b10, 0b11])
        // Weights about -1.69 (bias), 3.70 per bit and -8.13 for the pair: the penalty keeps them
        // finite, so P(Yes) is about 0.88 in the Yes cells and at most 0.16 in the No cells.
        for bits: UInt32 in [0b01, 0b10] { #expect(probe.probability("transitivity", bits) > 0.85) }
        for bits: UInt32 in [0b00, 0b11] { #expect(probe.probability("transitivity", bits) < 0.16) }
        #expect(probe.accuracy(on: cells) == 1.0)
    }

    /// A pure single-cue signal (edge-xy decides 90% of labels): both probes find it.
    @Test func aSingleCueSignalIsFoundByBoth() {
        var cells = CueCells()
        for other: UInt32 in [0, 1, 4, 5] {
            cells.add("transitivity", other | 0b10, yes: true, count: 45)
            cells.add("transitivity", other | 0b10, yes: false, count: 5)
            cells.add("transitivity", other, yes: false, count: 45)
            cells.add("transitivity", other, yes: true, count: 5)
        }
        #expect(cells.cueAccuracies()["edge-xy"] == 0.9)
        #expect(CueProbe.crossValidated(cells) == 0.9)
        #expect(InteractionProbe.crossValidated(cells) == 0.9)
    }

    /// With lambda 0 and one cue the model has the closed form of `CueProbe`'s test: the pair
    /// terms never hold, so only the bias and the bit are fitted, to the same weights.
    @Test func withoutPairsItIsTheLinearProbe() {
        var cells = CueCells()
        cells.add("transitivity", 1, yes: true, count: 30)
        cells.add("transitivity", 1, yes: false, count: 10)
        cells.add("transitivity", 0, yes: true, count: 10)
        cells.add("transitivity", 0, yes: false, count: 30)
        var probe = InteractionProbe()
        probe.lambda = 0
        probe.fit(cells)
        #expect(probe.models["transitivity"]?.terms == [1])
        #expect(abs(probe.probability("transitivity", 1) - 0.75) < 1e-6)
        #expect(abs(probe.probability("transitivity", 0) - 0.25) < 1e-6)
        // A task never fitted: P(Yes) = 0.5.
        #expect(probe.probability("d-separation", 1) == 0.5)
    }

    /// Only terms that hold in some record are fitted: bits 0 and 2 never hold together, so the
    /// pair (0, 2) is left out; a cell with no records adds no term.
    @Test func termsAreThoseThatHoldInSomeRecord() {
        var cells = CueCells()
        cells.add("d-separation", 0b011, yes: true, count: 3)
        cells.add("d-separation", 0b110, yes: false, count: 3)
        cells.add("d-separation", 0b1000, yes: true, count: 0)
        var probe = InteractionProbe()
        probe.fit(cells)
        #expect(probe.models["d-separation"]?.terms == [0b001, 0b010, 0b100, 0b011, 0b110])
    }

    /// Per-task cells: `only` keeps a task's cells, `axioms` lists the tasks with records.
    @Test func cellsOfOneTask() {
        var cells = CueCells()
        cells.add("transitivity", 1, yes: true, count: 2)
        cells.add("d-separation", 1, yes: false, count: 3)
        #expect(cells.axioms == ["d-separation", "transitivity"])
        #expect(cells.only(["transitivity"]).total == 2 && cells.only(["transitivity"]).axioms == ["transitivity"])
        #expect(cells.only(["transitivity"]).absorbing(cells.without(["transitivity"])) == cells)
    }
}

extension CueCells {
    fileprivate func absorbing(_ other: CueCells) -> CueCells {
        var out = self
        out.absorb(other)
        return out
    }
}

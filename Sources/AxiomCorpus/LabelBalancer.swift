import AxiomCore

/// A (task, node count, |Z|) stratum of a shard: labels alternate inside each.
struct Stratum: Hashable {
    /// The task's catalog position.
    var task: Int
    var nodes: Int
    var given: Int

    /// The stratum as one number, (task · 10⁴ + nodes) · 10³ + given: the seed of its first label.
    var key: Int { (task * 10_000 + nodes) * 1_000 + given }

    /// Its name in `ShardStats.strata` (`transitivity/nodes=5/given=0`).
    func name(axiomNames: [String]) -> String { "\(axiomNames[task])/nodes=\(nodes)/given=\(given)" }
}

/// The label controller: which label a stratum needs next, and in a controlled split whether a
/// question's cell (its task and controlled cue values) may take another record of a label.
struct LabelBalancer {
    let seed: UInt64
    /// Per split task: the bits of the cues the split controls (0: none).
    let controlMask: [UInt32]
    private var shard = 0
    /// Labels so far per stratum, and per (task, controlled cue values) cell.
    private(set) var strata: [Stratum: (yes: Int, no: Int)] = [:]
    private var cells: [UInt64: (yes: Int, no: Int)] = [:]

    init(seed: UInt64, controlMask: [UInt32]) {
        self.seed = seed
        self.controlMask = controlMask
    }

    mutating func reset(shard: Int) {
        self.shard = shard
        strata.removeAll()
        cells.removeAll()
    }

    func isControlled(_ task: Int) -> Bool { controlMask[task] != 0 }

    /// The label `stratum` needs next. Labels alternate within each stratum, starting with a
    /// label drawn per (shard, stratum), so odd-sized strata do not all lean towards Yes.
    func target(_ stratum: Stratum) -> Bool {
        let counts = strata[stratum] ?? (0, 0)
        let startsYes = SeededRNG.derive(seed, UInt64(shard), UInt64(stratum.key)) & 1 == 0
        return startsYes ? counts.yes <= counts.no : counts.yes < counts.no
    }

    /// Whether a question of split task `task` with cue bits `cues` may be labelled `label`: in a
    /// controlled split, only if its cell does not already hold more of this label than the other.
    func admits(task: Int, cues: UInt32, label: Bool) -> Bool {
        guard controlMask[task] != 0 else { return true }
        let c = cells[cellKey(task, cues)] ?? (0, 0)
        return label ? c.yes <= c.no : c.no <= c.yes
    }

    /// Whether a twin with cue bits `cues` may be labelled `label`, written together with a
    /// question of the opposite label and cue bits `other` (already admitted): a pair in one
    /// cell keeps it as balanced as it was.
    func admitsTwin(task: Int, cues: UInt32, label: Bool, pairedWith other: UInt32) -> Bool {
        cellKey(task, cues) == cellKey(task, other) || admits(task: task, cues: cues, label: label)
    }

    /// Counts a written record.
    mutating func record(_ stratum: Stratum, task: Int, cues: UInt32, label: Bool) {
        let s = strata[stratum] ?? (0, 0)
        strata[stratum] = label ? (s.yes + 1, s.no) : (s.yes, s.no + 1)
        let key = cellKey(task, cues)
        let c = cells[key] ?? (0, 0)
        cells[key] = label ? (c.yes + 1, c.no) : (c.yes, c.no + 1)
    }

    private func cellKey(_ task: Int, _ cues: UInt32) -> UInt64 {
        UInt64(task) << 32 | UInt64(cues & controlMask[task])
    }
}

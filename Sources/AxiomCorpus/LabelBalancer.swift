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
///
/// A cell leans by |Yes − No|. The best classifier of the controlled cues' joint values (the
/// majority label of each cell) is right on ½ + L / 2N of a task's N records, L the sum of its
/// cells' leans. Without slack a cell leans by one record at most (a cell of odd size must).
/// With `control_slack` s, cells may lean further while the leans beyond one record sum to at
/// most 2sN: every classifier of the controlled cues, linear or not, stays within ½ + s plus
/// half the one-record leans (a lookup table of thousands of cells can use those; a probe that
/// generalises across cells cannot). Cues the split does not control are not bounded.
struct LabelBalancer {
    let seed: UInt64
    /// Per split task: the bits of the cues the split controls (0: none).
    let controlMask: [UInt32]
    /// `control_slack`: half the lean a task's cells may hold, per record.
    let slack: Double
    private var shard = 0
    /// Labels so far per stratum, and per (task, controlled cue values) cell.
    private(set) var strata: [Stratum: (yes: Int, no: Int)] = [:]
    private var cells: [UInt64: (yes: Int, no: Int)] = [:]
    /// Per split task: records counted, and their cells' excess (see `addedLean`).
    private var counted: [Int]
    private var lean: [Int]

    /// The seed of the cells' drawn labels: the split's own, so splits do not share them.
    let cellSeed: UInt64
    /// A planted shortcut (`confound:`), and per split task the bit of its cue.
    let confound: Confound?
    let confoundMask: [UInt32]
    /// Per split task and label (index 2·task + label): records counted under the confound, and
    /// how many agreed with it. The quota holds per label, so that at agreement ½ the cue is
    /// independent of the label instead of alternating in step with it.
    private var confounded: [Int]
    private var agreed: [Int]

    init(
        seed: UInt64,
        controlMask: [UInt32],
        slack: Double = 0,
        split: String = "",
        confound: Confound? = nil,
        confoundMask: [UInt32] = []
    ) {
        self.seed = seed
        cellSeed = SeededRNG.derive(seed, SeededRNG.streamID(split), 0x9E37_79B9_7F4A_7C15)
        self.controlMask = controlMask
        self.slack = slack
        self.confound = confound
        self.confoundMask = confound == nil ? Array(repeating: 0, count: controlMask.count) : confoundMask
        counted = Array(repeating: 0, count: controlMask.count)
        lean = counted
        confounded = Array(repeating: 0, count: 2 * controlMask.count)
        agreed = confounded
    }

    mutating func reset(shard: Int) {
        self.shard = shard
        strata.removeAll()
        cells.removeAll()
        for t in counted.indices {
            counted[t] = 0
            lean[t] = 0
        }
        for i in confounded.indices {
            confounded[i] = 0
            agreed[i] = 0
        }
    }

    /// Whether a record of `label` with cue bits `cues` keeps task `task`'s confound quota: it
    /// must agree (cue value = label) exactly when the quota wants the next record to.
    func keepsConfound(task: Int, cues: UInt32, label: Bool) -> Bool {
        guard let confound, confoundMask[task] != 0 else { return true }
        let agrees = (cues & confoundMask[task] != 0) == label
        let i = 2 * task + (label ? 1 : 0)
        return agrees == confound.nextAgrees(agreed: agreed[i], records: confounded[i])
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
    /// controlled split, only if it leans its cell by no more than one record, and a balanced cell
    /// only its drawn way (`leansYes`).
    ///
    /// With `control_slack`, a record may lean its cell further while the task's leans fit the slack,
    /// if `mayLean` (the sampler spends the slack on the question type the mix most lacks).
    func admits(task: Int, cues: UInt32, label: Bool, mayLean: Bool = true) -> Bool {
        guard keepsConfound(task: task, cues: cues, label: label) else { return false }
        guard controlMask[task] != 0 else { return true }
        let added = addedLean(task, cues, label)
        return added <= 0 || mayLean && withinSlack(task, lean: added, records: 1)
    }

    /// Whether a twin with cue bits `cues` may be labelled `label`, written together with a
    /// question of the opposite label and cue bits `other` (already admitted): a pair in one
    /// cell keeps it as it was; else both records' leans must fit the slack.
    func admitsTwin(task: Int, cues: UInt32, label: Bool, pairedWith other: UInt32, mayLean: Bool = true) -> Bool {
        guard controlMask[task] != 0, cellKey(task, cues) != cellKey(task, other) else { return true }
        let twin = addedLean(task, cues, label)
        let question = addedLean(task, other, !label)
        if twin <= 0 && question <= 0 { return true }
        return (twin <= 0 || mayLean) && withinSlack(task, lean: twin + question, records: 2)
    }

    /// What one more record of `label` does to its cell's excess: 1 where it leans the cell
    /// further, or leans a balanced cell against the cell's drawn direction; -1 where it brings
    /// the cell back; 0 where it leans a balanced cell the drawn way or balances a one-record lean
    /// against it.
    private func addedLean(_ task: Int, _ cues: UInt32, _ label: Bool) -> Int {
        let key = cellKey(task, cues)
        let c = cells[key] ?? (0, 0)
        let l = label ? c.yes - c.no : c.no - c.yes
        // A cell's excess is its lean beyond one record in its drawn direction.
        if label == leansYes(key) { return l == 0 ? 0 : l >= 1 ? 1 : -1 }
        return l >= 0 ? 1 : l == -1 ? 0 : -1
    }

    /// The label a balanced cell may take next: drawn per (shard, cell). Were it whichever label
    /// the sampler found first, the hundreds of one- and three-record cells of a small split
    /// would nearly all lean the way the cues lean in the graphs (a probe trained on the training
    /// split read 0.62 of `default`'s eval_distractors d-separation labels that way). A cell
    /// whose drawn label is the rarer one there still waits balanced longer than one leaning the
    /// common way, so about half as many cells lean, not none. Each split draws its own labels
    /// (splits sharing them would lean their odd cells alike).
    private func leansYes(_ key: UInt64) -> Bool {
        SeededRNG.derive(cellSeed, UInt64(shard), key) & 1 == 0
    }

    private func withinSlack(_ task: Int, lean added: Int, records: Int) -> Bool {
        slack > 0 && Double(lean[task] + added) <= 2 * slack * Double(counted[task] + records)
    }

    /// Counts a written record.
    mutating func record(_ stratum: Stratum, task: Int, cues: UInt32, label: Bool) {
        let s = strata[stratum] ?? (0, 0)
        strata[stratum] = label ? (s.yes + 1, s.no) : (s.yes, s.no + 1)
        if confoundMask[task] != 0 {
            let i = 2 * task + (label ? 1 : 0)
            confounded[i] += 1
            if (cues & confoundMask[task] != 0) == label { agreed[i] += 1 }
        }
        guard controlMask[task] != 0 else { return }
        lean[task] += addedLean(task, cues, label)
        counted[task] += 1
        let key = cellKey(task, cues)
        let c = cells[key] ?? (0, 0)
        cells[key] = label ? (c.yes + 1, c.no) : (c.yes, c.no + 1)
    }

    private func cellKey(_ task: Int, _ cues: UInt32) -> UInt64 {
        UInt64(task) << 32 | UInt64(cues & controlMask[task])
    }
}

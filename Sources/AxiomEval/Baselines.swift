import AxiomCore
import AxiomRecords

/// The shortcut baselines a model is scored beside: the global majority label, a logistic-regression
/// probe over the surface-cue vector, an interaction probe over the cues and every product of two,
/// the bag-of-words text probe (`TextProbe`, fitted on the training splits' text), and every cue
/// as the rule "Yes iff cue" (or its negation).
///
/// Baseline `k` answers for a record by bit `k` of a `UInt64`; index 0 is the majority, 1 the
/// probe, 2 the interaction probe, 3 the text probe, 4… the cues in `names` order. Cues and probes are fitted once,
/// on the training splits' cells when the corpus has them, else on the evaluated gold itself
/// (`source` says which).
public struct Baselines: Sendable {
    /// Where the cue orientations and the probe were fitted.
    public enum Source: Sendable, Equatable {
        /// On the training splits (their record count).
        case training(splits: [String], records: Int)
        /// On the evaluated gold itself: optimistic, the baselines see the labels they are scored on.
        case gold(records: Int, reason: String)
        /// The gold states no cues (an older corpus, a file scored without a corpus).
        case none
    }

    public static let majority = 0
    public static let probe = 1
    public static let interactions = 2
    /// The text probe: defined for the records of tasks the training splits' text fits.
    public static let text = 3
    /// The index of the first cue.
    public static let firstCue = 4
    /// At most this many cue names (bits 4…63).
    static let maxCues = 64 - firstCue

    /// `majority`, `probe`, `interactions`, `text`, then the cue names.
    public private(set) var names: [String] = ["majority", "probe", "interactions", "text"]
    public private(set) var source: Source = .none
    /// The answer of the majority baseline for every record.
    public private(set) var majorityYes = true
    /// Per cue (index `k - firstCue`): true when the fitted rule is "Yes iff not cue".
    public private(set) var negated: [Bool] = []
    public private(set) var probeModel = CueProbe()
    public private(set) var interactionModel = InteractionProbe()
    /// Per cue profile (0: no cues; `p > 0`: task `axioms[p - 1]`): task bit i → baseline index.
    var columns: [[Int]] = [[]]
    /// Per cue profile: the baselines defined for its records (majority always; the probes and
    /// the task's cues when the record states cues).
    public private(set) var applicable: [UInt64] = [1]
    /// The tasks of the gold that state cues, in profile order.
    public private(set) var axioms: [String] = []
    /// The tasks the text probe answers (fitted on the training splits' text), sorted.
    public private(set) var textTasks: [String] = []

    public init() {}

    public var cueNames: ArraySlice<String> { names[Baselines.firstCue...] }
    public var hasCues: Bool { source != .none }

    /// Baselines for gold whose cue-stating tasks are `axioms`, fitted on `cells`.
    /// - Parameter majorityYes: the majority label of the evaluated gold (ties: Yes).
    /// - Parameter textTasks: the tasks whose records the text probe answers.
    init(axioms: [String], cells: CueCells, source: Source, majorityYes: Bool, textTasks: Set<String> = []) {
        self.majorityYes = majorityYes
        self.axioms = axioms
        self.textTasks = axioms.filter { textTasks.contains($0) }.sorted()
        self.source = axioms.isEmpty ? .none : source
        var index: [String: Int] = [:]
        for a in axioms {
            // `GoldRecord` only reads cues of catalog tasks; one built by hand for another has none.
            let cueNames = TaskCatalog.task(Axiom(a))?.recordCueNames ?? []
            var column: [Int] = []
            var mask: UInt64 =
                1 << UInt64(Baselines.majority) | 1 << UInt64(Baselines.probe) | 1 << UInt64(Baselines.interactions)
            if textTasks.contains(a) { mask |= 1 << UInt64(Baselines.text) }
            for name in cueNames {
                let k =
                    index[name]
                    ?? {
                        names.append(name)
                        index[name] = names.count - 1
                        return names.count - 1
                    }()
                precondition(
                    k < Baselines.firstCue + Baselines.maxCues,
                    "more than \(Baselines.maxCues) distinct cue names"
                )
                column.append(k)
                mask |= 1 << UInt64(k)
            }
            columns.append(column)
            applicable.append(mask)
        }
        // Orientation per cue name, pooled over the tasks that have it (as the manifest scores it).
        var agree = [Int](repeating: 0, count: names.count)
        var seen = agree
        for (key, v) in cells.counts {
            guard let p = axioms.firstIndex(of: key.axiom) else { continue }
            for (i, k) in columns[p + 1].enumerated() {
                agree[k] += key.bits & (1 << UInt32(i)) != 0 ? v.yes : v.no
                seen[k] += v.yes + v.no
            }
        }
        negated = (Baselines.firstCue..<names.count).map { 2 * agree[$0] < seen[$0] }
        probeModel.fit(cells)
        interactionModel.fit(cells)
    }

    /// The baselines' answers for a record of profile `profile` with cue vector `bits` and the
    /// text probe's answer `textYes`: bit k set when baseline k answers Yes (bits of baselines not
    /// defined for the record are clear).
    func answers(profile: Int, bits: UInt32, textYes: Bool = false) -> UInt64 {
        var out: UInt64 = majorityYes ? 1 << UInt64(Baselines.majority) : 0
        guard profile > 0 else { return out }
        if textYes { out |= 1 << UInt64(Baselines.text) }
        if probeModel.probability(axioms[profile - 1], bits) > 0.5 { out |= 1 << UInt64(Baselines.probe) }
        if interactionModel.probability(axioms[profile - 1], bits) > 0.5 {
            out |= 1 << UInt64(Baselines.interactions)
        }
        for (i, k) in columns[profile].enumerated()
        where (bits & (1 << UInt32(i)) != 0) != negated[k - Baselines.firstCue] {
            out |= 1 << UInt64(k)
        }
        return out
    }

    /// The rule cue `name` stands for, as printed: `x-first` or `not x-first`.
    public func rule(_ k: Int) -> String {
        k >= Baselines.firstCue && negated[k - Baselines.firstCue] ? "not " + names[k] : names[k]
    }

    /// Baseline `k`'s accuracy on the records of `t`, or nil where it is defined for none of them.
    public func accuracy(_ k: Int, in t: Tally) -> Double? {
        let n = defined(k, in: t)
        return n == 0 ? nil : Double(t.baselineRight[k]) / Double(n)
    }

    /// How many records of `t` baseline `k` answers.
    public func defined(_ k: Int, in t: Tally) -> Int {
        var n = 0
        for (p, mask) in applicable.enumerated() where mask >> UInt64(k) & 1 == 1 && p < t.profileCount.count {
            n += t.profileCount[p]
        }
        return n
    }

    /// The cue with the highest accuracy on `t` among those that answer all of its records (else
    /// among all; ties: the first in `names` order), and how many records it answers.
    public func bestCue(in t: Tally) -> (index: Int, accuracy: Double, n: Int)? {
        var best: (index: Int, accuracy: Double, n: Int)?
        for k in Baselines.firstCue..<names.count {
            guard let a = accuracy(k, in: t) else { continue }
            let n = defined(k, in: t)
            guard let b = best else {
                best = (k, a, n)
                continue
            }
            if (n == t.n) != (b.n == t.n) ? n == t.n : a > b.accuracy { best = (k, a, n) }
        }
        return best
    }

    /// The model against the probe on `t`: the difference, McNemar's exact p on the records both
    /// answered, and the verdict (nil when the probe does not answer every record of `t`).
    public func versusProbe(_ t: Tally) -> (difference: Double, p: Double, verdict: Verdict)? {
        guard t.n > 0, defined(Baselines.probe, in: t) == t.n, let probe = accuracy(Baselines.probe, in: t) else {
            return nil
        }
        let d = t.accuracy - probe
        let p = Stats.mcnemarExact(b: t.onlyModel, c: t.onlyProbe)
        return (d, p, p >= 0.05 || d == 0 ? .notSignificant : d > 0 ? .beats : .below)
    }

    public enum Verdict: String, Sendable {
        /// Above the probe, McNemar p < 0.05.
        case beats
        /// Below the probe, McNemar p < 0.05.
        case below
        /// No significant difference.
        case notSignificant = "n.s."
    }

    /// One line saying where the baselines come from.
    public var sourceDescription: String {
        let text =
            textTasks.isEmpty
            ? "" : "; the text probe is fitted on the training splits' text (\(textTasks.joined(separator: ", ")))"
        return cueSource + text
    }

    private var cueSource: String {
        switch source {
        case let .training(splits, records):
            "cue rules and probes fitted on the training split(s) \(splits.joined(separator: ", ")) (\(records) records); majority is the evaluated gold's most frequent label (\(majorityYes ? "Yes" : "No"))"
        case let .gold(records, reason):
            "cue rules and probes fit on the evaluated gold (optimistic; \(reason); \(records) records); majority is its most frequent label (\(majorityYes ? "Yes" : "No"))"
        case .none:
            "no cues in gold: only the majority baseline (the gold's most frequent label, \(majorityYes ? "Yes" : "No"))"
        }
    }
}

import AxiomCore
import AxiomGrammar
import AxiomRecords

/// A corpus recipe: seed, grammar, names and splits, decoded strictly from a YAML file.
public struct Recipe: Sendable {
    public var name: String
    public var file: String
    /// The recipe file's exact bytes (echoed and hashed into the manifest).
    public var text: String
    public var seed: UInt64
    /// The grammar's name or path as the recipe gives it (echoed in the manifest).
    public var grammarName: String
    /// The grammar the recipe was validated against (from the catalog it was decoded with).
    public var grammar: Grammar
    public var splits: [SplitSpec]
    /// The layout `compile --format` forced on every split (nil: each split's `format`).
    public var formatOverride: RecordFormat? = nil

    /// The factor `compile --scale` multiplied every split's count by (nil: the recipe's counts).
    public var countScale: Double? = nil

    /// Lays every split out as `format`, whatever the recipe says.
    public mutating func override(format: RecordFormat) {
        formatOverride = format
        for i in splits.indices { splits[i].format = format }
    }

    /// Multiplies every split's record count by `factor` (0 < factor ≤ 1), for a quick corpus
    /// of the same shape: see `SplitSpec.scaledCount(by:)` (splits with shortcut limits keep theirs). A factor of 1 changes nothing and
    /// is not recorded, so the corpus is byte-identical to one compiled without it.
    public mutating func scale(by factor: Double) {
        precondition(factor > 0 && factor <= 1, "a count scale is in (0, 1]")
        guard factor < 1 else { return }
        countScale = factor
        for i in splits.indices { splits[i].count = splits[i].scaledCount(by: factor) }
    }
}

/// One split of a recipe, with every knob resolved.
public struct SplitSpec: Sendable {
    public var name: String
    public var role: SplitRole
    public var axioms: [Axiom]
    /// Each task's weight, in `axioms`' order (`tasks: {transitivity: 2, mediator: 1}`); nil:
    /// equal shares.
    public var taskWeights: [Double]? = nil
    /// `level:` by attribute (`Difficulty.Attribute`'s names), and the level every record's
    /// `meta.difficulty` gives (nil: the split has no level).
    public var levels: [String: Int] = [:]
    public var difficulty: Int? = nil
    public var family: GraphFamily
    /// The node counts' range: every count in it, or the hull of `nodes: {set: […]}`.
    public var nodes: ClosedRange<Int>
    /// The counts of `nodes: {set: […]}`, ascending; nil: every count of `nodes`.
    public var nodeSet: [Int]? = nil
    /// The node counts graphs are drawn from, ascending.
    public var nodeCounts: [Int] { nodeSet ?? Array(nodes) }
    /// How the last premise sentence ends (`premise_end:`).
    public var premiseEnd = PremiseEnd.period
    public var givenSizes: ClosedRange<Int>
    public var orders: [PremiseOrder]
    /// Extra nodes in a disconnected flipped chain whose sentences are mixed into the premise.
    public var distractors: Int
    public var explanations: Bool
    /// How explanations are written (`explanations: search` asks for label-neutral searches).
    public var explanationStyle = ExplanationStyle.proof
    public var prompt: Bool
    public var queriesPerGraph: Int
    public var count: Int
    public var shardSize: Int
    public var names: NameStyle
    public var leakage: Leakage
    public var balanceTolerance: Double
    /// Cue names whose cells the sampler balances labels in (`control:`); empty: none.
    public var controlledCues: [String] = []
    /// `control_slack`: how far the controlled cells may lean, as the accuracy above ½ that the
    /// best classifier of the controlled cues' joint values may reach (0: every cell balanced).
    public var controlSlack = 0.0
    /// Tasks the split leaves uncontrolled (`control: {default: all, collider: off}`): their label
    /// is a function of the local direction cues they are asked about, so no cell of those cues
    /// holds both labels. Their cues are not balanced and `max_cue` / `max_probe` skip their
    /// records; skeleton twins (`twins: all`) still pair them.
    public var uncontrolledTasks: [Axiom] = []
    /// Question-type weights (`question_types:`), by type name; empty: as the graphs give them.
    public var typeMix: [String: Double] = [:]
    /// Limits `check` holds the split to: the best single cue's accuracy and the probe's.
    public var maxCue: Double? = nil
    public var maxProbe: Double? = nil
    /// Whether records carry `query.z` / `query.set`: true in every split of a recipe where some
    /// task uses a third node / a node set (null where a record's task does not), so all splits
    /// share one schema.
    public var recordsNode = false
    /// Contrastive twins (`twins:`): none, one after each question where a one-edge twin exists,
    /// or a skeleton twin for every question.
    public var twins = TwinMode.off
    /// A planted shortcut (`confound:`): a surface cue made to agree with the label on a set
    /// share of each task's records (confounded training, deconfounded evaluation).
    public var confound: Confound? = nil
    public var recordsSet = false
    /// Whether records carry `query.relation` (some task of the recipe asserts a relation).
    public var recordsRelation = false
    /// Whether records carry `graph.tables` (some task of the recipe states a causal model).
    public var recordsTables = false
    /// The record layout (`format:`), and the recipe's name (rl records' `data_source`).
    public var format: RecordFormat = .records
    public var recipeName = ""
    /// The recipe file (errors at this split point into it).
    public var recipeFile = ""
    /// The line of the split in the recipe, for errors found after decoding.
    public var line: Int
    /// Its column (of the split's first key).
    public var column: Int = 1

    /// Task `t`'s share of the split's records.
    public func taskShare(_ t: Int) -> Double {
        guard let w = taskWeights else { return 1 / Double(axioms.count) }
        return w[t] / w.reduce(0, +)
    }

    public var shardCount: Int { max(1, count / shardSize + (count % shardSize == 0 ? 0 : 1)) }

    /// `count × factor` rounded up (never below one record), and even where twins pair records,
    /// so no question loses its twin. Shards keep their size, so a scaled split has fewer.
    ///
    /// An evaluation split `check` holds to `max_cue` or `max_probe` keeps its count: those limits
    /// bound statistics of the whole split, which a few dozen records miss by chance (`default` at
    /// 0.01: 20-record eval splits with a cue at 0.65), and its controller and node-count shares
    /// need the records to balance (the generator refuses `default`'s eval splits at half their
    /// count). A training split scales (it is the bulk of a corpus); `check` holds its tasks to
    /// the limits from 1,000 records up.
    public func scaledCount(by factor: Double) -> Int {
        if role == .eval && (maxCue != nil || maxProbe != nil) { return count }
        let exact = Double(count) * factor
        // The tolerance keeps 5000 × 0.01 (= 50.000000000000007) at 50.
        var n = max(1, Int((exact - exact * 1e-12).rounded(.up)))
        if twins != .off && n % 2 == 1 { n += 1 }
        return min(n, count)
    }

    /// The (nodes, edges) pairs this split's graphs can have (distractors excluded).
    public var shapes: Set<[Int]> {
        var out = Set<[Int]>()
        for n in nodeCounts { for m in family.edgeCountRange(nodes: n) { out.insert([n, m]) } }
        return out
    }
}

/// A located problem in a recipe.
public struct RecipeError: UserError, Sendable, Equatable {
    /// `file:line:col: error: what` (see `UserError`).
    public var isLocated: Bool { true }
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// The error beneath this one (`UserError.underlying`): a grammar that does not load.
    public var underlying: (any Error)?

    public init(file: String, line: Int, column: Int, message: String, underlying: (any Error)? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        line > 0
            ? UserErrorLine.located(file: file, line: line, column: column, message)
            : UserErrorLine.located(file: file, message)
    }

    /// Two recipe errors are equal when they say the same thing at the same place.
    public static func == (a: RecipeError, b: RecipeError) -> Bool {
        (a.file, a.line, a.column, a.message) == (b.file, b.line, b.column, b.message)
    }
}

/// A surface cue planted as a shortcut (`confound: {cue: x-first, agreement: 1.0}`): in each
/// shard, the share `agreement` of each task's Yes records and of its No records have the cue's
/// value equal to their label (⌈share · n⌉ of n, per label), the rest its opposite. Training at 1.0 and evaluating at 0.0 or 0.5
/// is the confounded-training / deconfounded-evaluation design (Lampinen et al.).
public struct Confound: Sendable, Hashable {
    /// A cue every task of the split reports (`axiomc tasks`: its cues), e.g. `x-first`: the
    /// listing position of the asked nodes.
    public var cue: String
    /// The share of records whose cue value is their label, in hundredths (100: the cue is the
    /// label; 0: its negation is; 50: it carries no signal).
    public var agreement: Int

    public init(cue: String, agreement: Int) {
        self.cue = cue
        self.agreement = agreement
    }

    /// Whether the next record (of a task and label) should agree, after `agreed` of `records`
    /// did: the quota that keeps ⌈agreement · n / 100⌉ of every n agreeing.
    public func nextAgrees(agreed: Int, records: Int) -> Bool { agreed * 100 < agreement * (records + 1) }

    /// Whether `agreed` of `records` is exactly the quota's ⌈agreement · records / 100⌉.
    public func isQuota(agreed: Int, records: Int) -> Bool {
        agreed * 100 >= agreement * records && agreed * 100 < agreement * records + 100
    }
}

/// How a split pairs its questions with contrastive twins: the same names, sentences, wording
/// and question over the same undirected skeleton, with edge directions changed so that the
/// label flips.
public enum TwinMode: String, Sendable, Hashable {
    /// No twins (`twins: false`).
    case off
    /// After a question, a twin with one reversed edge that touches no node the question names
    /// and leaves every cue value as it was, where one exists (`twins: true`).
    case some
    /// Every question comes with a twin (`twins: all`): any re-orientation of the skeleton that
    /// stays acyclic and flips the label — one reversed edge where that suffices, else a reversed
    /// path, else a fresh orientation. A question without a twin is not asked. Everything a
    /// reader computes while ignoring directions is then the same for a Yes and a No.
    ///
    /// A question about a causal model (in either mode) is twinned by the same graph with other
    /// tables: the same sentences with other numbers, every cue value the same (the observed
    /// association's sign among them) and the opposite label. Then nothing read off the graph
    /// or the wording predicts the label, only the numbers do.
    case all
}

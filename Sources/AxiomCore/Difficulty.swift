/// What makes a task's questions harder, as split settings on a scale of levels: a recipe's
/// `level:` (and `create_dataset(level=)`, `Curriculum` in Python) picks one value per attribute.
///
/// Level 1 is the easiest, `Difficulty.levels.upperBound` the hardest; the presets name three of
/// them. Every attribute is a split key of the recipe (`density` is the family's:
/// `branching_factor` for branching graphs, `edge_probability` for random ones); a key the split
/// sets itself wins over its level. What a level cannot set (the x–y distance, the question type)
/// is measured in every record's `meta` instead (`hops`, `type`).
public struct Difficulty: Sendable, Equatable {
    /// A difficulty attribute: the split key it sets.
    public enum Attribute: String, CaseIterable, Sendable {
        /// `nodes`: the graph's node count range.
        case nodes
        /// `branching_factor` (branching) or `edge_probability` (random): edges per node.
        case density
        /// `given_size`: the conditioning set's size (tasks that ask with one).
        case givenSize = "given_size"
        /// `distractors`: a disconnected chain of this many nodes mixed into the premise.
        case distractors
        /// `names.length`: characters per node name.
        case nameLength = "name_length"
        /// `order`: how the premise lists its sentences (graph order is the easiest to chain).
        case order
    }

    public static let levels = 1...5
    /// `easy`, `medium`, `hard`.
    public static let presets: [(name: String, level: Int)] = [("easy", 1), ("medium", 3), ("hard", 5)]

    /// The family a leveled split draws from unless it names one (`branching` or `random`).
    public var family: String
    /// Per attribute the task has, its value at each level (index 0 is level 1).
    public var nodes: [ClosedRange<Int>]
    public var density: [Double]
    /// Empty when the task asks without a conditioning set.
    public var givenSize: [ClosedRange<Int>]
    /// Empty when the premise cannot hold distractors (statistical premises name every variable).
    public var distractors: [Int]
    public var nameLength: [ClosedRange<Int>]
    /// Premise orders by name (`graph`, `reversed`, `shuffled`); empty when the premise's order
    /// is not the task's to vary.
    public var order: [[String]]

    /// The attributes this task has, in `Attribute`'s order.
    public var attributes: [Attribute] {
        Attribute.allCases.filter { a in
            switch a {
            case .givenSize: !givenSize.isEmpty
            case .distractors: !distractors.isEmpty
            case .order: !order.isEmpty
            default: true
            }
        }
    }

    /// The level of a preset name or a number in `levels` written as text; nil for anything else.
    public static func level(named text: String) -> Int? {
        if let preset = presets.first(where: { $0.name == text }) { return preset.level }
        if let n = Int(text), levels.contains(n) { return n }
        return nil
    }

    /// A task over a premise of edges: branching graphs from 4–6 nodes in graph order with
    /// one-letter names up to 12–16 nodes, twice as many edges, shuffled, with distractors and
    /// names of 3–6 characters.
    public static func edges(conditioned: Bool) -> Difficulty {
        Difficulty(
            family: "branching",
            nodes: [4...6, 5...8, 7...10, 9...12, 12...16],
            density: [1.0, 1.2, 1.4, 1.7, 2.0],
            givenSize: conditioned ? [0...0, 0...1, 0...2, 1...3, 2...4] : [],
            distractors: [0, 0, 2, 3, 4],
            nameLength: [1...1, 1...2, 1...3, 2...4, 3...6],
            order: [
                ["graph"], ["graph", "reversed"], ["graph", "reversed", "shuffled"], ["reversed", "shuffled"],
                ["shuffled"],
            ]
        )
    }

    /// A task over a statistical premise (every variable's correlations and independences):
    /// random graphs from 3 to 7 variables, denser as they grow.
    public static let statistics = Difficulty(
        family: "random",
        nodes: [3...3, 3...4, 4...5, 5...6, 6...7],
        density: [0.3, 0.4, 0.5, 0.5, 0.6],
        givenSize: [],
        distractors: [],
        nameLength: [1...1, 1...1, 1...2, 1...3, 2...4],
        order: []
    )

    /// A task over a causal model (edges and probability tables): random graphs from 4 to 9
    /// variables, denser as they grow (confounders make the observed association differ from
    /// the effect), in every premise order; no distractors (every variable has a table).
    public static let model = Difficulty(
        family: "random",
        nodes: [4...4, 4...5, 5...6, 6...7, 7...9],
        density: [0.4, 0.45, 0.5, 0.5, 0.5],
        givenSize: [],
        distractors: [],
        nameLength: [1...1, 1...2, 1...2, 1...3, 2...4],
        order: [
            ["graph"], ["graph", "reversed"], ["graph", "reversed", "shuffled"], ["reversed", "shuffled"],
            ["shuffled"],
        ]
    )
}

import AxiomCore
import AxiomRecords

/// One episode as a corpus record: the expert's transcript (as chat turns and as one text), its
/// answer and explanation, the hidden model (for any reader to recompute), every experiment's
/// result and every answer's goal value (what the environment serves), and the rewards.
public enum EpisodeRecord {
    /// The id of episode `index` of `split`: "train-000042".
    public static func id(split: String, index: Int) -> String {
        split + "-" + String(repeating: "0", count: max(0, 6 - String(index).count)) + String(index)
    }

    /// The record of `episode` as one JSON object, its keys in a fixed order.
    public static func json(_ episode: Episode, id: String, split: String, explanations: Bool = true) -> JSONValue {
        let text = EpisodeText(episode)
        return json(
            episode,
            text: text,
            play: ExpertPlay(episode, order: text.order),
            id: id,
            split: split,
            explanations: explanations
        )
    }

    /// The record of `episode`, its text and the expert's play already made.
    static func json(
        _ episode: Episode,
        text: EpisodeText,
        play: ExpertPlay,
        id: String,
        split: String,
        explanations: Bool
    ) -> JSONValue {
        let (best, worst) = episode.extremes
        let prompt = text.prompt
        let turns = text.turns(play, explanations: explanations)
        var messages: [JSONValue] = [.object([("role", "user"), ("content", .string(prompt))])]
        for t in turns { messages.append(.object([("role", .string(t.role)), ("content", .string(t.content))])) }
        let transcript = ([prompt] + turns.map(\.content)).joined(separator: "\n")
        let final = turns[turns.count - 1].content
        let explanation = final.split(separator: "\n").dropLast().joined(separator: "\n")
        let names = text.names
        let model = episode.model
        var edges: [JSONValue] = []
        for v in text.order {
            for (k, p) in model.parents[v].enumerated() {
                edges.append([.string(names[p]), .string(names[v]), JSONValue(model.weights[v][k])])
            }
        }
        var results: [(String, JSONValue)] = []
        for v in text.order {
            for s in episode.level.settings {
                let a = Action(v, s)
                results.append((text.action(a), .string(text.result(a))))
            }
        }
        var values: [(String, JSONValue)] = []
        for v in text.order where v != episode.goal {
            for s in episode.level.settings {
                let a = Action(v, s)
                values.append((text.action(a), JSONValue(episode.goalValue(a))))
            }
        }
        let level = episode.level
        return .object([
            ("id", .string(id)),
            ("split", .string(split)),
            ("axiom", "episode"),
            ("seed", JSONValue(Int(episode.seed))),
            ("level", levelJSON(level)),
            ("explanations", .bool(explanations)),
            ("variables", .array(text.order.map { .string(names[$0]) })),
            ("goal", .string(names[episode.goal])),
            ("budget", JSONValue(episode.budget)),
            ("prompt", .string(prompt)),
            ("messages", .array(messages)),
            ("text", .string(transcript)),
            ("experiments", .array(play.experiments.map { .string(text.action($0)) })),
            ("explanation", .string(explanation)),
            ("answer", .string(text.action(play.answer))),
            ("best", JSONValue(best)),
            ("worst", JSONValue(worst)),
            ("expert_value", JSONValue(episode.goalValue(play.answer))),
            ("expert_reward", .string(EpisodeText.number(episode.reward(play.answer)))),
            ("random_reward", .string(EpisodeText.number(episode.randomReward))),
            ("top_setting_reward", .string(EpisodeText.number(episode.topSettingReward))),
            ("cues", .object([(EpisodeText.answerFirstCue, .bool(text.answerFirst(play)))])),
            (
                "hidden",
                .object([
                    ("edges", .array(edges)),
                    ("constants", .object(text.order.map { (names[$0], JSONValue(model.constants[$0])) })),
                ])
            ),
            ("results", .object(results)),
            ("values", .object(values)),
        ])
    }

    static func levelJSON(_ level: EpisodeLevel) -> JSONValue {
        var family: [(String, JSONValue)] = [("family", .string(level.family.name))]
        switch level.family {
        case let .branching(factor, _, _): family.append(("branching_factor", .number(factor)))
        case let .random(p): family.append(("edge_probability", .number(p)))
        case let .flippedChain(p): family.append(("flip_probability", .number(p)))
        case .chain: break
        }
        return .object(
            [("nodes", JSONValue(level.nodes))] + family + [
                ("weights", [JSONValue(level.weights.lowerBound), JSONValue(level.weights.upperBound)]),
                ("constants", [JSONValue(level.constants.lowerBound), JSONValue(level.constants.upperBound)]),
                ("settings", [JSONValue(level.settings.lowerBound), JSONValue(level.settings.upperBound)]),
                ("noise", JSONValue(level.noise)),
                ("trials", JSONValue(level.trials)),
            ] + structures(level.structures) + [("goal", .string(level.goal.rawValue))]
        )
    }

    static func structures(_ filter: StructureFilter) -> [(String, JSONValue)] {
        switch filter {
        case .all: [("structures", "all")]
        case let .seen(f): [("structures", "seen"), ("held_out_structures", .number(f))]
        case let .heldOut(f): [("structures", "held-out"), ("held_out_structures", .number(f))]
        }
    }

    /// The level a record states (its `level` object), or a message saying what is wrong.
    public static func level(_ json: JSONValue?) throws(EpisodeError) -> EpisodeLevel {
        guard let json, case .object = json else { throw EpisodeError("no level object") }
        func int(_ key: String) throws(EpisodeError) -> Int {
            guard let v = json[key]?.int else { throw EpisodeError("level.\(key) is not a whole number") }
            return v
        }
        func range(_ key: String) throws(EpisodeError) -> ClosedRange<Int> {
            guard let a = json[key]?.array, a.count == 2, let lo = a[0].int, let hi = a[1].int, lo <= hi else {
                throw EpisodeError("level.\(key) is not [low, high]")
            }
            return lo...hi
        }
        let family: GraphFamily
        switch json["family"]?.string {
        case "branching":
            guard let f = json["branching_factor"]?.double else { throw EpisodeError("level.branching_factor missing") }
            family = .branching(factor: f, connected: true)
        case "random":
            guard let p = json["edge_probability"]?.double else { throw EpisodeError("level.edge_probability missing") }
            family = .random(edgeProbability: p)
        case "chain": family = .chain
        case "flipped-chain":
            guard let p = json["flip_probability"]?.double else { throw EpisodeError("level.flip_probability missing") }
            family = .flippedChain(flipProbability: p)
        case let other:
            throw EpisodeError("level.family '\(other ?? "")' is not branching, random, chain or flipped-chain")
        }
        let structures: StructureFilter
        switch json["structures"]?.string {
        case "all": structures = .all
        case let name? where name == "seen" || name == "held-out":
            guard let f = json["held_out_structures"]?.double else {
                throw EpisodeError("level.held_out_structures missing")
            }
            structures = name == "seen" ? .seen(fraction: f) : .heldOut(fraction: f)
        case let other: throw EpisodeError("level.structures '\(other ?? "")' is not all, seen or held-out")
        }
        guard let goal = GoalPosition(rawValue: json["goal"]?.string ?? "") else {
            throw EpisodeError("level.goal is not any, sink or inner")
        }
        let level = EpisodeLevel(
            nodes: try int("nodes"),
            family: family,
            weights: try range("weights"),
            constants: try range("constants"),
            settings: try range("settings"),
            trials: try int("trials"),
            noise: try int("noise"),
            structures: structures,
            goal: goal
        )
        if let problem = level.problem { throw EpisodeError("level: \(problem)") }
        return level
    }
}

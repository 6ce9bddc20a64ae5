import AxiomCore
import AxiomRecords
import Foundation

/// Scores a model's episode transcripts against the gold corpus: each transcript's actions are
/// replayed against the hidden model the gold record keeps (experiments counted against the
/// budget, the answer's goal value looked up), and the answer earns the normalized reward
/// (reached - worst) / (best - worst). An invalid action, an experiment over the budget or a
/// missing answer scores 0, with a located message saying why.
public enum EpisodeScore {
    public struct Outcome: Sendable, Equatable {
        public var id: String
        public var reward: Rational
        public var experiments: Int
        /// Why the transcript scored 0 without reaching an answer (nil when it answered validly).
        public var problem: String?
        /// The graph the transcript states, scored against the hidden one (nil: none stated).
        public var edges: EdgeScore?
    }

    /// A stated graph against the hidden one: precision and recall of its directed edges, F1 =
    /// 2·tp / (stated + hidden) (1 when both are empty).
    public struct EdgeScore: Sendable, Equatable {
        public var precision: Rational
        public var recall: Rational
        public var f1: Rational

        public init(stated: Set<[String]>, hidden: Set<[String]>) {
            let tp = stated.intersection(hidden).count
            precision = stated.isEmpty ? .one : Rational(tp, stated.count)
            recall = hidden.isEmpty ? .one : Rational(tp, hidden.count)
            f1 = stated.isEmpty && hidden.isEmpty ? .one : Rational(2 * tp, stated.count + hidden.count)
        }
    }

    public struct Report: Sendable {
        public var outcomes: [Outcome] = []
        /// Gold episodes no transcript answers (scored 0 in the means).
        public var missing: [String] = []
        /// Messages for invalid transcripts: `file:line: error: id: why`.
        public var problems: [String] = []
        public var episodes: Int { outcomes.count + missing.count }
        public var meanReward: Rational {
            Rational(1, max(1, episodes)) * outcomes.reduce(.zero) { $0 + $1.reward }
        }
        public var successRate: Rational { Rational(outcomes.filter { $0.reward == .one }.count, max(1, episodes)) }
        public var meanExperiments: Rational {
            Rational(outcomes.reduce(0) { $0 + $1.experiments }, max(1, outcomes.count))
        }

        /// Transcripts stating a graph, and their mean edge scores.
        public var graphs: [EdgeScore] { outcomes.compactMap(\.edges) }
        func meanEdge(_ part: (EdgeScore) -> Rational) -> JSONValue {
            let g = graphs
            if g.isEmpty { return .null }
            return .string((Rational(1, g.count) * g.reduce(.zero) { $0 + part($1) }).decimal(places: 4))
        }

        public var json: JSONValue {
            .object([
                ("episodes", JSONValue(episodes)),
                ("scored", JSONValue(outcomes.count)),
                ("missing", JSONValue(missing.count)),
                ("invalid", JSONValue(outcomes.filter { $0.problem != nil }.count)),
                ("mean_reward", .string(meanReward.decimal(places: 4))),
                ("success_rate", .string(successRate.decimal(places: 4))),
                ("mean_experiments", .string(meanExperiments.decimal(places: 2))),
                ("graphs_stated", JSONValue(graphs.count)),
                ("edge_precision", meanEdge(\.precision)),
                ("edge_recall", meanEdge(\.recall)),
                ("edge_f1", meanEdge(\.f1)),
                ("problems", .array(problems.prefix(20).map { .string($0) })),
            ])
        }
    }

    /// Gold records by id, from a corpus directory (every split file its manifest lists) or one
    /// JSONL file.
    public static func gold(_ path: String) throws -> [String: JSONValue] {
        var files: [String] = []
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            guard let data = FileManager.default.contents(atPath: path + "/manifest.json"),
                let splits = try JSONValue.parse(Array(data))["splits"]?.array
            else { throw IOError(path: path + "/manifest.json", message: "cannot read an episodes manifest") }
            files = splits.compactMap { $0["file"]?.string }.map { path + "/" + $0 }
        } else {
            files = [path]
        }
        var out: [String: JSONValue] = [:]
        for file in files {
            try LineReader.forEachLine(path: file) { buffer, number in
                let record: JSONValue
                do { record = try JSONValue.parse(buffer) } catch {
                    throw CLIStyleError(UserErrorLine.located(file: file, line: number, "not JSON: \(error)"))
                }
                guard let id = record["id"]?.string else {
                    throw CLIStyleError(UserErrorLine.located(file: file, line: number, "a gold record without an id"))
                }
                out[id] = record
            }
        }
        return out
    }

    /// Scores the transcripts in `path` (JSONL: `{"id", "actions": [turn, …]}` or `{"id",
    /// "text": the model's turns, one action per line}`) against `gold`.
    public static func run(gold: [String: JSONValue], transcripts path: String) throws -> Report {
        var report = Report()
        var answered = Set<String>()
        try LineReader.forEachLine(path: path) { buffer, number in
            if buffer.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            func located(_ message: String) -> String { UserErrorLine.located(file: path, line: number, message) }
            let line: JSONValue
            do { line = try JSONValue.parse(buffer) } catch {
                throw CLIStyleError(located("not JSON: \(error)"))
            }
            guard let id = line["id"]?.string else { throw CLIStyleError(located("a transcript without an id")) }
            guard let record = gold[id] else {
                throw CLIStyleError(located("'\(id)' is no episode of the gold corpus"))
            }
            guard answered.insert(id).inserted else { throw CLIStyleError(located("'\(id)' is scored twice")) }
            let turns: [String]
            if let actions = line["actions"]?.array {
                turns = actions.compactMap(\.string)
                guard turns.count == actions.count else { throw CLIStyleError(located("actions must be strings")) }
            } else if let text = line["text"]?.string {
                turns = turnsOf(text)
            } else {
                throw CLIStyleError(located("a transcript needs 'actions' (a list of turns) or 'text'"))
            }
            var outcome = try score(record, turns: turns, id: id)
            do {
                outcome.edges = try edgeScore(record, stated: line["graph"], turns: turns)
            } catch {
                report.problems.append(located("\(id): graph not scored: \(error)"))
            }
            if let problem = outcome.problem {
                report.problems.append(located("\(id): \(problem)"))
                outcome.reward = .zero
            }
            report.outcomes.append(outcome)
        }
        report.missing = gold.keys.filter { !answered.contains($0) }.sorted()
        return report
    }

    /// The turns of raw text: each "Experiment k: …" line is one; the lines after the last
    /// experiment (its "Result:" lines left out) are the answer turn, an explanation before the
    /// answer included. Lines before an experiment (a copied prompt, thoughts) are no turn.
    public static func turnsOf(_ text: String) -> [String] {
        var turns: [String] = []
        var rest: [Substring] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let lower = line.trimmingWhitespace().lowercased()
            if isExperimentTurn(lower) {
                turns.append(String(line))
                rest = []
            } else if !lower.hasPrefix("result:") {
                rest.append(line)
            }
        }
        if !rest.isEmpty { turns.append(rest.joined(separator: "\n")) }
        return turns
    }

    /// The graph a transcript states — its `"graph"` field (`[[from, to], …]` or `"A -> B, …"`) or
    /// else the last line of its turns that starts `Graph:` ("Graph: A -> B, B -> C." or "Graph:
    /// none.") — scored against the gold record's hidden edges; nil when it states none.
    public static func edgeScore(_ record: JSONValue, stated: JSONValue?, turns: [String]) throws -> EdgeScore? {
        guard let names = record["variables"]?.array?.compactMap(\.string),
            let hiddenEdges = record["hidden"]?["edges"]?.array
        else { throw EpisodeError("the gold record lacks its variables or hidden edges") }
        let hidden = Set(
            hiddenEdges.compactMap { e -> [String]? in
                guard let a = e[0]?.string, let b = e[1]?.string else { return nil }
                return [a, b]
            }
        )
        func variable(_ raw: Substring) throws -> String {
            let n = raw.trimmingWhitespace()
            guard let name = names.first(where: { $0.lowercased() == n.lowercased() }) else {
                throw EpisodeError("'\(n)' is not a variable of this system")
            }
            return name
        }
        func parse(_ text: Substring) throws -> Set<[String]> {
            var t = text.trimmingWhitespace()
            if t.hasSuffix(".") { t = t.dropLast().trimmingWhitespace() }
            if t.isEmpty || EpisodeText.asciiLowered(t) == "none" { return [] }
            var edges = Set<[String]>()
            for part in t.split(whereSeparator: { $0 == "," || $0 == ";" }) {
                let ends = part.replacingOccurrences(of: "→", with: "->").components(separatedBy: "->")
                guard ends.count == 2 else { throw EpisodeError("'\(part.trimmingWhitespace())' is no edge 'X -> Y'") }
                edges.insert([try variable(Substring(ends[0])), try variable(Substring(ends[1]))])
            }
            return edges
        }
        if let stated, stated != .null {
            if let text = stated.string { return EdgeScore(stated: try parse(Substring(text)), hidden: hidden) }
            guard let list = stated.array else {
                throw EpisodeError("'graph' is neither a list of [from, to] nor text")
            }
            var edges = Set<[String]>()
            for e in list {
                guard let pair = e.array, pair.count == 2, let a = pair[0].string, let b = pair[1].string else {
                    throw EpisodeError("a 'graph' edge is not [from, to]")
                }
                edges.insert([try variable(Substring(a)), try variable(Substring(b))])
            }
            return EdgeScore(stated: edges, hidden: hidden)
        }
        let lines = turns.flatMap { $0.split(separator: "\n") }
        guard let line = lines.last(where: { EpisodeText.asciiLowered($0.trimmingWhitespace()).hasPrefix("graph:") })
        else { return nil }
        return EdgeScore(stated: try parse(line.trimmingWhitespace().dropFirst("graph:".count)), hidden: hidden)
    }

    /// Whether a lowered line opens an experiment turn: "experiment", an optional number, then a
    /// colon ("Experiment 2: set A to 5."; not "Experiment 1 showed that …").
    static func isExperimentTurn(_ lower: String) -> Bool {
        guard lower.hasPrefix("experiment") else { return false }
        var rest = lower.dropFirst("experiment".count).drop { $0 == " " || $0 == "\t" }
        rest = rest.drop { $0.isASCII && $0.isNumber }.drop { $0 == " " || $0 == "\t" }
        return rest.first == ":"
    }

    /// One transcript's outcome.
    public static func score(_ record: JSONValue, turns: [String], id: String) throws -> Outcome {
        let level = try EpisodeRecord.level(record["level"])
        guard let seed = record["seed"]?.int, seed >= 0, let episode = Episode(level: level, seed: UInt64(seed)) else {
            throw EpisodeError("gold record '\(id)' cannot be regenerated")
        }
        let text = EpisodeText(episode)
        var outcome = Outcome(id: id, reward: .zero, experiments: 0, problem: nil)
        for (k, turn) in turns.enumerated() {
            let move: EpisodeText.Move
            do { move = try text.readMove(turn) } catch {
                outcome.problem = "turn \(k + 1): \(error)"
                return outcome
            }
            switch move {
            case let .experiment(a):
                guard episode.isExperiment(a) else {
                    outcome.problem =
                        "turn \(k + 1): \(a.value) is outside the settings \(level.settings.lowerBound)...\(level.settings.upperBound)"
                    return outcome
                }
                outcome.experiments += 1
                guard outcome.experiments <= episode.budget else {
                    outcome.problem =
                        "turn \(k + 1): experiment \(outcome.experiments) is over the budget of \(episode.budget)"
                    return outcome
                }
            case let .answer(a):
                guard a.node != episode.goal else {
                    outcome.problem = "turn \(k + 1): the answer sets the goal \(text.names[a.node]) itself"
                    return outcome
                }
                guard level.settings.contains(a.value) else {
                    outcome.problem =
                        "turn \(k + 1): \(a.value) is outside the settings \(level.settings.lowerBound)...\(level.settings.upperBound)"
                    return outcome
                }
                guard k == turns.count - 1 else {
                    outcome.problem = "turn \(k + 1): the answer is not the last turn"
                    return outcome
                }
                outcome.reward = episode.reward(a)
                return outcome
            }
        }
        outcome.problem = "no answer ('Answer: set X to v.')"
        return outcome
    }
}

import AxiomCore
import AxiomRecords
import Crypto
import Dispatch
import Foundation

/// Checks an episodes corpus record by record: each line is regenerated from its seed and level
/// and must be byte-identical; the hidden model as the record states it must give every answer's
/// goal value by a second algorithm (path sums of the weights, not the solver); the explanation
/// is replayed from the transcript's observations alone (never the hidden model) and must reach
/// the stated answer; on a noise-free level that answer must be optimal.
public enum EpisodeCheck {
    public struct Report: Sendable {
        public var records = 0
        public var optimal = 0
        public var exactRecords = 0
    }

    /// Whether `directory` holds an episodes corpus (its manifest says `kind: episodes`).
    public static func isEpisodes(directory: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: directory + "/manifest.json"),
            let manifest = try? JSONValue.parse(Array(data))
        else { return false }
        return manifest["kind"]?.string == "episodes"
    }

    /// Checks every split file the manifest in `directory` lists on `jobs` threads (records in
    /// batches, each batch's records at once; the split's sums in file order); throws the first
    /// problem in file order as `file:line: error: what`.
    public static func run(directory: String, jobs: Int = 1) throws -> Report {
        let manifestPath = directory + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw IOError(path: manifestPath, message: "cannot read the manifest")
        }
        let manifest = try JSONValue.parse(Array(data))
        guard manifest["kind"]?.string == "episodes", let splits = manifest["splits"]?.array else {
            throw IOError(path: manifestPath, message: "not an episodes manifest (kind: episodes, splits)")
        }
        var report = Report()
        for split in splits {
            try checkSplit(split, directory: directory, manifestPath: manifestPath, jobs: jobs, into: &report)
        }
        return report
    }

    /// Checks one split's file: every record, then the file's size and hash, the manifest's
    /// sums and the planted cue's share.
    private static func checkSplit(
        _ split: JSONValue,
        directory: String,
        manifestPath: String,
        jobs: Int,
        into report: inout Report
    ) throws {
        guard let file = split["file"]?.string, let count = split["count"]?.int else {
            throw IOError(path: manifestPath, message: "a split lacks its file or count")
        }
        let path = directory + "/" + file
        let expected = try Expected(split, file: file, manifestPath: manifestPath)
        var lines = 0
        var tally = EpisodeTally()
        var hasher = SHA256()
        var bytes = 0
        var batch: [[UInt8]] = []
        try LineReader.forEachLine(path: path) { buffer, number in
            lines = number
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            hasher.update(data: [0x0A])
            bytes += buffer.count + 1
            batch.append(Array(buffer))
            if batch.count == 1024 {
                try checkBatch(batch, first: lines - batch.count + 1, path: path, expected, jobs, &tally, &report)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty {
            try checkBatch(batch, first: lines - batch.count + 1, path: path, expected, jobs, &tally, &report)
        }
        guard lines == count else {
            throw IOError(path: path, message: "\(lines) records, but the manifest says \(count)")
        }
        guard split["sha256"]?.string == hasher.finalize().hex, split["bytes"]?.int == bytes else {
            throw IOError(path: path, message: "the file's sha256 or size is not the manifest's")
        }
        for (key, value) in tally.summary where !sameJSON(split[key], value) {
            throw IOError(path: manifestPath, message: "split '\(file)': \(key) is not what the records give")
        }
        try checkPlantedShare(split, tally: tally, count: count, path: path)
    }

    /// Checks a batch of record lines (numbered from `first`) on `jobs` threads, then adds them
    /// to the tally and the report in file order; the first problem in file order is thrown.
    private static func checkBatch(
        _ batch: [[UInt8]],
        first: Int,
        path: String,
        _ expected: Expected,
        _ jobs: Int,
        _ tally: inout EpisodeTally,
        _ report: inout Report
    ) throws {
        let results = ResultSlots<Result<(Bool?, JSONValue), any Error>>(count: batch.count)
        let workers = min(max(1, jobs), batch.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: batch.count, by: workers) {
                results.set(
                    i,
                    Result {
                        let record = try JSONValue.parse(batch[i])
                        try expected.matches(record, line: first + i)
                        return (try check(batch[i], record: record), record)
                    }
                )
            }
        }
        for (i, result) in results.values.enumerated() {
            let number = first + i
            do {
                let (optimal, record) = try result!.get()
                try tally.add(record: record)
                report.records += 1
                if let optimal {
                    report.exactRecords += 1
                    if optimal { report.optimal += 1 }
                }
            } catch let e as EpisodeError {
                throw CLIStyleError(UserErrorLine.located(file: path, line: number, e.description))
            } catch let e as JSONValue.ParseError {
                throw CLIStyleError(UserErrorLine.located(file: path, line: number, "not JSON: \(e)"))
            }
        }
    }

    /// A planted cue holds in exactly its share of the split (rounded down).
    private static func checkPlantedShare(_ split: JSONValue, tally: EpisodeTally, count: Int, path: String) throws {
        guard
            let share = split["confound"]?["agreement"]?.string.flatMap({ EpisodeText.parseNumber(Substring($0)) })
        else { return }
        let hundredths = share * Rational(100)
        guard hundredths.denominator == .one, let h = hundredths.numerator.intValue,
            tally.answerFirst == count * h / 100
        else {
            throw IOError(
                path: path,
                message:
                    "the planted cue holds in \(tally.answerFirst) of \(count) episodes, not the \(share) the manifest states"
            )
        }
    }

    /// Equal JSON values, objects compared key by key in any order (a manifest rewritten by
    /// another tool may reorder its keys).
    static func sameJSON(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case let (.object(x)?, .object(y)?):
            let keys = Set(x.map(\.0))
            return x.count == y.count && keys.count == x.count && keys == Set(y.map(\.0))
                && x.allSatisfy { pair in sameJSON(pair.1, y.first { $0.0 == pair.0 }?.1) }
        case let (.array(x)?, .array(y)?): return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
        default: return a == b
        }
    }

    /// What the manifest says of every record of a split: its name, its level (the node count
    /// aside, which lies in `nodes`) and whether it explains; ids number the lines.
    struct Expected: Sendable {
        var split: String
        var level: JSONValue
        var nodes: ClosedRange<Int>
        var explanations: JSONValue?

        /// What the manifest's `split` entry states.
        init(_ split: JSONValue, file: String, manifestPath: String) throws {
            guard let name = split["name"]?.string, let level = split["level"],
                let nodes = split["nodes"]?.array?.compactMap(\.int), nodes.count == 2
            else { throw IOError(path: manifestPath, message: "split '\(file)' lacks its name, level or nodes") }
            self.split = name
            self.level = level
            self.nodes = nodes[0]...max(nodes[0], nodes[1])
            self.explanations = split["explanations"]
        }

        func matches(_ record: JSONValue, line: Int) throws {
            let id = EpisodeRecord.id(split: split, index: line - 1)
            guard record["split"]?.string == split, record["id"]?.string == id else {
                throw EpisodeError("the record is not '\(id)' of split '\(split)'")
            }
            guard case let .object(pairs)? = record["level"], case let .object(want) = level,
                let n = record["level"]?["nodes"]?.int, nodes.contains(n),
                sameJSON(.object(pairs.filter { $0.0 != "nodes" }), .object(want.filter { $0.0 != "nodes" }))
            else { throw EpisodeError("the record's level is not its split's (as the manifest states it)") }
            if let explanations, record["explanations"] != explanations {
                throw EpisodeError("the record's 'explanations' is not its split's")
            }
        }
    }

    /// Checks one record line; returns whether the expert's answer is optimal on a noise-free
    /// level (nil on a noisy one).
    public static func check(_ line: [UInt8]) throws -> Bool? { try check(line, record: try JSONValue.parse(line)) }

    /// `check(_:)` of a line already parsed.
    static func check(_ line: [UInt8], record: JSONValue) throws -> Bool? {
        let level = try EpisodeRecord.level(record["level"])
        guard let seed = record["seed"]?.int, seed >= 0, let id = record["id"]?.string,
            let split = record["split"]?.string
        else { throw EpisodeError("the record lacks its id, split or seed") }
        guard let episode = Episode(level: level, seed: UInt64(seed)) else {
            throw EpisodeError("no episode can be drawn at the record's level")
        }
        guard case let .bool(explanations)? = record["explanations"] else {
            throw EpisodeError("the record lacks 'explanations' (true or false)")
        }
        let regenerated = EpisodeRecord.json(episode, id: id, split: split, explanations: explanations).serialized()
        guard Array(regenerated.utf8) == line else {
            throw EpisodeError("the record differs from its regeneration from seed \(seed) and its level")
        }
        try checkValues(record, level: level)
        let answer = explanations ? try replay(record, level: level) : try bareAnswer(record)
        guard answer == record["answer"]?.string else {
            throw EpisodeError(
                "the explanation reaches '\(answer)', the record answers '\(record["answer"]?.string ?? "")'"
            )
        }
        guard let value = record["values"]?[answer]?.int, let best = record["best"]?.int else {
            throw EpisodeError("the answer '\(answer)' has no goal value")
        }
        if level.isExact {
            guard value == best else {
                throw EpisodeError("noise-free, yet the expert's answer reaches \(value), not \(best)")
            }
            return true
        }
        return nil
    }

    /// The record's hidden model, rebuilt from its edges and constants.
    static func hiddenModel(_ record: JSONValue) throws -> (StructuralModel, names: [String], goal: Int) {
        guard let names = record["variables"]?.array?.compactMap(\.string), let goalName = record["goal"]?.string,
            let goal = names.firstIndex(of: goalName), let edges = record["hidden"]?["edges"]?.array,
            let constants = record["hidden"]?["constants"]
        else { throw EpisodeError("the record lacks its variables, goal or hidden model") }
        var graph = CausalGraph(nodeCount: names.count)
        var weight: [CausalGraph.Edge: Int] = [:]
        for e in edges {
            guard let a = e[0]?.string.flatMap(names.firstIndex), let b = e[1]?.string.flatMap(names.firstIndex),
                let w = e[2]?.int
            else { throw EpisodeError("a hidden edge is not [from, to, weight]") }
            graph.addEdge(a, b)
            weight[CausalGraph.Edge(a, b)] = w
        }
        let weights = (0..<names.count).map { v in
            graph.parents(of: v).sorted().map { weight[CausalGraph.Edge($0, v)] ?? 0 }
        }
        let c = try names.map { (n: String) throws(EpisodeError) -> Int in
            guard let v = constants[n]?.int else { throw EpisodeError("no constant for \(n)") }
            return v
        }
        do {
            return (try StructuralModel(graph: graph, weights: weights, constants: c), names, goal)
        } catch {
            throw EpisodeError("the hidden model is invalid: \(error)")
        }
    }

    /// Every answer's goal value by path sums: goal(do(v = s)) = goal + effect(v → goal) · (s - v),
    /// from the untouched system (setting a variable to its own value changes nothing).
    static func checkValues(_ record: JSONValue, level: EpisodeLevel) throws {
        let (model, names, goal) = try hiddenModel(record)
        if !level.structures.accepts(model.graph) {
            throw EpisodeError("the hidden graph's shape is outside the level's structures")
        }
        if !level.goal.admits(goal, in: model.graph) {
            throw EpisodeError("the goal \(names[goal]) is no \(level.goal.rawValue) of the hidden graph")
        }
        let untouched = model.values()
        var best = Int.min
        var worst = Int.max
        var count = 0
        for v in 0..<names.count where v != goal {
            let effect = model.totalEffect(from: v, to: goal)
            for s in level.settings {
                let expected = untouched[goal] + effect * (s - untouched[v])
                let key = "set \(names[v]) to \(s)"
                guard record["values"]?[key]?.int == expected else {
                    throw EpisodeError("values['\(key)'] is not \(expected), the path sums' value")
                }
                best = max(best, expected)
                worst = min(worst, expected)
                count += 1
            }
        }
        guard record["values"]?.keys.count == count else { throw EpisodeError("values lists other answers") }
        guard record["best"]?.int == best, record["worst"]?.int == worst else {
            throw EpisodeError("best/worst are not \(best)/\(worst), the path sums' extremes")
        }
    }

    /// The answer of a record without explanations: its last turn is "Answer: set X to v." alone.
    static func bareAnswer(_ record: JSONValue) throws -> String {
        guard let last = record["messages"]?.array?.last?["content"]?.string, last.hasPrefix("Answer: set "),
            last.hasSuffix("."), !last.contains("\n")
        else { throw EpisodeError("the last turn of a record without explanations is not 'Answer: set X to v.'") }
        return String(last.dropFirst("Answer: ".count).dropLast())
    }

    /// "X = 2, Y = -1.5" after `prefix`, ending in a period.
    static func observation(_ text: Substring, after prefix: String) throws -> [String: Rational] {
        guard text.hasPrefix(prefix), text.hasSuffix(".") else {
            throw EpisodeError("'\(text)' is no observation starting '\(prefix)'")
        }
        var out: [String: Rational] = [:]
        for part in text.dropFirst(prefix.count).dropLast().split(separator: ",") {
            let pieces = part.split(separator: "=")
            guard pieces.count == 2, let value = EpisodeText.parseNumber(pieces[1].trimmingWhitespace()) else {
                throw EpisodeError("'\(part)' is no 'X = value'")
            }
            out[String(pieces[0].trimmingWhitespace())] = value
        }
        return out
    }

    /// What the transcript's turns show: the untouched observation (the prompt's last line), and
    /// for each variable experimented on, the value it was set to and the goal's value then.
    static func observations(
        _ messages: [JSONValue],
        goal: String
    ) throws -> (
        baseline: [String: Rational], seen: [String: (value: Int, goal: Rational)]
    ) {
        guard let prompt = messages[0]["content"]?.string, let baselineLine = prompt.split(separator: "\n").last
        else { throw EpisodeError("no prompt") }
        let baseline = try observation(baselineLine, after: "Without intervention: ")
        var seen: [String: (value: Int, goal: Rational)] = [:]
        var k = 1
        while 2 * k < messages.count {
            guard let turn = messages[2 * k - 1]["content"]?.string, let result = messages[2 * k]["content"]?.string
            else { throw EpisodeError("message \(2 * k) has no content") }
            let words = turn.split(separator: " ")
            guard words.count == 6, words[0] == "Experiment", words[1] == "\(k):", words[2] == "set",
                words[4] == "to", let value = Int(words[5].dropLast())
            else { throw EpisodeError("turn \(2 * k - 1) '\(turn)' is no experiment") }
            let shown = try observation(Substring(result), after: "Result: ")
            guard shown[String(words[3])] == Rational(value), let g = shown[goal] else {
                throw EpisodeError("result \(k) does not show the variable set or the goal")
            }
            seen[String(words[3])] = (value, g)
            k += 1
        }
        return (baseline, seen)
    }

    /// Replays the explanation against the transcript's observations only; returns the answer it
    /// reaches ("set X to v").
    static func replay(_ record: JSONValue, level: EpisodeLevel) throws -> String {
        guard let messages = record["messages"]?.array, messages.count >= 2, let goal = record["goal"]?.string
        else { throw EpisodeError("the record lacks its messages or goal") }
        let (baseline, seen) = try observations(messages, goal: goal)
        guard let last = messages.last?["content"]?.string else { throw EpisodeError("no final turn") }
        var lines = last.split(separator: "\n")
        guard lines.count == seen.count + 2 else {
            throw EpisodeError("the final turn has \(lines.count) lines, not one per experiment and two more")
        }
        let answerLine = lines.removeLast()
        let choice = lines.removeLast()
        var largest: Rational?
        var tied = Set<String>()
        for line in lines {
            // "Setting V to h moved G from e0 to e1 while V went from v0 to h, so G changes by s
            // per unit of V, and V = o would give G = p."
            let w = line.split(separator: " ")
            let g = Substring(goal)
            guard w.count == 35, w[0] == "Setting", w[2] == "to", w[4] == "moved", w[5] == g, w[18] == g,
                w[32] == g, let h = Int(w[3]), let e0 = EpisodeText.parseNumber(w[7]),
                let e1 = EpisodeText.parseNumber(w[9]), w[11] == w[1], let v0 = EpisodeText.parseNumber(w[14]),
                w[16].dropLast() == w[3], let slope = EpisodeText.parseNumber(w[21]), w[25].dropLast() == w[1],
                w[27] == w[1], let o = Int(w[29]), let predicted = EpisodeText.parseNumber(w[34].dropLast())
            else { throw EpisodeError("'\(line)' is no estimate sentence") }
            let name = String(w[1])
            guard let experiment = seen[name], experiment.value == h else {
                throw EpisodeError("'\(line)' cites an experiment the transcript did not run")
            }
            guard baseline[goal] == e0, baseline[name] == v0, experiment.goal == e1 else {
                throw EpisodeError("'\(line)' misquotes the observations")
            }
            let recomputed = (e1 - e0) / (Rational(h) - v0)
            guard slope == recomputed, predicted == e0 + recomputed * (Rational(o) - v0) else {
                throw EpisodeError("'\(line)': the slope or the prediction is wrong")
            }
            guard level.settings.contains(o), o != h,
                [level.settings.lowerBound, level.settings.upperBound].contains(o)
            else { throw EpisodeError("'\(line)': \(o) is not the other end of the settings") }
            for (value, g) in [(h, e1), (o, predicted)] {
                if largest == nil || largest! < g {
                    largest = g
                    tied = []
                }
                if g == largest { tied.insert("\(name) to \(value)") }
            }
        }
        guard let largest else { throw EpisodeError("no estimate") }
        // "The largest predicted value of G is p, by setting X to v." with (X, v) one of the tied.
        let head = "The largest predicted value of \(goal) is \(EpisodeText.number(largest)), by setting "
        guard choice.hasPrefix(head), choice.hasSuffix("."),
            tied.contains(String(choice.dropFirst(head.count).dropLast()))
        else { throw EpisodeError("'\(choice)' is not a setting with the largest prediction") }
        let answer = "set " + choice.dropFirst(head.count).dropLast()
        guard answerLine == Substring("Answer: \(answer).") else {
            throw EpisodeError("'\(answerLine)' is not the answer")
        }
        return answer
    }
}

/// A located message (`file:line: error: what`) from library code.
public struct CLIStyleError: UserError {
    public var description: String
    public var isLocated: Bool { true }
    public init(_ description: String) { self.description = description }
}

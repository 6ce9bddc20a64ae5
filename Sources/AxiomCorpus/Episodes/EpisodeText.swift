import AxiomCore
import Foundation

/// The words of experiment-then-exploit episodes: the introduction, each experiment and what it
/// showed, the expert's explanation and answer, and the reading of actions back from text.
///
/// One wording, kept in this file: the environment (`axiomc.episodes` in the Python package)
/// writes the same bytes, and a test holds the two to it.
public struct EpisodeText: Sendable {
    public let episode: Episode
    /// Each variable's name, by node.
    public let names: [String]
    /// The nodes in listing order (names ascending): the text lists variables in this order, and
    /// the expert experiments in it.
    public let order: [Int]

    static let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ").map(String.init)
    static let nameStream = SeededRNG.streamID("episode-names")

    /// Names drawn from the seed: distinct capital letters (I and O left out, as they read as 1
    /// and 0), so a variable's name and its listing position tell nothing about the hidden graph.
    public init(_ episode: Episode) {
        self.episode = episode
        var rng = SeededRNG(seed: episode.seed, stream: Self.nameStream, index: 0)
        var pool = Self.letters
        rng.shuffle(&pool)
        let drawn = Array(pool.prefix(episode.model.graph.nodeCount))
        names = drawn
        order = drawn.indices.sorted { drawn[$0] < drawn[$1] }
    }

    var goalName: String { names[episode.goal] }

    /// The episode as the agent first sees it: the system, the rules, the action format, then
    /// the observation without intervention.
    public var prompt: String {
        let level = episode.level
        let n = names.count
        let listed = Self.list(order.map { names[$0] })
        let s = level.settings
        var text =
            "A hidden causal system has \(n) variables: \(listed). Each variable is a whole number: "
            + "a constant of its own plus a weighted sum of its direct causes, which are not shown."
        if !level.isExact {
            text +=
                " Each run adds a random whole number from \(-level.noise) to \(level.noise) to every variable, "
                + "and each value shown is the mean of \(level.trials) runs."
        }
        text +=
            " You may run up to \(episode.budget) experiments; an experiment sets one variable to a whole number "
            + "from \(s.lowerBound) to \(s.upperBound) and shows every variable's value. Then answer by setting "
            + "one variable other than \(goalName) to a whole number from \(s.lowerBound) to \(s.upperBound), "
            + "so that \(goalName) is as large as possible.\n"
            + "Write one action per turn: \"Experiment k: set X to v.\" to run an experiment, or "
            + "\"Answer: set X to v.\" to finish.\n"
        text += "Without intervention: " + values(episode.observe(nil)) + "."
        return text
    }

    /// "A, B and C".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// "A = 2, B = -1.5, C = 7/3" in listing order.
    func values(_ observation: [Rational]) -> String {
        order.map { names[$0] + " = " + Self.number(observation[$0]) }.joined(separator: ", ")
    }

    /// "set B to 5".
    public func action(_ a: Action) -> String { "set \(names[a.node]) to \(a.value)" }

    /// The k-th experiment's turn (k from 1).
    public func experimentTurn(_ a: Action, index k: Int) -> String { "Experiment \(k): \(action(a))." }

    /// What an experiment shows.
    public func result(_ a: Action) -> String { "Result: " + values(episode.observe(a)) + "." }

    /// The expert's last turn: one sentence per estimate, the choice, then the answer (only the
    /// answer without `explanations`).
    public func finalTurn(_ play: ExpertPlay, explanations: Bool = true) -> String {
        if !explanations { return "Answer: \(action(play.answer))." }
        var lines = play.estimates.map(estimateSentence)
        lines.append(
            "The largest predicted value of \(goalName) is \(Self.number(play.predicted)), by setting "
                + "\(names[play.answer.node]) to \(play.answer.value)."
        )
        lines.append("Answer: \(action(play.answer)).")
        return lines.joined(separator: "\n")
    }

    func estimateSentence(_ e: ExpertPlay.Estimate) -> String {
        let v = names[e.experiment.node]
        let g = goalName
        return "Setting \(v) to \(e.experiment.value) moved \(g) from \(Self.number(e.goalBefore)) to "
            + "\(Self.number(e.goalAfter)) while \(v) went from \(Self.number(e.natural)) to "
            + "\(e.experiment.value), so \(g) changes by \(Self.number(e.slope)) per unit of \(v), and "
            + "\(v) = \(e.other.value) would give \(g) = \(Self.number(e.otherGoal))."
    }

    /// The turns of the expert's play: (role, text) pairs after the prompt, alternating the
    /// agent's actions and the system's results, ending with the agent's answer.
    public func turns(_ play: ExpertPlay, explanations: Bool = true) -> [(role: String, content: String)] {
        var out: [(role: String, content: String)] = []
        for (k, a) in play.experiments.enumerated() {
            out.append(("assistant", experimentTurn(a, index: k + 1)))
            out.append(("user", result(a)))
        }
        out.append(("assistant", finalTurn(play, explanations: explanations)))
        return out
    }

    /// The surface cue an episodes split may plant (`confound`): the expert's answer sets the
    /// first variable listed other than the goal. A reader sees it without any experiment.
    public static let answerFirstCue = "answer-first"

    public func answerFirst(_ play: ExpertPlay) -> Bool {
        order.first { $0 != episode.goal } == play.answer.node
    }

    /// A number as the text writes it: a whole number, an exact decimal ("2.25") when the
    /// denominator has no prime factors but 2 and 5, else a reduced fraction ("-7/3").
    public static func number(_ r: Rational) -> String {
        if r.denominator == .one { return r.numerator.description }
        var d = r.denominator
        var places = 0
        let two = BigInt(2)
        let five = BigInt(5)
        while d.quotientAndRemainder(dividingBy: two).remainder.isZero {
            d = d.quotientAndRemainder(dividingBy: two).quotient
            places += 1
        }
        var fives = 0
        while d.quotientAndRemainder(dividingBy: five).remainder.isZero {
            d = d.quotientAndRemainder(dividingBy: five).quotient
            fives += 1
        }
        if d == .one { return r.decimal(places: max(places, fives)) }
        return r.description
    }

    /// Reads a number written by `number(_:)` (or any integer, decimal or fraction).
    public static func parseNumber(_ text: Substring) -> Rational? {
        var s = text
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        // Any number of digits (exact values can outgrow 64 bits), 18 at a time.
        func digits(_ t: Substring) -> BigInt? {
            guard !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            var value = BigInt.zero
            var rest = t
            while !rest.isEmpty {
                let chunk = rest.prefix(18)
                rest = rest.dropFirst(chunk.count)
                var scale = 1
                for _ in 0..<chunk.count { scale *= 10 }
                value = value * BigInt(scale) + BigInt(Int(chunk)!)
            }
            return value
        }
        var value: Rational
        if let slash = s.firstIndex(of: "/") {
            guard let n = digits(s[..<slash]), let d = digits(s[s.index(after: slash)...]), !d.isZero else {
                return nil
            }
            value = Rational(n, d)
        } else if let dot = s.firstIndex(of: ".") {
            let fraction = s[s.index(after: dot)...]
            guard let whole = digits(s[..<dot]), let f = digits(fraction) else { return nil }
            var scale = BigInt.one
            for _ in 0..<fraction.count { scale = scale * BigInt(10) }
            value = Rational(whole * scale + f, scale)
        } else {
            guard let n = digits(s) else { return nil }
            value = Rational(n, .one)
        }
        return negative ? -value : value
    }

    /// An action read from an agent's turn.
    public enum Move: Sendable, Equatable {
        case experiment(Action)
        case answer(Action)
    }

    /// Reads one turn: the last "Answer: set X to v" in it is an answer (an explanation may come
    /// first); otherwise "Experiment k: set X to v", "set X to v" or "do(X = v)" is an experiment.
    /// Keywords and names are read without regard to case; a trailing period is optional.
    /// Throws a message saying what is wrong.
    public func readMove(_ turn: String) throws(EpisodeError) -> Move {
        let text = turn.trimmingWhitespace()
        let lower = Self.asciiLowered(text)
        if let range = lower.range(of: "answer:", options: .backwards) {
            // The rest of that line (a "Graph:" line may follow).
            let start = text.index(
                text.startIndex,
                offsetBy: lower.distance(from: lower.startIndex, to: range.upperBound)
            )
            let tail = text[start...].prefix { !$0.isNewline }
            return .answer(try readAction(tail))
        }
        var body = Substring(text)
        if lower.hasPrefix("experiment"), let colon = body.firstIndex(of: ":") {
            body = body[body.index(after: colon)...]
        }
        return .experiment(try readAction(body))
    }

    /// `text` with A-Z lowered and every other character kept: the same characters at the same
    /// offsets (Unicode lowercasing may change a string's length).
    static func asciiLowered(_ text: some StringProtocol) -> String {
        String(text.map { c -> Character in c.isASCII && c.isUppercase ? Character(c.lowercased()) : c })
    }

    /// "set X to v" or "do(X = v)" or "X = v", with an optional final period.
    public func readAction(_ raw: Substring) throws(EpisodeError) -> Action {
        var s = raw.trimmingWhitespace()
        if s.hasSuffix(".") { s = s.dropLast().trimmingWhitespace() }
        let lower = Self.asciiLowered(s)
        var name: Substring
        var value: Substring
        if lower.hasPrefix("set "), let to = lower.range(of: " to ") {
            // In "set to 5" the first " to " overlaps "set ": the name is empty (as in Python).
            let offset = max(4, lower.distance(from: lower.startIndex, to: to.lowerBound))
            let end = lower.distance(from: lower.startIndex, to: to.upperBound)
            name = s[s.index(s.startIndex, offsetBy: 4)..<s.index(s.startIndex, offsetBy: offset)]
            value = s[s.index(s.startIndex, offsetBy: end)...]
        } else if let eq = s.firstIndex(of: "=") {
            name = s[..<eq]
            value = s[s.index(after: eq)...]
            if Self.asciiLowered(name).hasPrefix("do("), value.hasSuffix(")") {
                name = name.dropFirst(3)
                value = value.dropLast()
            }
        } else {
            throw EpisodeError("'\(raw.trimmingWhitespace())' is no action: write \"set X to v\"")
        }
        let n = name.trimmingWhitespace()
        guard let node = names.firstIndex(where: { $0.lowercased() == n.lowercased() }) else {
            throw EpisodeError("'\(n)' is not a variable of this system (\(Self.list(order.map { names[$0] })))")
        }
        guard let v = Int(value.trimmingWhitespace()) else {
            throw EpisodeError("'\(value.trimmingWhitespace())' is not a whole number")
        }
        return Action(node, v)
    }
}

/// What is wrong with an episode's text or an agent's action.
public struct EpisodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    func trimmingWhitespace() -> Substring { Substring(self).trimmingWhitespace() }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return self[first...last]
    }
}

extension MarkovBlanket {
    /// The blanket's parts, each checked against the graph.
    public func replay(_ steps: [ParsedStep], last: ParsedStep, in replay: inout ExplanationReplay) {
        replay.checkGiven(steps)
        replay.replayMarkovBlanket(steps, last: last)
    }
}

extension ExplanationReplay {
    mutating func replayMarkovBlanket(_ steps: [ParsedStep], last: ParsedStep) {
        let x = query.x
        var truth = parents(x).union(children(x))
        for c in children(x) { truth.formUnion(parents(c)) }
        truth.remove(x)
        let proposed = Set(query.set)
        var members = Set<Int>()
        var childrenStated = Set<Int>()
        for s in steps.dropLast() {
            if s.x != x { fail(s, "it is about \(name(s.x)), but the question asks about \(name(x))") }
            let member: Int
            switch s.kind {
            case "markov-blanket-parent":
                checkQuote(s, s.a, x)
                member = s.a
            case "markov-blanket-child":
                checkQuote(s, x, s.b)
                member = s.b
                childrenStated.insert(s.b)
            case "markov-blanket-co-parent":
                checkQuote(s, s.a, s.b)
                if !childrenStated.contains(s.b) {
                    fail(s, "no earlier step states that \(name(s.b)) is a child of \(name(x))")
                }
                member = s.a
            default:
                fail(s, "a '\(s.kind)' step does not belong before the blanket's conclusion")
                continue
            }
            if member == x { fail(s, "\(name(x)) is not in its own Markov blanket") }
            if !members.insert(member).inserted { fail(s, "\(name(member)) is stated twice") }
        }
        func blanket(_ set: [Int]?, _ s: ParsedStep) {
            let set = Set(set ?? [])
            if members != truth {
                fail(
                    nil,
                    "the Markov blanket of \(name(x)) is \(nameSet(truth)), but the steps derive \(nameSet(members))"
                )
            } else if set != members {
                fail(s, "the steps derive the blanket \(nameSet(members)), not \(nameSet(set))")
            }
        }
        switch last.kind {
        case "markov-blanket-equal":
            conclude(true)
            blanket(last.set, last)
            if Set(last.set ?? []) != proposed { fail(last, "the proposed set is \(nameSet(proposed))") }
        case "markov-blanket-extra":
            conclude(false)
            blanket(last.set, last)
            if !proposed.contains(last.a) { fail(last, "the proposed set does not hold \(name(last.a))") }
            if truth.contains(last.a) { fail(last, "\(name(last.a)) is in the Markov blanket of \(name(x))") }
        case "markov-blanket-missing":
            conclude(false)
            if !members.contains(last.a) {
                fail(last, "no earlier step puts \(name(last.a)) in the Markov blanket of \(name(x))")
            }
            if proposed.contains(last.a) { fail(last, "the proposed set holds \(name(last.a))") }
        case "markov-blanket-isolated", "markov-blanket-isolated-equal":
            let equal = last.kind == "markov-blanket-isolated-equal"
            conclude(equal)
            expectOneStep(steps)
            if !neighbours(x).isEmpty { fail(last, "\(name(x)) is adjacent to \(nameSet(neighbours(x)))") }
            if equal && !proposed.isEmpty { fail(last, "the proposed set is \(nameSet(proposed))") }
            if !equal && !proposed.contains(last.a) { fail(last, "the proposed set does not hold \(name(last.a))") }
        default:
            fail(last, "a Markov blanket explanation cannot end with a '\(last.kind)' step")
        }
    }
}

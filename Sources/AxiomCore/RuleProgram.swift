/// A predicate of a rule program: a name and an arity of 1 or 2 over graph nodes.
public struct Predicate: Sendable, Hashable {
    public var name: String
    public var arity: Int
    public init(_ name: String, arity: Int) {
        self.name = name
        self.arity = arity
    }
}

/// `predicate(v0)` or `predicate(v0, v1)` where `v…` are rule-local variable numbers.
public struct Atom: Sendable, Hashable {
    public var predicate: Int
    public var variables: [Int]
    public init(_ predicate: Int, _ variables: Int...) {
        self.predicate = predicate
        self.variables = variables
    }
}

/// A Horn rule `premises ⊢ conclusion` with a name used in proofs.
public struct Rule: Sendable, Hashable {
    public var name: String
    public var premises: [Atom]
    public var conclusion: Atom
    public init(_ name: String, _ premises: [Atom], _ conclusion: Atom) {
        self.name = name
        self.premises = premises
        self.conclusion = conclusion
    }
}

/// A validated set of predicates and rules, indexed for the engine.
///
/// Axioms are data: a new axiom is a new program (or new rules in one), never a change to
/// `RuleEngine`.
public struct RuleProgram: Sendable {
    public let predicates: [Predicate]
    public let rules: [Rule]

    /// One way a freshly derived fact can fire a rule: it matches premise `position`; the other
    /// premises are joined in `joinOrder`.
    struct Trigger: Sendable {
        var rule: Int
        var position: Int
        var joinOrder: [Int]
    }

    /// `triggers[p]`: the rule premises a fact of predicate `p` can match.
    let triggers: [[Trigger]]
    /// Number of variables of each rule.
    let variableCounts: [Int]

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Validates and indexes a program.
    ///
    /// - Throws: `Invalid` when an atom's arity is wrong, a rule has no or more than three
    ///   premises, or a conclusion variable is not bound by a premise.
    public init(predicates: [Predicate], rules: [Rule]) throws {
        var triggers = [[Trigger]](repeating: [], count: predicates.count)
        var variableCounts: [Int] = []
        for (r, rule) in rules.enumerated() {
            guard (1...3).contains(rule.premises.count) else {
                throw Invalid(description: "rule '\(rule.name)' needs 1 to 3 premises")
            }
            var bound = Set<Int>()
            var maxVar = -1
            for atom in rule.premises + [rule.conclusion] {
                guard atom.predicate >= 0 && atom.predicate < predicates.count else {
                    throw Invalid(
                        description: "rule '\(rule.name)' names predicate #\(atom.predicate), which does not exist"
                    )
                }
                let p = predicates[atom.predicate]
                guard p.arity == atom.variables.count, (1...2).contains(p.arity) else {
                    throw Invalid(description: "rule '\(rule.name)': \(p.name) takes \(p.arity) argument(s)")
                }
                maxVar = max(maxVar, atom.variables.max() ?? -1)
            }
            for atom in rule.premises { bound.formUnion(atom.variables) }
            for v in rule.conclusion.variables where !bound.contains(v) {
                throw Invalid(description: "rule '\(rule.name)': conclusion variable \(v) is not bound by a premise")
            }
            variableCounts.append(maxVar + 1)
            for (i, atom) in rule.premises.enumerated() {
                // Join the other premises, most-bound first, so every lookup is indexed.
                var known = Set(atom.variables)
                var rest = Array(rule.premises.indices.filter { $0 != i })
                var order: [Int] = []
                while !rest.isEmpty {
                    let best = rest.indices.max { a, b in
                        let ka = rule.premises[rest[a]].variables.filter(known.contains).count
                        let kb = rule.premises[rest[b]].variables.filter(known.contains).count
                        return ka < kb || (ka == kb && a > b)
                    }!
                    order.append(rest[best])
                    known.formUnion(rule.premises[rest[best]].variables)
                    rest.remove(at: best)
                }
                triggers[atom.predicate].append(Trigger(rule: r, position: i, joinOrder: order))
            }
        }
        self.predicates = predicates
        self.rules = rules
        self.triggers = triggers
        self.variableCounts = variableCounts
    }

    /// The index of the predicate called `name`.
    public func predicate(named name: String) -> Int? {
        predicates.firstIndex { $0.name == name }
    }
}

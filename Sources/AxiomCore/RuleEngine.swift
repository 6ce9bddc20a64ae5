/// A ground fact: `predicate(a)` or `predicate(a, b)` over graph nodes.
public struct Fact: Sendable, Hashable, CustomStringConvertible {
    public var predicate: Int
    public var a: Int
    public var b: Int
    public init(_ predicate: Int, _ a: Int, _ b: Int = 0) {
        self.predicate = predicate
        self.a = a
        self.b = b
    }
    public var description: String { "p\(predicate)(\(a), \(b))" }
}

/// How a fact came to hold: stated as input, or by a rule from earlier facts.
public struct Derivation: Sendable, Hashable {
    /// The rule's index in the program, or `nil` for a stated fact.
    public var rule: Int?
    public var premises: [Fact]
}

/// Evaluates a `RuleProgram` to its fixpoint over the facts stated for one graph, keeping the
/// first derivation of every fact it derives.
///
/// Evaluation is a first-in first-out worklist (semi-naive: each new fact is joined once with
/// the facts present), so first derivations are shallow. Facts live in dense bit rows per
/// predicate (rows and columns for binary ones, so every join lookup is an indexed scan). The
/// program is flattened into integer tables at construction, and all storage is sized for the
/// largest graph seen and reused by `begin`: after warm-up a run allocates nothing.
public struct RuleEngine: Sendable {
    public let program: RuleProgram
    public private(set) var nodeCount = 0
    /// Nodes the storage is laid out for (≥ nodeCount); fact ids and bit rows use this stride.
    private var capacity = 0
    private var words = 0
    private var base: [Int]
    private var bitOffset: [Int]
    private var arity: [Int]
    private var bits: [UInt64] = []
    private var derivedRule: [Int32] = []
    private var derivedFrom: [Int32] = []  // 3 fact ids per fact, -1 padded
    private var queue: [Int32] = []
    private var binding: [Int] = []
    private var premiseIDs: [Int32] = [-1, -1, -1]

    // The program as tables. Atom `r * 4 + i` is premise i of rule r; `r * 4 + 3` its conclusion.
    private var atomPredicate: [Int] = []
    private var atomVar0: [Int] = []
    private var atomVar1: [Int] = []  // -1 for unary atoms
    private var premiseCount: [Int] = []
    /// Triggers of predicate p are `triggerStart[p]..<triggerStart[p + 1]`.
    private var triggerStart: [Int] = []
    private var triggerRule: [Int] = []
    private var triggerPosition: [Int] = []
    private var triggerJoin: [Int] = []  // 2 premise positions per trigger, -1 padded
    private var triggerJoinCount: [Int] = []

    public init(program: RuleProgram) {
        self.program = program
        let p = program.predicates.count
        base = Array(repeating: 0, count: p)
        bitOffset = Array(repeating: 0, count: p)
        arity = program.predicates.map(\.arity)
        binding = Array(repeating: -1, count: (program.variableCounts.max() ?? 0) + 1)
        for rule in program.rules {
            for i in 0..<4 {
                let atom: Atom? = i < 3 ? (i < rule.premises.count ? rule.premises[i] : nil) : rule.conclusion
                atomPredicate.append(atom?.predicate ?? -1)
                atomVar0.append(atom?.variables[0] ?? -1)
                atomVar1.append(atom.map { $0.variables.count == 2 ? $0.variables[1] : -1 } ?? -1)
            }
            premiseCount.append(rule.premises.count)
        }
        for pred in 0..<p {
            triggerStart.append(triggerRule.count)
            for t in program.triggers[pred] {
                triggerRule.append(t.rule)
                triggerPosition.append(t.position)
                triggerJoin.append(t.joinOrder.count > 0 ? t.joinOrder[0] : -1)
                triggerJoin.append(t.joinOrder.count > 1 ? t.joinOrder[1] : -1)
                triggerJoinCount.append(t.joinOrder.count)
            }
        }
        triggerStart.append(triggerRule.count)
    }

    /// Clears all facts and prepares for a graph of `nodeCount` nodes.
    public mutating func begin(nodeCount n: Int) {
        if n > capacity || bits.isEmpty {
            capacity = max(n, 8)
            words = Bits.words(for: capacity)
            var factBase = 0
            var bitBase = 0
            for p in 0..<arity.count {
                base[p] = factBase
                bitOffset[p] = bitBase
                if arity[p] == 1 {
                    factBase += capacity
                    bitBase += words
                } else {
                    factBase += capacity * capacity
                    bitBase += 2 * capacity * words
                }
            }
            bits = Array(repeating: 0, count: bitBase)
            derivedRule = Array(repeating: -1, count: factBase)
            derivedFrom = Array(repeating: -1, count: 3 * factBase)
        } else {
            // Only rows of the previous graph's nodes can hold bits.
            let used = max(nodeCount, n)
            for p in 0..<arity.count {
                let rows = arity[p] == 1 ? 1 : used
                let off = bitOffset[p]
                for i in 0..<(rows * words) { bits[off + i] = 0 }
                if arity[p] == 2 {
                    let cols = off + capacity * words
                    for i in 0..<(rows * words) { bits[cols + i] = 0 }
                }
            }
        }
        nodeCount = n
        queue.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func id(_ p: Int, _ a: Int, _ b: Int) -> Int {
        arity[p] == 1 ? base[p] + a : base[p] + a * capacity + b
    }

    private func fact(ofID id: Int) -> Fact {
        var p = arity.count - 1
        while base[p] > id { p -= 1 }
        let local = id - base[p]
        return arity[p] == 1 ? Fact(p, local) : Fact(p, local / capacity, local % capacity)
    }

    /// Whether `fact` holds (was stated or derived).
    public func holds(_ fact: Fact) -> Bool { holds(fact.predicate, fact.a, fact.b) }

    @inline(__always)
    public func holds(_ p: Int, _ a: Int, _ b: Int = 0) -> Bool {
        let unary = arity[p] == 1
        let off = bitOffset[p] + (unary ? 0 : a * words)
        let i = unary ? a : b
        return bits[off + (i >> 6)] & (1 << UInt64(i & 63)) != 0
    }

    @inline(__always)
    private mutating func insert(_ p: Int, _ a: Int, _ b: Int, rule: Int32) {
        if holds(p, a, b) { return }
        if arity[p] == 1 {
            bits[bitOffset[p] + (a >> 6)] |= 1 << UInt64(a & 63)
        } else {
            bits[bitOffset[p] + a * words + (b >> 6)] |= 1 << UInt64(b & 63)
            bits[bitOffset[p] + capacity * words + b * words + (a >> 6)] |= 1 << UInt64(a & 63)
        }
        let f = id(p, a, b)
        derivedRule[f] = rule
        derivedFrom[3 * f] = premiseIDs[0]
        derivedFrom[3 * f + 1] = premiseIDs[1]
        derivedFrom[3 * f + 2] = premiseIDs[2]
        queue.append(Int32(f))
    }

    /// States an input fact.
    public mutating func state(_ p: Int, _ a: Int, _ b: Int = 0) {
        premiseIDs[0] = -1
        premiseIDs[1] = -1
        premiseIDs[2] = -1
        insert(p, a, b, rule: -1)
    }

    /// Derives every consequence of the stated facts.
    public mutating func run() {
        var head = 0
        while head < queue.count {
            let f = Int(queue[head])
            head += 1
            let fact = fact(ofID: f)
            for t in triggerStart[fact.predicate]..<triggerStart[fact.predicate + 1] {
                fire(t, fact: fact, id: f)
            }
        }
    }

    private mutating func fire(_ t: Int, fact: Fact, id f: Int) {
        let rule = triggerRule[t]
        let position = triggerPosition[t]
        let atom = rule * 4 + position
        for i in 0..<binding.count { binding[i] = -1 }
        binding[atomVar0[atom]] = fact.a
        let v1 = atomVar1[atom]
        if v1 >= 0 {
            if binding[v1] != -1 && binding[v1] != fact.b { return }
            binding[v1] = fact.b
        }
        premiseIDs[position] = Int32(f)
        join(t, rule: rule, step: 0)
    }

    /// Joins premise `step` of trigger `t`'s order for `rule`; past the last one, concludes.
    private mutating func join(_ t: Int, rule: Int, step: Int) {
        if step == triggerJoinCount[t] {
            conclude(rule)
            return
        }
        let position = triggerJoin[2 * t + step]
        let atom = rule * 4 + position
        if atomVar1[atom] < 0 {
            joinUnary(t, rule: rule, step: step, position: position, atom: atom)
        } else {
            joinBinary(t, rule: rule, step: step, position: position, atom: atom)
        }
    }

    /// The rule's head under the current binding, with its premises.
    private mutating func conclude(_ rule: Int) {
        let c = rule * 4 + 3
        let a = binding[atomVar0[c]]
        let b = atomVar1[c] >= 0 ? binding[atomVar1[c]] : 0
        for i in premiseCount[rule]..<3 { premiseIDs[i] = -1 }
        insert(atomPredicate[c], a, b, rule: Int32(rule))
    }

    /// A one-variable premise: checked when bound, else every fact of the predicate.
    private mutating func joinUnary(_ t: Int, rule: Int, step: Int, position: Int, atom: Int) {
        let p = atomPredicate[atom]
        let v0 = atomVar0[atom]
        let b0 = binding[v0]
        if b0 >= 0 {
            if holds(p, b0) {
                premiseIDs[position] = Int32(id(p, b0, 0))
                join(t, rule: rule, step: step + 1)
            }
            return
        }
        scan(
            offset: bitOffset[p],
            t: t,
            rule: rule,
            step: step,
            position: position,
            p: p,
            fixed: -1,
            varA: v0,
            varB: -1
        )
        binding[v0] = -1
    }

    /// A two-variable premise: checked when both are bound, a row or a column scanned when one
    /// is, every row when neither is.
    private mutating func joinBinary(_ t: Int, rule: Int, step: Int, position: Int, atom: Int) {
        let p = atomPredicate[atom]
        let v0 = atomVar0[atom]
        let v1 = atomVar1[atom]
        let b0 = binding[v0]
        let b1 = binding[v1]
        switch (b0 >= 0, b1 >= 0) {
        case (true, true):
            if holds(p, b0, b1) {
                premiseIDs[position] = Int32(id(p, b0, b1))
                join(t, rule: rule, step: step + 1)
            }
        case (true, false):
            scan(
                offset: bitOffset[p] + b0 * words,
                t: t,
                rule: rule,
                step: step,
                position: position,
                p: p,
                fixed: b0,
                varA: -1,
                varB: v1
            )
            binding[v1] = -1
        case (false, true):
            scan(
                offset: bitOffset[p] + capacity * words + b1 * words,
                t: t,
                rule: rule,
                step: step,
                position: position,
                p: p,
                fixed: b1,
                varA: v0,
                varB: -1,
                column: true
            )
            binding[v0] = -1
        case (false, false):
            for a in 0..<nodeCount {
                binding[v0] = a
                scan(
                    offset: bitOffset[p] + a * words,
                    t: t,
                    rule: rule,
                    step: step,
                    position: position,
                    p: p,
                    fixed: a,
                    varA: -1,
                    varB: v1
                )
            }
            binding[v0] = -1
            binding[v1] = -1
        }
    }

    /// Binds each set bit of the row at `offset` and continues the join. For a row scan the bit
    /// is the second argument (`varB`); for a column scan (`column`) it is the first (`varA`).
    /// Each word is read once: facts added meanwhile are joined when they leave the worklist.
    private mutating func scan(
        offset: Int,
        t: Int,
        rule: Int,
        step: Int,
        position: Int,
        p: Int,
        fixed: Int,
        varA: Int,
        varB: Int,
        column: Bool = false
    ) {
        for w in 0..<words {
            var word = bits[offset + w]
            while word != 0 {
                let v = w << 6 | word.trailingZeroBitCount
                word &= word &- 1
                let factID: Int
                if arity[p] == 1 {
                    binding[varA] = v
                    factID = base[p] + v
                } else if column {
                    binding[varA] = v
                    factID = base[p] + v * capacity + fixed
                } else {
                    binding[varB] = v
                    factID = base[p] + fixed * capacity + v
                }
                premiseIDs[position] = Int32(factID)
                join(t, rule: rule, step: step + 1)
            }
        }
    }

    /// How `fact` was first established, or `nil` when it does not hold.
    public func derivation(of fact: Fact) -> Derivation? {
        guard holds(fact) else { return nil }
        let f = id(fact.predicate, fact.a, fact.b)
        let r = derivedRule[f]
        if r < 0 { return Derivation(rule: nil, premises: []) }
        let count = premiseCount[Int(r)]
        let premises = (0..<count).map { self.fact(ofID: Int(derivedFrom[3 * f + $0])) }
        return Derivation(rule: Int(r), premises: premises)
    }

    /// The predecessor of `fact` through premise `position` of its derivation, without
    /// allocating; `nil` for stated facts.
    public func premise(_ position: Int, of fact: Fact) -> Fact? {
        let f = id(fact.predicate, fact.a, fact.b)
        guard derivedRule[f] >= 0 else { return nil }
        let pid = derivedFrom[3 * f + position]
        return pid < 0 ? nil : self.fact(ofID: Int(pid))
    }
}

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
/// predicate (rows and columns for binary ones, so every join lookup is an indexed scan), and
/// all storage is reused across `begin` calls: after warm-up a run allocates nothing.
public struct RuleEngine: Sendable {
    public let program: RuleProgram
    public private(set) var nodeCount = 0
    private var words = 0
    /// Fact-id base of each predicate.
    private var base: [Int]
    /// Bit offset (in words) of each predicate's rows; binary predicates have a column block
    /// of `n × words` after their row block.
    private var bitOffset: [Int]
    private var bits: [UInt64] = []
    private var derivedRule: [Int32] = []
    private var derivedFrom: [Int32] = []  // 3 fact ids per fact, -1 padded
    private var queue: [Int32] = []
    private var binding: [Int] = []
    private var premiseIDs: [Int32] = [-1, -1, -1]

    public init(program: RuleProgram) {
        self.program = program
        self.base = Array(repeating: 0, count: program.predicates.count)
        self.bitOffset = Array(repeating: 0, count: program.predicates.count)
        self.binding = Array(repeating: -1, count: (program.variableCounts.max() ?? 0) + 1)
    }

    /// Clears all facts and prepares for a graph of `nodeCount` nodes.
    public mutating func begin(nodeCount n: Int) {
        let w = Bits.words(for: n)
        if n != nodeCount || bits.isEmpty {
            nodeCount = n
            words = w
            var factBase = 0, bitBase = 0
            for (p, pred) in program.predicates.enumerated() {
                base[p] = factBase
                bitOffset[p] = bitBase
                if pred.arity == 1 {
                    factBase += n
                    bitBase += w
                } else {
                    factBase += n * n
                    bitBase += 2 * n * w
                }
            }
            bits = Array(repeating: 0, count: bitBase)
            derivedRule = Array(repeating: -1, count: factBase)
            derivedFrom = Array(repeating: -1, count: 3 * factBase)
        } else {
            for i in bits.indices { bits[i] = 0 }
        }
        queue.removeAll(keepingCapacity: true)
    }

    @inlinable
    func arity(_ p: Int) -> Int { program.predicates[p].arity }

    private func id(_ p: Int, _ a: Int, _ b: Int) -> Int {
        program.predicates[p].arity == 1 ? base[p] + a : base[p] + a * nodeCount + b
    }

    private func fact(ofID id: Int) -> Fact {
        var p = program.predicates.count - 1
        while base[p] > id { p -= 1 }
        let local = id - base[p]
        return arity(p) == 1 ? Fact(p, local) : Fact(p, local / nodeCount, local % nodeCount)
    }

    /// Whether `fact` holds (was stated or derived).
    public func holds(_ fact: Fact) -> Bool { holds(fact.predicate, fact.a, fact.b) }

    public func holds(_ p: Int, _ a: Int, _ b: Int = 0) -> Bool {
        let off = bitOffset[p] + (arity(p) == 1 ? 0 : a * words)
        let i = arity(p) == 1 ? a : b
        return bits[off + (i >> 6)] & (1 << UInt64(i & 63)) != 0
    }

    private mutating func insert(_ p: Int, _ a: Int, _ b: Int, rule: Int32) -> Bool {
        if holds(p, a, b) { return false }
        if arity(p) == 1 {
            bits[bitOffset[p] + (a >> 6)] |= 1 << UInt64(a & 63)
        } else {
            bits[bitOffset[p] + a * words + (b >> 6)] |= 1 << UInt64(b & 63)
            bits[bitOffset[p] + nodeCount * words + b * words + (a >> 6)] |= 1 << UInt64(a & 63)
        }
        let f = id(p, a, b)
        derivedRule[f] = rule
        derivedFrom[3 * f] = premiseIDs[0]
        derivedFrom[3 * f + 1] = premiseIDs[1]
        derivedFrom[3 * f + 2] = premiseIDs[2]
        queue.append(Int32(f))
        return true
    }

    /// States an input fact.
    public mutating func state(_ p: Int, _ a: Int, _ b: Int = 0) {
        premiseIDs[0] = -1; premiseIDs[1] = -1; premiseIDs[2] = -1
        _ = insert(p, a, b, rule: -1)
    }

    /// Derives every consequence of the stated facts.
    public mutating func run() {
        var head = 0
        while head < queue.count {
            let f = Int(queue[head])
            head += 1
            let fact = fact(ofID: f)
            for trigger in program.triggers[fact.predicate] {
                fire(trigger, with: fact, id: f)
            }
        }
    }

    private mutating func fire(_ trigger: RuleProgram.Trigger, with fact: Fact, id f: Int) {
        let rule = program.rules[trigger.rule]
        let atom = rule.premises[trigger.position]
        for i in 0..<binding.count { binding[i] = -1 }
        binding[atom.variables[0]] = fact.a
        if atom.variables.count == 2 {
            let v = atom.variables[1]
            if binding[v] != -1 && binding[v] != fact.b { return }
            binding[v] = fact.b
        }
        premiseIDs[trigger.position] = Int32(f)
        join(trigger, step: 0)
    }

    private mutating func join(_ trigger: RuleProgram.Trigger, step: Int) {
        let rule = program.rules[trigger.rule]
        if step == trigger.joinOrder.count {
            let c = rule.conclusion
            let a = binding[c.variables[0]]
            let b = c.variables.count == 2 ? binding[c.variables[1]] : 0
            for i in rule.premises.count..<3 { premiseIDs[i] = -1 }
            _ = insert(c.predicate, a, b, rule: Int32(trigger.rule))
            return
        }
        let position = trigger.joinOrder[step]
        let atom = rule.premises[position]
        let p = atom.predicate
        let v0 = atom.variables[0]
        let b0 = binding[v0]
        if atom.variables.count == 1 {
            if b0 >= 0 {
                if holds(p, b0) {
                    premiseIDs[position] = Int32(id(p, b0, 0))
                    join(trigger, step: step + 1)
                }
            } else {
                scan(offset: bitOffset[p]) { engine, v in
                    engine.binding[v0] = v
                    engine.premiseIDs[position] = Int32(engine.id(p, v, 0))
                    engine.join(trigger, step: step + 1)
                }
                binding[v0] = -1
            }
            return
        }
        let v1 = atom.variables[1]
        let b1 = binding[v1]
        switch (b0 >= 0, b1 >= 0) {
        case (true, true):
            if holds(p, b0, b1) {
                premiseIDs[position] = Int32(id(p, b0, b1))
                join(trigger, step: step + 1)
            }
        case (true, false):
            scan(offset: bitOffset[p] + b0 * words) { engine, v in
                engine.binding[v1] = v
                engine.premiseIDs[position] = Int32(engine.id(p, b0, v))
                engine.join(trigger, step: step + 1)
            }
            binding[v1] = -1
        case (false, true):
            scan(offset: bitOffset[p] + nodeCount * words + b1 * words) { engine, v in
                engine.binding[v0] = v
                engine.premiseIDs[position] = Int32(engine.id(p, v, b1))
                engine.join(trigger, step: step + 1)
            }
            binding[v0] = -1
        case (false, false):
            for a in 0..<nodeCount {
                scan(offset: bitOffset[p] + a * words) { engine, v in
                    engine.binding[v0] = a
                    engine.binding[v1] = v
                    engine.premiseIDs[position] = Int32(engine.id(p, a, v))
                    engine.join(trigger, step: step + 1)
                }
            }
            binding[v0] = -1
            binding[v1] = -1
        }
    }

    /// Calls `body` for each bit set in the row at `offset`, reading each word once (facts
    /// added meanwhile are handled when they leave the worklist).
    private mutating func scan(offset: Int, _ body: (inout RuleEngine, Int) -> Void) {
        for w in 0..<words {
            var word = bits[offset + w]
            while word != 0 {
                let v = w << 6 | word.trailingZeroBitCount
                word &= word &- 1
                body(&self, v)
            }
        }
    }

    /// How `fact` was first established, or `nil` when it does not hold.
    public func derivation(of fact: Fact) -> Derivation? {
        guard holds(fact) else { return nil }
        let f = id(fact.predicate, fact.a, fact.b)
        let r = derivedRule[f]
        if r < 0 { return Derivation(rule: nil, premises: []) }
        let count = program.rules[Int(r)].premises.count
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

    /// Calls `body` with the first argument of every fact of unary predicate `p` that holds.
    public func forEachHolding(_ p: Int, _ body: (Int) -> Void) {
        precondition(arity(p) == 1)
        forEachBit(bits, offset: bitOffset[p], words: words, body)
    }
}

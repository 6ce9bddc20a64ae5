/// Brute force over a causal model: every assignment of its nodes, weighed by the product of the
/// nodes' table entries, summed into the four cells of a treatment x and an outcome y. The second
/// algorithm of the model tasks: it reads no formula, no adjustment set and no separation rule.
///
/// Only x, y and their ancestors are enumerated: every other node is barren (no node of the
/// events has it as an ancestor), so summing it out multiplies each weight by 1 — in the
/// observational model, the mutilated one and the counterfactual world alike, since cutting the
/// edges into x only shrinks the ancestors. Weights are integers over 100ᵏ (each table entry is
/// in hundredths; k the nodes enumerated), so every comparison within one enumeration is exact,
/// and so is one between the observed and the counterfactual enumeration of the same (x, y),
/// which weigh the same nodes (the set treatment leaves x's table out: its cells are over
/// 100ᵏ⁻¹). The assignments are visited depth first in
/// topological order, each node's table row read once per partial assignment (2ᵏ⁺¹ products in
/// all, not k · 2ᵏ).
public struct ModelEnumeration: Sendable {
    public private(set) var model: CausalModel
    /// The model's nodes in topological order.
    private let order: [Int]
    /// Each node's parents as a bit set.
    private let parentMasks: [UInt64]
    /// The tables flat, for the innermost step (no nested array is touched there): node v's
    /// parents are `parentList[parentStart[v]..<parentStart[v + 1]]` (ascending), its table
    /// `entries[tableStart[v]...]`, indexed as `CausalModel.tables[v]` is.
    private let parentList: [Int]
    private let parentStart: [Int]
    private let tableStart: [Int]
    private var entries: [Int]

    /// The enumeration of the empty model (no node): a placeholder before a model is prepared.
    public init() {
        self.init(CausalModel.empty)
    }

    public init(_ model: CausalModel) {
        self.model = model
        order = model.graph.topologicalOrder() ?? []
        parentMasks = model.parents.map { $0.reduce(UInt64(0)) { $0 | 1 << UInt64($1) } }
        parentList = model.parents.flatMap { $0 }
        var start = [0]
        var table = [0]
        for v in 0..<model.nodeCount {
            start.append(start[v] + model.parents[v].count)
            table.append(table[v] + model.tables[v].count)
        }
        parentStart = start
        tableStart = table
        entries = model.tables.flatMap { $0 }
    }

    /// Makes this the enumeration of `model`, whose graph is this one's, in place: the twin
    /// search tries many tables on one graph, and only the tables change.
    public mutating func replaceTables(with model: CausalModel) {
        precondition(model.graph == self.model.graph, "replaceTables needs the same graph")
        self.model = model
        entries.removeAll(keepingCapacity: true)
        for table in model.tables { entries.append(contentsOf: table) }
    }

    /// P(v = 1 | its parents' values in `a`), in hundredths (`CausalModel.hundredthsOfOne`).
    @inline(__always)
    private func hundredthsOfOne(_ v: Int, in a: UInt64) -> Int {
        var row = 0
        var k = parentStart[v]
        let end = parentStart[v + 1]
        var bit = 1
        while k < end {
            if a & (1 << UInt64(parentList[k])) != 0 { row |= bit }
            bit <<= 1
            k += 1
        }
        return entries[tableStart[v] + row]
    }

    /// x, y and their ancestors, as a bit set.
    private func ancestral(_ x: Int, _ y: Int) -> UInt64 {
        var mask: UInt64 = 1 << UInt64(x) | 1 << UInt64(y)
        for v in order.reversed() where mask & (1 << UInt64(v)) != 0 { mask |= parentMasks[v] }
        return mask
    }

    /// How the treatment is drawn, and what its descendants read.
    public enum Treatment: Sendable, Hashable {
        /// x drawn from its own table, its descendants reading the value drawn (the observational
        /// model).
        case observed
        /// x set from outside: its table left out, both values weighed 1, its descendants reading
        /// the value set (the mutilated model of do(x)).
        case set
        /// x drawn from its own table (the factual x, which the cells split on), while its
        /// descendants read `value` (the world where x was set to `value`). Every node is x, a
        /// descendant of x or not; the last are the same in both worlds, and given them the
        /// factual x and the counterfactual descendants are independent, so this is the joint
        /// of the factual x and the outcome had x been `value`.
        case counterfactual(Bool)
    }

    /// The weights (over 100ᵏ) of y = 1 ∧ x = 1, y = 1 ∧ x = 0, x = 1 and x = 0, x the value
    /// drawn or set, y the value in the world `Treatment` names.
    public struct Cells: Sendable, Hashable {
        public var yx: UInt128 = 0
        public var yNotX: UInt128 = 0
        public var x: UInt128 = 0
        public var notX: UInt128 = 0
    }

    public func cells(treatment x: Int, outcome y: Int, _ treatment: Treatment) -> Cells {
        let order = self.order
        let enumerated = ancestral(x, y)
        let xBit: UInt64 = 1 << UInt64(x)
        let yBit: UInt64 = 1 << UInt64(y)
        var cells = Cells()
        // `a` is the assignment the nodes read; `treated` is the value of x the cells split on.
        func visit(_ depth: Int, _ a: UInt64, _ treated: Bool, _ w: UInt128) {
            var depth = depth
            // Barren nodes are skipped (no allocation of a shorter order per call).
            while depth < order.count && enumerated & (1 << UInt64(order[depth])) == 0 { depth += 1 }
            guard depth < order.count else {
                if treated {
                    cells.x += w
                    if a & yBit != 0 { cells.yx += w }
                } else {
                    cells.notX += w
                    if a & yBit != 0 { cells.yNotX += w }
                }
                return
            }
            let v = order[depth]
            let bit: UInt64 = 1 << UInt64(v)
            guard bit == xBit else {
                // The parents come earlier in the order, so their values are set in `a`.
                let p = UInt128(hundredthsOfOne(v, in: a))
                visit(depth + 1, a | bit, treated, w * p)
                visit(depth + 1, a, treated, w * (100 - p))
                return
            }
            switch treatment {
            case .observed:
                let p = UInt128(hundredthsOfOne(v, in: a))
                visit(depth + 1, a | bit, true, w * p)
                visit(depth + 1, a, false, w * (100 - p))
            case .set:
                visit(depth + 1, a | bit, true, w)
                visit(depth + 1, a, false, w)
            case .counterfactual(let seen):
                let p = UInt128(hundredthsOfOne(v, in: a))
                let read = seen ? a | bit : a
                visit(depth + 1, read, true, w * p)
                visit(depth + 1, read, false, w * (100 - p))
            }
        }
        visit(0, 0, false, 1)
        return cells
    }

    /// The sign of P(y=1 | x=1) − P(y=1 | x=0) in the observational model: W(y, x) · W(¬x)
    /// against W(y, ¬x) · W(x), products of up to 256 bits compared in full width.
    public func associationSign(treatment x: Int, outcome y: Int) -> Int {
        let c = cells(treatment: x, outcome: y, .observed)
        return Self.compare(c.yx.multipliedFullWidth(by: c.notX), c.yNotX.multipliedFullWidth(by: c.x))
    }

    /// The sign of P(y=1 | do(x=1)) − P(y=1 | do(x=0)): 100ᵏ⁻¹ times each, as integers.
    public func effectSign(treatment x: Int, outcome y: Int) -> Int {
        let c = cells(treatment: x, outcome: y, .set)
        return c.yx > c.yNotX ? 1 : c.yx < c.yNotX ? -1 : 0
    }

    /// The sign of E[Y₍ₓ₌₁₎ − Y₍ₓ₌₀₎ | x = 1]: on the treated Y₍ₓ₌₁₎ is the factual y, so
    /// W(y = 1, x = 1) against W(Y₍ₓ₌₀₎ = 1, x = 1), both over the same W(x = 1).
    public func treatedEffectSign(treatment x: Int, outcome y: Int) -> Int {
        let factual = cells(treatment: x, outcome: y, .observed).yx
        let untreated = cells(treatment: x, outcome: y, .counterfactual(false)).yx
        return factual > untreated ? 1 : factual < untreated ? -1 : 0
    }

    /// The signs of the association, the average effect and the effect on the treated of x on y,
    /// each by the passes above, but the observational pass shared by the association and the
    /// effect on the treated; the quantity `skipping` names is left 0 and costs no pass.
    public func signs(treatment x: Int, outcome y: Int, skipping: EffectKind? = nil) -> Signs {
        var out = Signs()
        let wantsAssociation = skipping != .association
        let wantsTreated = skipping != .ett
        if wantsAssociation || wantsTreated {
            let c = cells(treatment: x, outcome: y, .observed)
            if wantsAssociation {
                out.association = Self.compare(
                    c.yx.multipliedFullWidth(by: c.notX),
                    c.yNotX.multipliedFullWidth(by: c.x)
                )
            }
            if wantsTreated {
                let untreated = cells(treatment: x, outcome: y, .counterfactual(false)).yx
                out.treatedEffect = c.yx > untreated ? 1 : c.yx < untreated ? -1 : 0
            }
        }
        if skipping != .ate { out.effect = effectSign(treatment: x, outcome: y) }
        return out
    }

    /// The signs of the three quantities (-1, 0 or 1; 0 also for one not computed).
    public struct Signs: Sendable, Equatable {
        public var association = 0
        public var effect = 0
        public var treatedEffect = 0
    }

    private static func compare(_ l: (high: UInt128, low: UInt128), _ r: (high: UInt128, low: UInt128)) -> Int {
        (l.high, l.low) > (r.high, r.low) ? 1 : (l.high, l.low) < (r.high, r.low) ? -1 : 0
    }
}

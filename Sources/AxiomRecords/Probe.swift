import AxiomCore
import Foundation

/// Records with the same cue vector, counted by label: the sufficient statistics of a probe over
/// binary cues. Keyed by task name and cue bits.
public struct CueCells: Sendable, Equatable {
    public struct Key: Hashable, Sendable, Comparable {
        public var axiom: String
        public var bits: UInt32
        public static func < (a: Key, b: Key) -> Bool { (a.axiom, a.bits) < (b.axiom, b.bits) }
    }
    public var counts: [Key: (yes: Int, no: Int)] = [:]

    public init() {}

    public static func == (a: CueCells, b: CueCells) -> Bool {
        a.counts.count == b.counts.count && a.counts.allSatisfy { k, v in b.counts[k].map { $0 == v } ?? false }
    }

    public mutating func add(_ axiom: String, _ bits: UInt32, yes: Bool, count: Int = 1) {
        let k = Key(axiom: axiom, bits: bits)
        let c = counts[k] ?? (0, 0)
        counts[k] = yes ? (c.yes + count, c.no) : (c.yes, c.no + count)
    }

    public mutating func absorb(_ other: CueCells) {
        for (k, v) in other.counts {
            add(k.axiom, k.bits, yes: true, count: v.yes)
            add(k.axiom, k.bits, yes: false, count: v.no)
        }
    }

    /// The cells of every task but `axioms`.
    public func without(_ axioms: [String]) -> CueCells {
        var out = self
        out.counts = counts.filter { !axioms.contains($0.key.axiom) }
        return out
    }

    /// The cells of tasks `axioms` only.
    public func only(_ axioms: [String]) -> CueCells {
        var out = self
        out.counts = counts.filter { axioms.contains($0.key.axiom) }
        return out
    }

    /// The task names with records in these cells, sorted.
    public var axioms: [String] {
        Set(counts.filter { $0.value.yes + $0.value.no > 0 }.keys.map(\.axiom)).sorted()
    }

    public var total: Int { counts.values.reduce(0) { $0 + $1.yes + $1.no } }

    /// The share of records whose label `yes(axiom, bits)` answers (0 for no records).
    public func accuracy(_ yes: (_ axiom: String, _ bits: UInt32) -> Bool) -> Double {
        var right = 0
        var total = 0
        for (k, v) in counts {
            right += yes(k.axiom, k.bits) ? v.yes : v.no
            total += v.yes + v.no
        }
        return total == 0 ? 0 : Double(right) / Double(total)
    }

    /// k-fold cross-validated accuracy: each cell's Yes and No records are dealt into `k` folds in
    /// turn; `accuracy(train, test)` scores a model fitted on the other folds on each one.
    public func crossValidated(folds k: Int, _ accuracy: (_ train: CueCells, _ test: CueCells) -> Double) -> Double {
        var right = 0
        var total = 0
        for f in 0..<k {
            var train = CueCells()
            var test = CueCells()
            for (key, v) in counts {
                func share(_ n: Int) -> Int { n / k + (f < n % k ? 1 : 0) }
                test.add(key.axiom, key.bits, yes: true, count: share(v.yes))
                test.add(key.axiom, key.bits, yes: false, count: share(v.no))
                train.add(key.axiom, key.bits, yes: true, count: v.yes - share(v.yes))
                train.add(key.axiom, key.bits, yes: false, count: v.no - share(v.no))
            }
            let n = test.total
            right += Int((accuracy(train, test) * Double(n)).rounded())
            total += n
        }
        return total == 0 ? 0 : Double(right) / Double(total)
    }

    /// As `"axiom bits" → [yes, no]`, for statistics files.
    public var encoded: [String: [Int]] {
        Dictionary(
            uniqueKeysWithValues: counts.map { ("\($0.key.axiom) \($0.key.bits)", [$0.value.yes, $0.value.no]) }
        )
    }

    public init(encoded: [String: [Int]]) {
        for (k, v) in encoded {
            let parts = k.split(separator: " ")
            guard parts.count == 2, let bits = UInt32(parts[1]), v.count == 2 else { continue }
            add(String(parts[0]), bits, yes: true, count: v[0])
            add(String(parts[0]), bits, yes: false, count: v[1])
        }
    }

    /// The accuracy of the best rule "Yes iff cue" or "Yes iff not cue", per cue name, over the
    /// records whose task has that cue.
    public func cueAccuracies() -> [String: Double] {
        var agree: [String: Int] = [:]
        var seen: [String: Int] = [:]
        for (k, v) in counts {
            guard let task = TaskCatalog.task(Axiom(k.axiom)) else { continue }
            for (i, name) in task.recordCueNames.enumerated() {
                let on = k.bits & (1 << UInt32(i)) != 0
                agree[name, default: 0] += on ? v.yes : v.no
                seen[name, default: 0] += v.yes + v.no
            }
        }
        var out: [String: Double] = [:]
        for (name, n) in seen where n > 0 {
            let a = Double(agree[name]!) / Double(n)
            out[name] = max(a, 1 - a)
        }
        return out
    }
}

/// L2-regularized logistic regression over cue vectors, fitted by Newton's method on weighted
/// cells: the "probe" that shows how much of a split's labels cheap cues predict.
///
/// Features: per task, a bias and its cue bits (so a mixed split gets one model per task).
/// Deterministic: cells are processed in sorted order; Newton steps solve with Cholesky.
public struct CueProbe: Sendable {
    public private(set) var weights: [String: [Double]] = [:]
    public var lambda = 1.0

    public init() {}

    static func features(_ bits: UInt32, count: Int) -> [Double] {
        var f = [1.0]
        for i in 0..<count { f.append(bits & (1 << UInt32(i)) != 0 ? 1 : 0) }
        return f
    }

    /// The features of `bits` that are 1: the bias (0), then `i + 1` for each cue bit i set.
    static func ones(_ bits: UInt32, count: Int) -> [Int] {
        [0] + (0..<count).filter { bits & (1 << UInt32($0)) != 0 }.map { $0 + 1 }
    }

    /// Fits one model per task of `cells`.
    public mutating func fit(_ cells: CueCells) {
        var byTask: [String: [(CueCells.Key, (yes: Int, no: Int))]] = [:]
        for (k, v) in cells.counts.sorted(by: { $0.key < $1.key }) { byTask[k.axiom, default: []].append((k, v)) }
        for (axiom, rows) in byTask {
            let d = (TaskCatalog.task(Axiom(axiom))?.recordCueNames.count ?? 0) + 1
            weights[axiom] = Self.newton(
                rows.map { key, v in (Self.ones(key.bits, count: d - 1), Double(v.yes), Double(v.no)) },
                dimension: d,
                lambda: lambda
            )
        }
    }

    /// P(Yes) for a cue vector of `axiom` (0.5 for a task the probe never saw).
    public func probability(_ axiom: String, _ bits: UInt32) -> Double {
        guard let w = weights[axiom] else { return 0.5 }
        let f = Self.features(bits, count: w.count - 1)
        var z = 0.0
        for i in 0..<w.count { z += w[i] * f[i] }
        return 1 / (1 + Foundation.exp(-z))
    }

    /// Accuracy of the probe's Yes/No (P(Yes) > 0.5) on `cells`.
    public func accuracy(on cells: CueCells) -> Double {
        cells.accuracy { probability($0, $1) > 0.5 }
    }

    /// k-fold cross-validated accuracy: each cell's records are dealt into `k` folds in turn.
    public static func crossValidated(_ cells: CueCells, folds k: Int = 5, lambda: Double = 1.0) -> Double {
        cells.crossValidated(folds: k) { train, test in
            var probe = CueProbe()
            probe.lambda = lambda
            probe.fit(train)
            return probe.accuracy(on: test)
        }
    }

    /// Newton's method for weighted logistic regression over binary features, with penalty
    /// `lambda/2 · |w|²` on the non-bias weights (feature 0, the bias, is on in every row).
    /// Rows: (the features that are 1, ascending; yes weight; no weight).
    ///
    /// - Complexity: per step, O(Σ rows' ones² + dimension³).
    static func newton(_ rows: [(on: [Int], yes: Double, no: Double)], dimension d: Int, lambda: Double) -> [Double] {
        var w = [Double](repeating: 0, count: d)
        var g = [Double](repeating: 0, count: d)
        // Row-major; only the lower triangle (j <= i) is filled, all `choleskySolve` reads.
        var h = [Double](repeating: 0, count: d * d)
        for _ in 0..<50 {
            // Pointers and while loops: the same sums in the same order, fast in debug builds too.
            w.withUnsafeBufferPointer { w in
                g.withUnsafeMutableBufferPointer { g in
                    h.withUnsafeMutableBufferPointer { h in
                        for i in 0..<d { g[i] = 0 }
                        for i in 0..<(d * d) { h[i] = 0 }
                        for (on, yes, no) in rows {
                            on.withUnsafeBufferPointer { on in
                                var z = 0.0
                                var a = 0
                                while a < on.count {
                                    z += w[on[a]]
                                    a += 1
                                }
                                let p = 1 / (1 + Foundation.exp(-z))
                                let n = yes + no
                                let r = n * p - yes
                                let s = n * p * (1 - p)
                                a = 0
                                while a < on.count {
                                    let i = on[a]
                                    g[i] += r
                                    let row = h.baseAddress! + i * d
                                    var b = 0
                                    while b <= a {
                                        row[on[b]] += s
                                        b += 1
                                    }
                                    a += 1
                                }
                            }
                        }
                        for i in 1..<max(1, d) {
                            g[i] += lambda * w[i]
                            h[i * d + i] += lambda
                        }
                        // A cue that never varies has no curvature: a tiny ridge keeps the system solvable.
                        for i in 0..<d { h[i * d + i] += 1e-9 }
                    }
                }
            }
            guard let step = choleskySolve(h, g, d) else { break }
            var largest = 0.0
            for i in 0..<d {
                w[i] -= step[i]
                largest = max(largest, abs(step[i]))
            }
            if largest < 1e-10 { break }
        }
        return w
    }

    /// Solves `a · x = b` for a symmetric positive-definite `a` (row-major `d × d`; only the
    /// lower triangle is read).
    static func choleskySolve(_ a: [Double], _ b: [Double], _ d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        let factored = a.withUnsafeBufferPointer { a in
            l.withUnsafeMutableBufferPointer { l in
                for i in 0..<d {
                    let li = l.baseAddress! + i * d
                    for j in 0...i {
                        let lj = l.baseAddress! + j * d
                        var sum = a[i * d + j]
                        var k = 0
                        while k < j {
                            sum -= li[k] * lj[k]
                            k += 1
                        }
                        if i == j {
                            guard sum > 0 else { return false }
                            l[i * d + i] = sum.squareRoot()
                        } else {
                            l[i * d + j] = sum / l[j * d + j]
                        }
                    }
                }
                return true
            }
        }
        guard factored else { return nil }
        var y = [Double](repeating: 0, count: d)
        for i in 0..<d {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * d + k] * y[k] }
            y[i] = sum / l[i * d + i]
        }
        var x = [Double](repeating: 0, count: d)
        for i in stride(from: d - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<d { sum -= l[k * d + i] * x[k] }
            x[i] = sum / l[i * d + i]
        }
        return x
    }
}

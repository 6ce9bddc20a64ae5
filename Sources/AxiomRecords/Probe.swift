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

    public var total: Int { counts.values.reduce(0) { $0 + $1.yes + $1.no } }

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

    /// Fits one model per task of `cells`.
    public mutating func fit(_ cells: CueCells) {
        var byTask: [String: [(CueCells.Key, (yes: Int, no: Int))]] = [:]
        for (k, v) in cells.counts.sorted(by: { $0.key < $1.key }) { byTask[k.axiom, default: []].append((k, v)) }
        for (axiom, rows) in byTask {
            let d = (TaskCatalog.task(Axiom(axiom))?.recordCueNames.count ?? 0) + 1
            weights[axiom] = Self.newton(
                rows.map { (Self.features($0.0.bits, count: d - 1), Double($0.1.yes), Double($0.1.no)) },
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
        var right = 0
        var total = 0
        for (k, v) in cells.counts {
            let yes = probability(k.axiom, k.bits) > 0.5
            right += yes ? v.yes : v.no
            total += v.yes + v.no
        }
        return total == 0 ? 0 : Double(right) / Double(total)
    }

    /// k-fold cross-validated accuracy: each cell's records are dealt into `k` folds in turn.
    public static func crossValidated(_ cells: CueCells, folds k: Int = 5, lambda: Double = 1.0) -> Double {
        var right = 0
        var total = 0
        for f in 0..<k {
            var train = CueCells()
            var test = CueCells()
            for (key, v) in cells.counts {
                func share(_ n: Int) -> Int { n / k + (f < n % k ? 1 : 0) }
                test.add(key.axiom, key.bits, yes: true, count: share(v.yes))
                test.add(key.axiom, key.bits, yes: false, count: share(v.no))
                train.add(key.axiom, key.bits, yes: true, count: v.yes - share(v.yes))
                train.add(key.axiom, key.bits, yes: false, count: v.no - share(v.no))
            }
            var probe = CueProbe()
            probe.lambda = lambda
            probe.fit(train)
            let n = test.total
            right += Int((probe.accuracy(on: test) * Double(n)).rounded())
            total += n
        }
        return total == 0 ? 0 : Double(right) / Double(total)
    }

    /// Newton's method for weighted logistic regression with penalty `lambda/2 · |w|²` on the
    /// non-bias weights. Rows: (features, yes weight, no weight).
    static func newton(_ rows: [([Double], Double, Double)], dimension d: Int, lambda: Double) -> [Double] {
        var w = [Double](repeating: 0, count: d)
        for _ in 0..<50 {
            var g = [Double](repeating: 0, count: d)
            var h = [Double](repeating: 0, count: d * d)
            for (f, yes, no) in rows {
                var z = 0.0
                for i in 0..<d { z += w[i] * f[i] }
                let p = 1 / (1 + Foundation.exp(-z))
                let n = yes + no
                let r = n * p - yes
                let s = n * p * (1 - p)
                for i in 0..<d where f[i] != 0 {
                    g[i] += r * f[i]
                    for j in 0..<d where f[j] != 0 { h[i * d + j] += s * f[i] * f[j] }
                }
            }
            for i in 1..<max(1, d) {
                g[i] += lambda * w[i]
                h[i * d + i] += lambda
            }
            // A cue that never varies has no curvature: a tiny ridge keeps the system solvable.
            for i in 0..<d { h[i * d + i] += 1e-9 }
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

    /// Solves `a · x = b` for a symmetric positive-definite `a` (row-major `d × d`).
    static func choleskySolve(_ a: [Double], _ b: [Double], _ d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var sum = a[i * d + j]
                for k in 0..<j { sum -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * d + i] = sum.squareRoot()
                } else {
                    l[i * d + j] = sum / l[j * d + j]
                }
            }
        }
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

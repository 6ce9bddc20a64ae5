/// Surface cues: what a reader of the premise can see about a question without chaining any
/// fact. A model can use them instead of the axiom; the sampler balances labels within their
/// cells, and `check` and `eval` score them as baselines.
///
/// Cues are bits of a `UInt32` (bit i is the task's `cueNames[i]`). `mention[v]` is the rank of
/// node v's first mention in the premise (`Int.max` when it is not mentioned).
public enum Cues {
    /// Cues every pair question has, in bit order.
    public static let pairNames = [
        "x-first", "edge-xy", "edge-yx", "adjacent", "x-cause", "y-effect", "x-source", "y-sink",
        "out-x-gt-y", "in-y-gt-x",
    ]

    /// The pair cues of (x, y) in `graph`.
    public static func pair(_ x: Int, _ y: Int, graph: CausalGraph, mention: [Int]) -> UInt32 {
        var bits: UInt32 = 0
        func set(_ i: Int, _ on: Bool) { if on { bits |= 1 << UInt32(i) } }
        let outX = graph.outDegree(of: x)
        let inX = graph.inDegree(of: x)
        let outY = graph.outDegree(of: y)
        let inY = graph.inDegree(of: y)
        set(0, mention[x] < mention[y])
        set(1, graph.hasEdge(x, y))
        set(2, graph.hasEdge(y, x))
        set(3, graph.adjacent(x, y))
        set(4, outX > 0)
        set(5, inY > 0)
        set(6, inX == 0)
        set(7, outY == 0)
        set(8, outX > outY)
        set(9, inY > inX)
        return bits
    }

    /// Conditioning-set cues, in bit order after the pair cues.
    public static let givenNames = ["given-empty", "given-between", "given-common-neighbor", "given-common-child"]

    /// The conditioning-set cues of (x, y, given), as bits starting at `offset`.
    public static func given(
        _ x: Int,
        _ y: Int,
        _ given: [Int],
        graph: CausalGraph,
        mention: [Int],
        offset: Int
    ) -> UInt32 {
        var bits: UInt32 = 0
        func set(_ i: Int, _ on: Bool) { if on { bits |= 1 << UInt32(offset + i) } }
        set(0, given.isEmpty)
        let lo = min(mention[x], mention[y])
        let hi = max(mention[x], mention[y])
        set(1, given.contains { mention[$0] > lo && mention[$0] < hi })
        set(2, given.contains { graph.adjacent($0, x) && graph.adjacent($0, y) })
        set(3, given.contains { graph.hasEdge(x, $0) && graph.hasEdge(y, $0) })
        return bits
    }
}

extension CausalGraph {
    /// Nodes w (w = v, or w outside `blocked`) with a directed path w ⇝ v whose interior avoids
    /// `blocked`, as flags in `out` (reused).
    func ancestorsAvoiding(_ v: Int, _ blocked: [Int], into out: inout [Bool], stack: inout [Int]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: repeatElement(false, count: nodeCount))
        out[v] = true
        stack.removeAll(keepingCapacity: true)
        stack.append(v)
        while let u = stack.popLast() {
            for p in parents(of: u) where !out[p] && !blocked.contains(p) {
                out[p] = true
                stack.append(p)
            }
        }
    }

    /// Whether a trail x … y without a collider exists whose interior avoids `blocked`: some w
    /// (possibly x or y) with directed paths to x and to y avoiding it.
    public func hasColliderFreeTrail(_ x: Int, _ y: Int, avoiding blocked: [Int]) -> Bool {
        var ax: [Bool] = []
        var ay: [Bool] = []
        var stack: [Int] = []
        ancestorsAvoiding(x, blocked, into: &ax, stack: &stack)
        ancestorsAvoiding(y, blocked, into: &ay, stack: &stack)
        for v in 0..<nodeCount where ax[v] && ay[v] { return true }
        return false
    }
}

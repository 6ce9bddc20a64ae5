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

extension Cues {
    /// Skeleton and placement cues every task with an edge premise carries, after its own cues:
    /// what a reader computes while ignoring edge directions (distances, paths, degrees and
    /// common neighbours in the undirected skeleton, where the question's other nodes sit on
    /// it) and where the queried nodes are first mentioned. Causal reasoning is about
    /// directions, so none of these may predict a label; skeleton twins share all of them.
    public static let skeletonNames = [
        "skel-dist-2", "skel-dist-3", "skel-dist-4-plus", "skel-unconnected", "skel-many-shortest",
        "skel-common-neighbor", "skel-x-leaf", "skel-y-leaf", "skel-degree-x-gt-y", "skel-set-on-path",
        "skel-set-separates", "x-mentioned-first",
    ]

    /// The skeleton cues of the x–y distance (one-hot; `control: all` balances them).
    public static let skeletonDistanceNames = ["skel-dist-2", "skel-dist-3", "skel-dist-4-plus", "skel-unconnected"]

    /// The bits of `skeletonNames` (x–y distance one-hot from 2; adjacency is the pair cue
    /// `adjacent`), starting at bit `offset`. The question's other nodes are z, the set and
    /// the conditioning set together, as far as the task's `shape` uses them.
    public static func skeleton(
        _ q: Query,
        shape: QuestionShape,
        graph: CausalGraph,
        mention: [Int],
        offset: Int
    ) -> UInt32 {
        var bits: UInt32 = 0
        func set(_ i: Int, _ on: Bool) { if on { bits |= 1 << UInt32(offset + i) } }
        let n = graph.nodeCount
        let x = q.x
        let y = q.y
        func degree(_ v: Int) -> Int { graph.outDegree(of: v) + graph.inDegree(of: v) }
        set(6, degree(x) == 1)
        set(11, mention[x] == 0)
        guard x != y else { return bits }
        set(7, degree(y) == 1)
        set(8, degree(x) > degree(y))
        // The question's other nodes: only the parts the task's questions use (a reused query
        // may hold others).
        func extra(_ v: Int) -> Bool {
            v != x && v != y
                && ((shape.contains(.node) && v == q.z) || (shape.contains(.set) && q.set.contains(v))
                    || (shape.contains(.given) && q.given.contains(v)))
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 5 * n) { buf -> UInt32 in
            let distX = buf.baseAddress!
            let pathsX = distX + n
            let distY = pathsX + n
            let pathsY = distY + n
            let queue = pathsY + n
            graph.skeletonSearch(from: x, distance: distX, paths: pathsX, queue: queue) { _ in false }
            graph.skeletonSearch(from: y, distance: distY, paths: pathsY, queue: queue) { _ in false }
            let d = distX[y]
            set(0, d == 2)
            set(1, d == 3)
            set(2, d >= 4 && d < n)
            set(3, d >= n)
            set(4, d < n && pathsX[y] > 1)
            var common = false
            for v in 0..<n where v != x && v != y && distX[v] == 1 && distY[v] == 1 { common = true }
            set(5, common)
            var anyExtra = false
            var onPath = false
            for v in 0..<n where extra(v) {
                anyExtra = true
                if distX[v] + distY[v] == d { onPath = true }
            }
            guard anyExtra, d < n else { return bits }
            set(9, onPath)
            graph.skeletonSearch(from: x, distance: distY, paths: pathsY, queue: queue, avoiding: extra)
            set(10, distY[y] >= n)
            return bits
        }
    }
}

extension CausalGraph {
    /// The nodes of a shortest directed path `from` ⇝ `to` (both included), or nil.
    public func shortestDirectedPath(from: Int, to: Int) -> [Int]? {
        var previous = [Int](repeating: -1, count: nodeCount)
        var queue = [from]
        previous[from] = from
        var head = 0
        while head < queue.count, previous[to] < 0 {
            let u = queue[head]
            head += 1
            forEachChild(of: u) { v in
                if previous[v] < 0 {
                    previous[v] = u
                    queue.append(v)
                }
            }
        }
        guard previous[to] >= 0 else { return nil }
        var path = [to]
        while path.last! != from { path.append(previous[path.last!]) }
        return path.reversed()
    }

    /// Breadth-first distances from `source` in the undirected skeleton (`nodeCount` where a
    /// node is not reached), never entering a node `avoiding` holds, and the number of shortest
    /// paths to each node (capped at 2), into caller storage of `nodeCount` entries each.
    func skeletonSearch(
        from source: Int,
        distance: UnsafeMutablePointer<Int>,
        paths: UnsafeMutablePointer<Int>,
        queue: UnsafeMutablePointer<Int>,
        avoiding: (Int) -> Bool
    ) {
        let n = nodeCount
        for v in 0..<n {
            distance[v] = n
            paths[v] = 0
        }
        distance[source] = 0
        paths[source] = 1
        queue[0] = source
        var tail = 1
        var head = 0
        while head < tail {
            let u = queue[head]
            head += 1
            func step(_ v: Int) {
                guard !avoiding(v) else { return }
                if distance[v] == n {
                    distance[v] = distance[u] + 1
                    queue[tail] = v
                    tail += 1
                }
                if distance[v] == distance[u] + 1 { paths[v] = min(2, paths[v] + paths[u]) }
            }
            forEachChild(of: u, step)
            forEachParent(of: u, step)
        }
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

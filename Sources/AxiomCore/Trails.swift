/// Definition-level checks of proofs, used to replay them (tests, `axiomc check`) and to turn
/// the rule engine's trail into a simple one.
public enum Trails {
    /// Whether `v` or one of its descendants is in `given`.
    static func hasObservedDescendant(_ graph: CausalGraph, _ v: Int, _ given: [Int]) -> Bool {
        var seen = [Bool](repeating: false, count: graph.nodeCount)
        var stack = [v]
        seen[v] = true
        while let u = stack.popLast() {
            if given.contains(u) { return true }
            for c in graph.children(of: u) where !seen[c] {
                seen[c] = true
                stack.append(c)
            }
        }
        return false
    }

    /// Whether `trail` is a simple trail of `graph` (consecutive nodes adjacent, none repeated)
    /// that is active given `given`: every collider on it has itself or a descendant in
    /// `given`, and every other interior node is outside `given`.
    public static func isActive(_ trail: [Int], in graph: CausalGraph, given: [Int]) -> Bool {
        guard trail.count >= 2, Set(trail).count == trail.count else { return false }
        for i in 0..<(trail.count - 1) where !graph.adjacent(trail[i], trail[i + 1]) { return false }
        if given.contains(trail[0]) || given.contains(trail[trail.count - 1]) { return false }
        for i in 1..<(trail.count - 1) where !passes(trail[i - 1], trail[i], trail[i + 1], graph, given) {
            return false
        }
        return true
    }

    /// Whether a trail `a – v – b` lets the path through `v` given `given`.
    static func passes(_ a: Int, _ v: Int, _ b: Int, _ graph: CausalGraph, _ given: [Int]) -> Bool {
        if graph.hasEdge(a, v) && graph.hasEdge(b, v) {
            return hasObservedDescendant(graph, v, given)
        }
        return !given.contains(v)
    }

    /// Whether `path` is a directed path of `graph`.
    public static func isDirectedPath(_ path: [Int], in graph: CausalGraph) -> Bool {
        guard path.count >= 2 else { return false }
        for i in 0..<(path.count - 1) where !graph.hasEdge(path[i], path[i + 1]) { return false }
        return true
    }

    /// Turns a walk found by the engine (which may revisit a node, e.g. bouncing off an
    /// observed collider) into a simple active trail between the same end points.
    ///
    /// Loop-erases first; when that is not active, searches simple trails depth-first.
    static func simplify(_ walk: [Int], in graph: CausalGraph, given: [Int]) -> [Int] {
        if isActive(walk, in: graph, given: given) { return walk }
        var erased: [Int] = []
        for v in walk {
            if let i = erased.firstIndex(of: v) { erased.removeSubrange((i + 1)...) } else { erased.append(v) }
        }
        if isActive(erased, in: graph, given: given) { return erased }
        guard let x = walk.first, let y = walk.last else { return walk }
        var path = [x]
        var onPath = [Bool](repeating: false, count: graph.nodeCount)
        onPath[x] = true
        func extend() -> Bool {
            let v = path[path.count - 1]
            if v == y { return isActive(path, in: graph, given: given) }
            for u in graph.children(of: v) + graph.parents(of: v) where !onPath[u] {
                path.append(u)
                onPath[u] = true
                // Prune: the node before u must already be valid as an interior node.
                let n = path.count
                let ok = n < 3 || passes(path[n - 3], path[n - 2], path[n - 1], graph, given)
                if ok && extend() { return true }
                path.removeLast()
                onPath[u] = false
            }
            return false
        }
        return extend() ? path : erased
    }
}

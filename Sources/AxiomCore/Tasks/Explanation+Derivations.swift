/// Derivation steps several tasks' explanations share: a quoted shortest chain, and what a node
/// reaches (or what reaches it) layer by layer. They use `scratch` and `marks`, so one runs at a
/// time.
extension Explanation {
    /// Appends a shortest directed path `from ⇝ to` (breadth-first) as `quote` steps, one per
    /// edge, each after the first followed by a `step` ("from causes a and a causes b, so from
    /// causes b"). Appends nothing when `from` does not reach `to`.
    ///
    /// - Complexity: O(nodes + edges); at most 2 · hops − 1 steps.
    public mutating func addShortestChain(from s: Int, to t: Int, in graph: CausalGraph, x: Int, y: Int) {
        resetMarks(graph.nodeCount)
        scratch.removeAll(keepingCapacity: true)
        marks[s] = s
        scratch.append(s)
        var head = 0
        while head < scratch.count && marks[t] < 0 {
            let u = scratch[head]
            head += 1
            graph.forEachChild(of: u) { v in
                if marks[v] < 0 {
                    marks[v] = u
                    scratch.append(v)
                }
            }
        }
        guard marks[t] >= 0, s != t else { return }
        let start = nodes.count
        var v = t
        while v != s {
            nodes.append(v)
            v = marks[v]
        }
        nodes.append(s)
        nodes[start...].reverse()
        for i in start..<(nodes.count - 1) {
            let a = nodes[i]
            let b = nodes[i + 1]
            add("quote", x: x, y: y, a: a, b: b)
            if i > start { add("step", x: x, y: y, a: s, b: a, c: b) }
        }
    }

    /// Appends what `source` reaches along edges (`upward`: along edges reversed, its causes),
    /// breadth-first: one step per reached node with nodes not reached before, `first` for
    /// `source`, `next` for the others, `a` the node and `set` (`<list/>`) the new nodes.
    /// `avoiding` (or -1) and the nodes of `avoidingAll` are never entered. Returns how many
    /// nodes it reached.
    ///
    /// - Complexity: O(nodes + edges).
    @discardableResult
    public mutating func addLayers(
        from source: Int,
        upward: Bool = false,
        avoiding blocked: Int = -1,
        avoidingAll: [Int] = [],
        in graph: CausalGraph,
        first: String,
        next: String,
        x: Int,
        y: Int
    ) -> Int {
        resetMarks(graph.nodeCount)
        scratch.removeAll(keepingCapacity: true)
        marks[source] = source
        if blocked >= 0 { marks[blocked] = blocked }
        for v in avoidingAll { marks[v] = v }
        scratch.append(source)
        var head = 0
        while head < scratch.count {
            let u = scratch[head]
            head += 1
            let start = nodes.count
            if upward {
                graph.forEachParent(of: u) { v in
                    if marks[v] < 0 {
                        marks[v] = u
                        scratch.append(v)
                        nodes.append(v)
                    }
                }
            } else {
                graph.forEachChild(of: u) { v in
                    if marks[v] < 0 {
                        marks[v] = u
                        scratch.append(v)
                        nodes.append(v)
                    }
                }
            }
            if nodes.count > start { add(u == source ? first : next, x: x, y: y, a: u, set: start..<nodes.count) }
        }
        return scratch.count - 1
    }
}

extension Explanation {
    /// The explanation forms of a label-neutral search from a node (`search-start`, then one
    /// `search-edge` per node reached, quoting the premise sentence that reached it).
    public static let searchStepForms = [
        ExplanationForm("search-start", slots: ["a"]), ExplanationForm("search-edge", slots: ["a", "b", "quote"]),
    ]

    /// Appends a breadth-first search along edges from `source`: `search-start`, then for each
    /// node reached (in the order reached) a `search-edge` step for the edge `a → b` that first
    /// reached it. Afterwards `marks[v] >= 0` exactly for `source` and the nodes reached. Returns
    /// how many nodes it reached. The steps depend on the graph and `source` only.
    ///
    /// - Complexity: O(nodes + edges).
    @discardableResult
    public mutating func addSearch(from source: Int, in graph: CausalGraph, x: Int, y: Int) -> Int {
        resetMarks(graph.nodeCount)
        scratch.removeAll(keepingCapacity: true)
        marks[source] = source
        scratch.append(source)
        add("search-start", x: x, y: y, a: source)
        var head = 0
        while head < scratch.count {
            let u = scratch[head]
            head += 1
            graph.forEachChild(of: u) { v in
                if marks[v] < 0 {
                    marks[v] = u
                    scratch.append(v)
                    add("search-edge", x: x, y: y, a: u, b: v)
                }
            }
        }
        return scratch.count - 1
    }
}

import AxiomCore

/// Plain-text answers and proofs for the terminal (grammars render them for corpora).
enum ProofText {
    static func render(_ query: AxiomCore.Query, in named: NamedGraph, reasoner: inout Reasoner) -> String {
        let names = named.names, graph = named.graph
        var proof = Proof()
        let yes = reasoner.answer(query)
        reasoner.explain(query, into: &proof)
        let x = names[query.x], y = names[query.y]
        let set = "{" + query.given.map { names[$0] }.joined(separator: ", ") + "}"
        var out = ""
        switch (query.axiom, yes) {
        case (.transitivity, true):
            out += "Yes: \(x) causes \(y).\nProof:\n"
            let path = proof.nodes
            for i in 0..<(path.count - 1) { out += "  \(names[path[i]]) causes \(names[path[i + 1]])  (stated)\n" }
            for i in 2..<max(2, path.count) {
                out += "  \(x) causes \(names[path[i - 1]]) and \(names[path[i - 1]]) causes \(names[path[i]]), so \(x) causes \(names[path[i]])  (transitivity)\n"
            }
        case (.transitivity, false):
            let effects = proof.nodes.map { names[$0] }
            out += "No: \(x) does not cause \(y).\nProof: the effects of \(x) are {\(effects.joined(separator: ", "))}, "
            out += "derived to a fixpoint by the transitivity rule; \(y) is not among them.\n"
        case (.dSeparation, false):
            out += "No: \(x) and \(y) are not d-separated given \(set).\n"
            out += "Active trail: \(trailText(proof.nodes, names: names, graph: graph))\n"
            for i in 1..<max(1, proof.nodes.count - 1) {
                let (a, v, b) = (proof.nodes[i - 1], proof.nodes[i], proof.nodes[i + 1])
                let name = names[v]
                if graph.hasEdge(a, v) && graph.hasEdge(b, v) {
                    out += "  \(name) is a collider; it or a descendant is in \(set), so the trail passes\n"
                } else {
                    let kind = graph.hasEdge(v, a) && graph.hasEdge(v, b) ? "a fork" : "a chain node"
                    out += "  \(name) is \(kind), not in \(set), so the trail passes\n"
                }
            }
        case (.dSeparation, true):
            out += "Yes: \(x) and \(y) are d-separated given \(set).\n"
            let reached = proof.nodes.filter { !query.given.contains($0) }.map { names[$0] }
            out += "Proof: active trails from \(x) reach only {\(reached.joined(separator: ", "))}; \(y) is not among them, so every trail between them is blocked.\n"
        }
        return out
    }

    static func trailText(_ nodes: [Int], names: [String], graph: CausalGraph) -> String {
        var s = names[nodes[0]]
        for i in 1..<nodes.count {
            s += graph.hasEdge(nodes[i - 1], nodes[i]) ? " -> " : " <- "
            s += names[nodes[i]]
        }
        return s
    }
}

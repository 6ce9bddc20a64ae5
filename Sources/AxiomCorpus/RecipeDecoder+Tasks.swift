import AxiomCore
import Yams

/// `tasks:` (alias `axioms:`) — the tasks a split asks, with their weights.
extension RecipeDecoder {
    /// `entries` with `tasks` filed under `axioms` (the name the rest of the decoder reads), its
    /// key node kept for messages; both at once is an error.
    func taskAlias(_ e: Entries) throws -> Entries {
        guard let tasks = e["tasks"] else { return e }
        if let axioms = e["axioms"] {
            throw fail(axioms.key, "'axioms' and 'tasks' name the same list; give one ('axioms' is the older name)")
        }
        var out = e
        out["tasks"] = nil
        out["axioms"] = tasks
        return out
    }

    /// `tasks: transitivity`, `tasks: [transitivity, mediator]` (equal shares), or
    /// `tasks: {transitivity: 2, mediator: 1}` (shares by weight, in the mapping's order). The
    /// weights are nil when every task gets an equal share.
    func taskList(_ node: Node, key keyNode: Node) throws -> (tasks: [Axiom], weights: [Double]?) {
        let key = keyNode.string ?? "tasks"
        let choices = TaskCatalog.names.map(\.rawValue)
        func task(_ item: Node) throws -> Axiom {
            let name = try string(item, key)
            guard TaskCatalog.index(of: Axiom(name)) != nil else {
                throw fail(item, "'\(key)' has no task '\(name)' (choose from \(choices.joined(separator: ", ")))")
            }
            return Axiom(name)
        }
        guard case let .mapping(mapping) = node else {
            let items: [Node]
            if case let .sequence(seq) = node { items = Array(seq) } else { items = [node] }
            guard !items.isEmpty else { throw fail(node, "'\(key)' must not be empty") }
            let tasks = try items.map(task)
            if let twice = tasks.indices.first(where: { i in tasks[..<i].contains(tasks[i]) }) {
                throw fail(items[twice], "'\(key)' names task '\(tasks[twice])' twice")
            }
            return (tasks, nil)
        }
        guard !mapping.isEmpty else { throw fail(node, "'\(key)' must not be empty") }
        var tasks: [Axiom] = []
        var weights: [Double] = []
        for (k, v) in mapping {
            let t = try task(k)
            guard !tasks.contains(t) else { throw fail(k, "'\(key)' names task '\(t)' twice") }
            let w = try double(v, "\(key).\(t)", in: 0...1_000_000)
            guard w > 0 else { throw fail(v, "'\(key).\(t)' must be above 0 (leave a task out instead)") }
            tasks.append(t)
            weights.append(w)
        }
        return (tasks, weights.allSatisfy { $0 == weights[0] } ? nil : weights)
    }
}

import AxiomCore

/// A causal model with named variables, as JSON: the input of `axiomc effect --model` and the
/// form a record will carry its model in (docs/causal-models.md).
///
/// ```json
/// {"variables": ["Z", "X", "Y"],
///  "edges": [["Z", "X"], ["Z", "Y"], ["X", "Y"]],
///  "tables": {"Z": {"parents": [], "p": [0.5]},
///             "X": {"parents": ["Z"], "p": [0.2, 0.8]},
///             "Y": {"parents": ["Z", "X"], "p": [0.4, 0.3, 0.9, 0.8]}}}
/// ```
///
/// `p[i]` is P(variable = 1 | the parents take the binary digits of i), the first parent the
/// most significant digit (pgmpy's column order for `TabularCPD(evidence=parents)`). Entries
/// have two decimals and lie strictly between 0 and 1. `parents` lists every edge into the
/// variable, in any order. Every key is required (`"edges": []` for none); a key given twice is
/// refused.
public struct NamedModel: Sendable, Equatable {
    public var names: [String]
    public var model: CausalModel

    public init(names: [String], model: CausalModel) {
        self.names = names
        self.model = model
    }

    /// What is wrong with a model document, and where (a JSON path).
    public struct Invalid: UserError, Equatable {
        public var description: String
        init(_ path: String, _ message: String) { description = path.isEmpty ? message : "\(path): \(message)" }
    }

    /// Reads a model document.
    public static func parse(json bytes: some Collection<UInt8>) throws -> NamedModel {
        let doc = try JSONValue.parse(bytes)
        guard case .object = doc else { throw Invalid("", "a model is a JSON object") }
        for key in doc.keys where !["variables", "edges", "tables"].contains(key) {
            throw Invalid(key, "unknown key (a model has 'variables', 'edges' and 'tables')")
        }
        guard let vars = doc["variables"]?.array else {
            throw Invalid("variables", "a list of variable names is needed")
        }
        var names: [String] = []
        for (i, v) in vars.enumerated() {
            guard let s = v.string, !s.isEmpty else {
                throw Invalid("variables[\(i)]", "a name must be a non-empty string")
            }
            guard !names.contains(s) else { throw Invalid("variables[\(i)]", "'\(s)' is named twice") }
            names.append(s)
        }
        guard names.count <= CausalModel.maxNodes else {
            throw Invalid("variables", "a model has at most \(CausalModel.maxNodes) variables, not \(names.count)")
        }
        func index(_ value: JSONValue?, _ path: String) throws -> Int {
            guard let s = value?.string else { throw Invalid(path, "a variable name is needed") }
            guard let i = names.firstIndex(of: s) else { throw Invalid(path, "'\(s)' is not among the variables") }
            return i
        }
        guard let edgeList = doc["edges"]?.array else {
            throw Invalid("edges", "a list of [cause, effect] pairs is needed ([] for none)")
        }
        var graph = CausalGraph(nodeCount: names.count)
        for (i, e) in edgeList.enumerated() {
            guard let pair = e.array, pair.count == 2 else {
                throw Invalid("edges[\(i)]", "an edge is [cause, effect]")
            }
            let a = try index(pair[0], "edges[\(i)][0]")
            let b = try index(pair[1], "edges[\(i)][1]")
            guard a != b else { throw Invalid("edges[\(i)]", "'\(names[a])' cannot cause itself") }
            graph.addEdge(a, b)
        }
        if let cycle = graph.findCycle() {
            throw Invalid("edges", "the edges form a cycle: " + cycle.map { names[$0] }.joined(separator: " -> "))
        }
        guard let tables = doc["tables"], case .object = tables else {
            throw Invalid("tables", "an object with one table per variable is needed")
        }
        var tabled = Set<String>()
        for key in tables.keys {
            guard names.contains(key) else { throw Invalid("tables.\(key)", "not among the variables") }
            guard tabled.insert(key).inserted else { throw Invalid("tables.\(key)", "a second table for '\(key)'") }
        }
        var rows: [[Int]] = []
        for (v, name) in names.enumerated() {
            rows.append(try table(tables[name], of: v, names: names, graph: graph, path: "tables.\(name)"))
        }
        do {
            return NamedModel(names: names, model: try CausalModel(graph: graph, tables: rows))
        } catch {
            throw Invalid("", error.description)
        }
    }

    /// One variable's table, as `CausalModel` indexes it (bit k of a row is its k-th parent in
    /// ascending node order).
    private static func table(
        _ value: JSONValue?,
        of v: Int,
        names: [String],
        graph: CausalGraph,
        path: String
    ) throws -> [Int] {
        guard let value, case .object = value else {
            throw Invalid(path, "a table {\"parents\": [...], \"p\": [...]} is needed")
        }
        for key in value.keys where key != "parents" && key != "p" {
            throw Invalid("\(path).\(key)", "unknown key (a table has 'parents' and 'p')")
        }
        guard let listed = value["parents"]?.array else {
            throw Invalid("\(path).parents", "a list of names is needed")
        }
        var parents: [Int] = []
        for (i, p) in listed.enumerated() {
            guard let s = p.string, let u = names.firstIndex(of: s) else {
                throw Invalid("\(path).parents[\(i)]", "not among the variables")
            }
            parents.append(u)
        }
        let edges = graph.parents(of: v).sorted()
        guard parents.sorted() == edges, Set(parents).count == parents.count else {
            throw Invalid(
                "\(path).parents",
                "[\(parents.map { names[$0] }.joined(separator: ", "))] are not the causes the edges give: "
                    + "[\(edges.map { names[$0] }.joined(separator: ", "))]"
            )
        }
        guard let p = value["p"]?.array, p.count == 1 << parents.count else {
            throw Invalid(
                "\(path).p",
                "\(1 << parents.count) probabilities are needed, one per row of the parents' values"
            )
        }
        var hundredths: [Int] = []
        for (i, entry) in p.enumerated() {
            guard let d = entry.double, d.isFinite, d > 0, d < 1,
                (d * 100).rounded() == (d * 100 * 1e6).rounded() / 1e6,
                (1...99).contains(Int((d * 100).rounded()))
            else {
                throw Invalid(
                    "\(path).p[\(i)]",
                    "\(entry.text ?? "this") is not a probability with two decimals in 0.01…0.99"
                )
            }
            hundredths.append(Int((d * 100).rounded()))
        }
        // Document row i: parent k's value is digit (count-1-k) of i. Model row: bit of the
        // parent's rank among the parents in node order.
        let ascending = parents.sorted()
        var out = [Int](repeating: 0, count: hundredths.count)
        for (i, h) in hundredths.enumerated() {
            var row = 0
            for (k, u) in parents.enumerated() where i & (1 << (parents.count - 1 - k)) != 0 {
                row |= 1 << ascending.firstIndex(of: u)!
            }
            out[row] = h
        }
        return out
    }

    /// The document, parents in node order.
    public var json: JSONValue {
        let g = model.graph
        var tables: [(String, JSONValue)] = []
        for v in 0..<model.nodeCount {
            let parents = model.parents[v]
            let p: [JSONValue] = (0..<(1 << parents.count)).map { i in
                var row = 0
                for k in parents.indices where i & (1 << (parents.count - 1 - k)) != 0 { row |= 1 << k }
                return .number(Double(model.tables[v][row]) / 100)
            }
            tables.append(
                (names[v], .object([("parents", .array(parents.map { .string(names[$0]) })), ("p", .array(p))]))
            )
        }
        return .object([
            ("variables", .array(names.map { .string($0) })),
            ("edges", .array(g.edges.map { .array([.string(names[$0.from]), .string(names[$0.to])]) })),
            ("tables", .object(tables)),
        ])
    }
}

/// A located problem in hand-written graph or question text.
public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A graph whose nodes carry names, as read from `"A->B, B->C"`.
public struct NamedGraph: Sendable, Equatable {
    public var names: [String]
    public var graph: CausalGraph

    public init(names: [String], graph: CausalGraph) {
        self.names = names
        self.graph = graph
    }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Parses `"A->B, B->C; D -> C"`: edges separated by commas, semicolons or newlines.
    ///
    /// - Throws: `SyntaxError` for an edge without `->`, an empty or malformed name, a self-loop
    ///   or a cycle (named by its nodes).
    public static func parse(edges text: String) throws -> NamedGraph {
        var names: [String] = []
        var index: [String: Int] = [:]
        var pairs: [(Int, Int)] = []
        func node(_ raw: Substring, in item: Substring) throws -> Int {
            let name = raw.trimmingSpaces()
            guard !name.isEmpty else { throw SyntaxError("edge '\(item.trimmingSpaces())' has an empty node name") }
            guard name.allSatisfy(isNameCharacter) else {
                throw SyntaxError("node name '\(name)' may hold only letters, digits, '_' and '-'")
            }
            if let i = index[name] { return i }
            index[name] = names.count
            names.append(name)
            return names.count - 1
        }
        let items = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
        for item in items where !item.trimmingSpaces().isEmpty {
            let parts = item.splitArrow()
            guard parts.count == 2 else {
                throw SyntaxError("edge '\(item.trimmingSpaces())' needs the form 'A->B'")
            }
            let a = try node(parts[0], in: item)
            let b = try node(parts[1], in: item)
            guard a != b else { throw SyntaxError("edge '\(item.trimmingSpaces())' is a self-loop") }
            pairs.append((a, b))
        }
        guard !pairs.isEmpty else { throw SyntaxError("no edges given") }
        let graph = CausalGraph(nodeCount: names.count, edges: pairs)
        if let cycle = graph.findCycle() {
            throw SyntaxError("the edges contain a cycle: " + cycle.map { names[$0] }.joined(separator: " -> "))
        }
        return NamedGraph(names: names, graph: graph)
    }

    /// Parses a question in the `--ask` syntax of any shipped task (`CausalTask.parseAsk`):
    /// `"A cause C"`, `"does A cause C?"`, `"A and D d-separated given C, E"`, …
    public func parse(question text: String) throws -> Query {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "?" || $0 == "\t" }).map(String.init)
        if let first = words.first, ["does", "are", "is"].contains(first.lowercased()) { words.removeFirst() }
        func lookup(_ name: String) throws -> Int {
            guard let i = index(of: name) else {
                throw SyntaxError(
                    "node '\(name)' in the question is not in the graph (nodes: \(names.joined(separator: ", ")))"
                )
            }
            return i
        }
        for task in TaskCatalog.all() {
            if let q = try task.parseAsk(words, lookup: lookup) { return q }
        }
        let forms = TaskCatalog.all().flatMap(\.askExamples).map { "'\($0)'" }
        throw SyntaxError("cannot read question '\(text)': use \(forms.joined(separator: ", "))")
    }
}

@inlinable
public func isNameCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
}

extension Substring {
    /// Splits at every `->`.
    func splitArrow() -> [Substring] {
        var parts: [Substring] = []
        var start = startIndex
        var i = startIndex
        while i < endIndex {
            let j = index(after: i)
            if self[i] == "-", j < endIndex, self[j] == ">" {
                parts.append(self[start..<i])
                start = index(after: j)
                i = start
            } else {
                i = j
            }
        }
        parts.append(self[start..<endIndex])
        return parts
    }

    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// All pair questions of one task over a graph of `nodeCount` nodes, as a lazy sequence.
///
/// Every ordered pair (x, y), x ≠ y — or every unordered pair x < y for a symmetric task —
/// with every conditioning set Z ⊆ V \ {x, y} of size `givenSizes`, Z ascending.
public struct QuerySpace: Sequence, Sendable {
    public var axiom: Axiom
    public var symmetric: Bool
    public var nodeCount: Int
    public var givenSizes: ClosedRange<Int>

    public init(_ axiom: Axiom, shape: QuestionShape, nodeCount: Int, givenSizes: ClosedRange<Int> = 0...0) {
        self.axiom = axiom
        self.symmetric = shape.contains(.symmetric)
        self.nodeCount = nodeCount
        self.givenSizes = givenSizes
    }

    /// The pair questions of the shipped task `axiom`.
    public init(_ axiom: Axiom, nodeCount: Int, givenSizes: ClosedRange<Int> = 0...0) {
        let shape = TaskCatalog.task(axiom)!.shape
        self.init(axiom, shape: shape, nodeCount: nodeCount, givenSizes: shape.contains(.given) ? givenSizes : 0...0)
    }

    public struct Iterator: IteratorProtocol, Sendable {
        let space: QuerySpace
        var x = 0, y = 0
        var size: Int
        var subset: [Int] = []  // indices into `others`
        var others: [Int] = []
        var started = false

        init(_ space: QuerySpace) {
            self.space = space
            self.size = space.givenSizes.lowerBound
        }

        public mutating func next() -> Query? {
            if !started {
                started = true
                x = 0
                y = 0
                return advancePair()
            }
            if advanceSubset() { return current() }
            return advancePair()
        }

        /// Moves to the next pair (x-major) that a conditioning set of the sizes fits.
        private mutating func advancePair() -> Query? {
            let n = space.nodeCount
            while true {
                y += 1
                if y >= n {
                    x += 1
                    y = space.symmetric ? x + 1 : 0
                }
                if x >= n || y >= n { return nil }
                if x == y { continue }
                if beginPair() { return current() }
            }
        }

        private func current() -> Query {
            Query(space.axiom, x, y, given: subset.map { others[$0] })
        }

        /// Starts the subsets for pair (x, y); `false` when no size fits.
        private mutating func beginPair() -> Bool {
            others.removeAll(keepingCapacity: true)
            for v in 0..<space.nodeCount where v != x && v != y { others.append(v) }
            size = space.givenSizes.lowerBound
            guard size <= others.count else { return false }
            subset = Array(0..<size)
            return true
        }

        /// Next subset of the current size in lexicographic order, then the next size.
        private mutating func advanceSubset() -> Bool {
            let m = others.count
            var i = size - 1
            while i >= 0 && subset[i] == m - size + i { i -= 1 }
            if i >= 0 {
                subset[i] += 1
                for j in (i + 1)..<size { subset[j] = subset[j - 1] + 1 }
                return true
            }
            size += 1
            guard size <= space.givenSizes.upperBound && size <= m else { return false }
            subset = Array(0..<size)
            return true
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }
}

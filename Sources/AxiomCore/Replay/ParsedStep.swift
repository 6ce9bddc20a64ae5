/// One explanation step read back from text: the template kind that matched and its slot values
/// as node indices (`-1` or nil where the template has no such slot).
public struct ParsedStep: Sendable, Equatable {
    /// A quoted premise sentence: the edge it states and the edge template it is written in.
    public struct Quote: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var template: Int
        public init(from: Int, to: Int, template: Int) {
            self.from = from
            self.to = to
            self.template = template
        }
    }

    /// A decimal number as written ("-0.0812": -812/10000, 4 places).
    public struct Number: Sendable, Equatable {
        public var value: Rational
        public var places: Int
        public init(value: Rational, places: Int) {
            self.value = value
            self.places = places
        }

        /// Whether `exact`, rounded to the places written, gives this number: |written − exact|
        /// is at most half a unit of the last place.
        public func rounds(_ exact: Rational) -> Bool {
            var unit = Rational.one
            for _ in 0..<places { unit = unit / Rational(10) }
            let gap = value - exact
            let distance = gap < .zero ? -gap : gap
            return !(unit / Rational(2) < distance)
        }
    }

    public var kind: String
    /// Matched the template variant for a non-empty conditioning set.
    public var conditioned: Bool
    public var x = -1, y = -1, a = -1, b = -1, c = -1
    public var z: [Int]?
    public var set: [Int]?
    public var list: [Int]?
    /// Trail nodes, and for each link whether it was written forward (`a → b`).
    public var trail: [Int]?
    public var forward: [Bool] = []
    public var quote: Quote?
    /// `<values/>`: variables with their values ("Z = 1, W = 0"), in the order written.
    public var values: [Literal]?
    /// `<value/>` slots in order: each number as written, exactly, and its decimal places.
    public var numbers: [Number] = []
    /// The step's text, for messages.
    public var text: String = ""

    public init(kind: String, conditioned: Bool) {
        self.kind = kind
        self.conditioned = conditioned
    }
}

import AxiomCore

/// How node names look: random strings over an alphabet, or words from a list.
public struct NameStyle: Sendable, Equatable {
    public var alphabet: [UInt8]
    public var lengths: ClosedRange<Int>
    /// When set, names are drawn from these words (without replacement per graph).
    public var words: [[UInt8]]?
    /// Allow two names of one graph to differ only in case (`y` and `Y`); a name is then
    /// reserved only when it is a grammar word in lower case (so `A` is free beside "a").
    public var caseSensitive: Bool
    /// Name a graph's n nodes with the first n names (alphabet letters of the shortest length,
    /// or listed words, in order, skipping grammar words), assigned to nodes at random: the
    /// variables A, B, C, … of Corr2Cause.
    public var sequential = false

    public init(alphabet: [UInt8], lengths: ClosedRange<Int>, words: [[UInt8]]? = nil, caseSensitive: Bool = false) {
        self.alphabet = alphabet
        self.lengths = lengths
        self.words = words
        self.caseSensitive = caseSensitive
    }

    /// The paper's names: 1–3 characters of `[A-Za-z0-9]`.
    public static let paper = NameStyle(alphabet: try! alphabet("A-Za-z0-9"), lengths: 1...3)

    /// Expands `"A-Za-z0-9"`-style ranges into distinct name bytes.
    public static func alphabet(_ spec: String) throws -> [UInt8] {
        let b = Array(spec.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if i + 2 < b.count && b[i + 1] == 0x2D {
                guard b[i] <= b[i + 2] else { throw SyntaxError("alphabet range '\(spec)' runs backwards") }
                for c in b[i]...b[i + 2] where !out.contains(c) { out.append(c) }
                i += 3
            } else {
                if !out.contains(b[i]) { out.append(b[i]) }
                i += 1
            }
        }
        guard !out.isEmpty else { throw SyntaxError("the alphabet is empty") }
        for c in out where !NameBytes.isNameByte(c) {
            throw SyntaxError(
                "alphabet character '\(String(decoding: [c], as: UTF8.self))' cannot be part of a name (use letters, digits, '_' or '-')"
            )
        }
        return out
    }
}

/// Draws names for the nodes of one graph: unique (up to case unless asked otherwise), never a
/// word of the grammar in any case, and never a number (all digits: "2" would read as a count).
public struct NameGenerator: Sendable {
    public let style: NameStyle
    private let reserved: Set<[UInt8]>
    private var folded: [[UInt8]] = []
    private var seen = FingerprintSet()
    private var wordOrder: [Int] = []

    /// - Throws: `SyntaxError` when a listed word is not a valid name or is a grammar word.
    public init(style: NameStyle, reserved: Set<String>) throws {
        self.style = style
        self.reserved = Set(reserved.map { Array($0.utf8) })
        if let words = style.words {
            var seen = Set<[UInt8]>()
            for w in words {
                guard !w.isEmpty, w.allSatisfy(NameBytes.isNameByte) else {
                    throw SyntaxError(
                        "word '\(String(decoding: w, as: UTF8.self))' cannot be a name (letters, digits, '_' or '-' only)"
                    )
                }
                let f = w.map(NameBytes.lower)
                guard !Self.isNumber(w) else {
                    throw SyntaxError("word '\(String(decoding: w, as: UTF8.self))' is a number and would read as one")
                }
                guard !self.reserved.contains(f) else {
                    throw SyntaxError(
                        "word '\(String(decoding: w, as: UTF8.self))' is a word of the grammar and would make text ambiguous"
                    )
                }
                guard seen.insert(style.caseSensitive ? w : f).inserted else {
                    throw SyntaxError("word '\(String(decoding: w, as: UTF8.self))' is listed twice")
                }
            }
        }
        capacity = Self.capacity(style, reserved: self.reserved)
        reservedFingerprints = Set(self.reserved.map(Self.fingerprint))
    }

    /// Reserved words by 64-bit fingerprint: most names are accepted by one integer probe; only
    /// a fingerprint match compares bytes.
    private var reservedFingerprints = Set<UInt64>()

    static func fingerprint(_ bytes: [UInt8]) -> UInt64 { FNV1a.hash(bytes) }

    private func isReserved(_ folded: [UInt8]) -> Bool {
        reservedFingerprints.contains(Self.fingerprint(folded)) && reserved.contains(folded)
    }

    /// Whether `name` is all digits: such names are never drawn.
    public static func isNumber(_ name: [UInt8]) -> Bool {
        !name.isEmpty && name.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// How many distinct names this style can produce (a lower bound when case folds).
    public private(set) var capacity = 0

    static func capacity(_ style: NameStyle, reserved: Set<[UInt8]>) -> Int {
        if let words = style.words { return words.count }
        let folded = Set(style.alphabet.map(NameBytes.lower))
        let letters = style.caseSensitive ? style.alphabet.count : folded.count
        // Only reserved words this style could draw take names away.
        var blocked = reserved.filter { style.lengths.contains($0.count) && $0.allSatisfy(folded.contains) }.count
        let digits = folded.filter { $0 >= 0x30 && $0 <= 0x39 }.count
        var total = 0
        for l in style.lengths {
            var k = 1
            var numbers = 1
            for _ in 0..<l {
                k = k > Int.max / max(1, letters) ? Int.max : k * letters
                numbers = numbers > Int.max / max(1, digits) ? Int.max : numbers * digits
            }
            total = total > Int.max - k ? Int.max : total + k
            blocked = blocked > Int.max - numbers ? Int.max : blocked + numbers
        }
        return max(0, total - blocked)
    }

    /// Replaces `names` with `count` fresh names.
    public mutating func draw(_ count: Int, into names: inout [[UInt8]], using rng: inout SeededRNG) {
        if style.sequential { return drawSequential(count, into: &names, using: &rng) }
        precondition(
            count * 2 <= capacity || style.words != nil && count <= capacity,
            "name space too small; validate capacity first"
        )
        while names.count < count { names.append([]) }
        if names.count > count { names.removeLast(names.count - count) }
        while folded.count < count { folded.append([]) }
        if let words = style.words {
            if wordOrder.count != words.count { wordOrder = Array(words.indices) }
            // Partial Fisher–Yates: the first `count` entries are a uniform draw.
            for i in 0..<count {
                let j = i + rng.below(words.count - i)
                wordOrder.swapAt(i, j)
                names[i].removeAll(keepingCapacity: true)
                names[i].append(contentsOf: words[wordOrder[i]])
            }
            return
        }
        for i in 0..<count {
            while true {
                let length = rng.int(in: style.lengths)
                names[i].removeAll(keepingCapacity: true)
                folded[i].removeAll(keepingCapacity: true)
                for _ in 0..<length {
                    let c = style.alphabet[rng.below(style.alphabet.count)]
                    names[i].append(c)
                    folded[i].append(style.caseSensitive ? c : NameBytes.lower(c))
                }
                if isReserved(style.caseSensitive ? names[i] : folded[i]) || Self.isNumber(names[i]) { continue }
                if count <= 32 {
                    var clash = false
                    for j in 0..<i where folded[j] == folded[i] {
                        clash = true
                        break
                    }
                    if !clash { break }
                } else {
                    // Large graphs: compare fingerprints. Equal names always share one, so names
                    // stay unique; an unlucky collision of different names only costs a redraw.
                    if i == 0 { seen.removeAll() }
                    if seen.insert(Self.fingerprint(folded[i])) { break }
                }
            }
        }
    }

    /// The first `count` free names in order, shuffled over the nodes.
    private mutating func drawSequential(_ count: Int, into names: inout [[UInt8]], using rng: inout SeededRNG) {
        var pool: [[UInt8]] = []
        if let words = style.words {
            pool = Array(words.prefix(count))
        } else {
            for c in style.alphabet where pool.count < count {
                let name = [UInt8](repeating: c, count: style.lengths.lowerBound)
                if !isReserved(style.caseSensitive ? name : name.map(NameBytes.lower)) && !Self.isNumber(name) {
                    pool.append(name)
                }
            }
        }
        precondition(pool.count == count, "name space too small; validate capacity first")
        rng.shuffle(&pool)
        names.removeAll(keepingCapacity: true)
        names.append(contentsOf: pool)
    }
}

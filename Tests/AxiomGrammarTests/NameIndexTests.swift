import AxiomRecords
import Testing

/// `NameIndex` answers as a `[[UInt8]: Int]` filled in the same order does.
@Suite struct NameIndexTests {
    @Test func agreesWithADictionary() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<200 {
            // Short names from a small alphabet repeat, collide and include the empty name.
            let alphabet = Array("ab-_Z9é".utf8)
            let names = (0..<Int.random(in: 0...(round < 100 ? 12 : 300), using: &rng)).map { _ in
                String(
                    decoding: (0..<Int.random(in: 0...3, using: &rng)).map { _ in alphabet.randomElement()! },
                    as: UTF8.self
                )
            }
            var dictionary: [[UInt8]: Int] = [:]
            for (i, n) in names.enumerated() { dictionary[Array(n.utf8)] = i }
            let index = NameIndex(names)
            #expect(index.count == dictionary.count)
            for n in names + ["", "zz", "abab", "a"] {
                let key = Array(n.utf8)
                #expect(index[key] == dictionary[key])
                // A slice in the middle of a longer text.
                let text = Array("(".utf8) + key + Array(") causes".utf8)
                #expect(index[text[1..<(1 + key.count)]] == dictionary[key])
            }
        }
    }

    @Test func setReplacesAndGrows() {
        var index = NameIndex()
        for i in 0..<1000 { index.set(Array("n\(i)".utf8), i) }
        index.set(Array("n7".utf8), -3)
        #expect(index.count == 1000)
        #expect(index[Array("n7".utf8)] == -3)
        #expect(index[Array("n999".utf8)] == 999)
        #expect(index[Array("n1000".utf8)] == nil)
    }
}

import AxiomCore
import AxiomGrammar
import AxiomRecords

/// Generates records without writing a corpus: the JSONL lines of the shard files, in order.
///
/// The bytes are those `Compiler` writes (the same generator and seed per shard, each shard
/// refusing the texts of the split's earlier shards), so the first `limit` lines of a split's
/// stream equal the first `limit` lines of its shard files.
public struct RecordStream {
    public var recipe: Recipe
    /// The splits to stream, in recipe order; nil: every split.
    public var splits: [String]?
    /// Stop after this many records in all; nil: every record.
    public var limit: Int?

    public init(recipe: Recipe, splits: [String]? = nil, limit: Int? = nil) {
        self.recipe = recipe
        self.splits = splits
        self.limit = limit
    }

    private struct Enough: Error {}

    /// Hands the stream's bytes, a buffer-full at a time, to `sink`; returns the record count.
    ///
    /// - Throws: `RecipeError` for a split the recipe lacks; `GenerationError`; what `sink` throws.
    @discardableResult
    public func write(to sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        if let splits {
            for name in splits where !recipe.splits.contains(where: { $0.name == name }) {
                throw RecipeError(
                    file: recipe.file,
                    line: 0,
                    column: 0,
                    message: "no split '\(name)' (splits: \(recipe.splits.map(\.name).joined(separator: ", ")))"
                )
            }
        }
        let grammar = recipe.grammar
        let jobs = Plan(recipe: recipe).jobs.filter { splits?.contains($0.splitName) ?? true }
        var written = 0
        let cap = limit ?? Int.max
        guard cap > 0 else { return 0 }
        var earlier = FingerprintSet()
        do {
            for job in jobs {
                if job.shard == 0 { earlier = FingerprintSet() }
                var generator = try ShardGenerator(spec: recipe.splits[job.split], grammar: grammar, seed: recipe.seed)
                generator.exclusion = earlier.count > 0 ? .set(earlier) : nil
                defer { for text in generator.fingerprints { _ = earlier.insert(text) } }
                _ = try generator.generate(job) { chunk in
                    var end = chunk.count
                    for i in 0..<chunk.count where chunk[i] == 0x0A {
                        written += 1
                        // Cut after the line that reaches the limit.
                        if written == cap {
                            end = i + 1
                            break
                        }
                    }
                    try sink(UnsafeRawBufferPointer(rebasing: chunk[0..<end]))
                    if written >= cap { throw Enough() }
                }
            }
        } catch is Enough {}
        return written
    }
}

import AxiomCore
import AxiomGrammar
import AxiomRecords
import Crypto
import Dispatch
import Foundation
import Synchronization

/// Runs a `Plan`: generates shards in parallel, writes them atomically with their statistics,
/// and assembles the manifest and dataset card last.
public struct Compiler: Sendable {
    public var recipe: Recipe
    public var outputDirectory: String
    public var jobs: Int
    public var force: Bool
    /// How progress shows on stderr (never on the corpus's bytes).
    public var progress: ProgressStyle

    public init(
        recipe: Recipe,
        outputDirectory: String,
        jobs: Int = 1,
        force: Bool = false,
        progress: ProgressStyle = .off
    ) {
        self.recipe = recipe
        self.outputDirectory = outputDirectory
        self.jobs = max(1, jobs)
        self.force = force
        self.progress = progress
    }

    static let recipeCopy = ".axiomc/recipe.yaml"
    /// The seed in effect (the recipe's, or `--seed`'s), beside the recipe copy.
    static let seedCopy = ".axiomc/seed"
    /// The layout `--format` forced, if any, beside the recipe copy.
    static let formatCopy = ".axiomc/format"
    /// The factor `--scale` multiplied the split counts by, if any, beside the recipe copy.
    static let scaleCopy = ".axiomc/scale"

    /// Compiles the shards of worker `worker` of `workers` (all of them by default). When every
    /// shard of the plan exists afterwards, writes the manifest and returns it.
    @discardableResult
    public func compile(worker: Int = 0, of workers: Int = 1) throws -> Manifest? {
        try prepareDirectory()
        let plan = Plan(recipe: recipe)
        let mine = plan.jobs(worker: worker, of: workers)
        let threads = min(jobs, max(1, mine.count))
        // Each thread renders with its own copy: threads sharing one grammar's arrays contend on
        // their reference counts.
        let grammars = threads > 1 ? recipe.grammar.unshared(threads) : [recipe.grammar]
        try removeStaleTemporaries(owned: mine, alone: workers == 1)
        let meter = ProgressMeter("compile", total: mine.reduce(0) { $0 + $1.records }, style: progress)
        try Self.concurrently(mine.count, threads: threads) { i, thread in
            let job = mine[i]
            _ = try write(job, spec: recipe.splits[job.split], grammar: grammars[thread], meter: meter)
        }
        meter.finish()
        if plan.jobs.contains(where: { !FileManager.default.fileExists(atPath: outputDirectory + "/" + $0.partPath) }) {
            return nil
        }
        return try assemble()
    }

    /// Finishes a corpus whose every shard exists: redraws the shards that repeat an earlier
    /// shard's text (`removeRepeats`), then writes the manifest and dataset card.
    public func assemble() throws -> Manifest {
        let plan = Plan(recipe: recipe)
        // With a shard missing, the manifest writer says which.
        let complete = plan.jobs.allSatisfy {
            FileManager.default.fileExists(atPath: outputDirectory + "/" + $0.partPath)
        }
        for split in recipe.splits.indices where complete && recipe.splits[split].shardCount > 1 {
            try removeRepeats(plan.jobs(split: split), spec: recipe.splits[split])
        }
        return try ManifestWriter(recipe: recipe, directory: outputDirectory).write()
    }

    /// Refuses a directory holding a different corpus unless forced; records this recipe.
    func prepareDirectory() throws {
        let fm = FileManager.default
        let copy = outputDirectory + "/" + Self.recipeCopy
        if fm.fileExists(atPath: outputDirectory) {
            let contents = (try? fm.contentsOfDirectory(atPath: outputDirectory)) ?? []
            // Another worker of the same fan-out may have made only `.axiomc` so far.
            if !contents.isEmpty && contents != [".axiomc"] && !force {
                let existing = fm.contents(atPath: copy).map { String(decoding: $0, as: UTF8.self) }
                let existingSeed = fm.contents(atPath: outputDirectory + "/" + Self.seedCopy).map {
                    String(decoding: $0, as: UTF8.self)
                }
                let existingFormat = fm.contents(atPath: outputDirectory + "/" + Self.formatCopy).map {
                    String(decoding: $0, as: UTF8.self)
                }
                let existingScale = fm.contents(atPath: outputDirectory + "/" + Self.scaleCopy).map {
                    String(decoding: $0, as: UTF8.self)
                }
                let scale: String? = recipe.countScale.map { String($0) }
                guard existing == recipe.text, existingSeed == String(recipe.seed),
                    existingFormat == recipe.formatOverride?.rawValue, existingScale == scale
                else {
                    throw IOError(
                        path: outputDirectory,
                        message: existing == nil
                            ? "the directory is not empty and holds no axiomc corpus; use --force to write into it"
                            : "the directory holds a corpus of a different recipe, seed, format or scale; use --force to replace it"
                    )
                }
            }
            if force && !contents.isEmpty {
                // A forced compile starts from nothing: no stale shard or manifest survives.
                for item in contents { try fm.removeItem(atPath: outputDirectory + "/" + item) }
            }
        }
        do {
            try fm.createDirectory(atPath: outputDirectory + "/.axiomc/parts", withIntermediateDirectories: true)
        } catch {
            throw IOError(path: outputDirectory, message: "cannot create the directory: \(error.localizedDescription)")
        }
        // The manifest is rewritten last; until then the corpus is visibly incomplete.
        if fm.fileExists(atPath: outputDirectory + "/manifest.json") {
            try? fm.removeItem(atPath: outputDirectory + "/manifest.json")
        }
        try AtomicFile.write(Array(recipe.text.utf8), to: copy)
        try AtomicFile.write(Array(String(recipe.seed).utf8), to: outputDirectory + "/" + Self.seedCopy)
        if let format = recipe.formatOverride {
            try AtomicFile.write(Array(format.rawValue.utf8), to: outputDirectory + "/" + Self.formatCopy)
        } else {
            try? fm.removeItem(atPath: outputDirectory + "/" + Self.formatCopy)
        }
        if let scale = recipe.countScale {
            try AtomicFile.write(Array(String(scale).utf8), to: outputDirectory + "/" + Self.scaleCopy)
        } else {
            try? fm.removeItem(atPath: outputDirectory + "/" + Self.scaleCopy)
        }
    }

    /// Removes what killed compiles of this corpus left behind: temporary files of the shards
    /// this worker owns (nobody else writes them), and, when this worker writes the whole plan,
    /// every other temporary file; in a fan-out, the others only when their writer is no longer
    /// running on this machine.
    func removeStaleTemporaries(owned: ShardJobs, alone: Bool) throws {
        let temporaries = AtomicFile.temporaries(in: outputDirectory)
        if temporaries.isEmpty { return }
        let mine = Set(owned.lazy.flatMap { [$0.path, $0.partPath] })
        for t in temporaries where t.pid != System.processID {
            guard alone || mine.contains(t.final) || !AtomicFile.isAlive(t.pid) else { continue }
            if !System.remove(outputDirectory + "/" + t.path) {
                throw IOError.errno(outputDirectory + "/" + t.path, "removing a stale temporary file")
            }
        }
    }

    /// Runs `body(i, thread)` for every `i` in `0..<count` on `threads` threads (each thread
    /// with the task catalog in scope); the first error stops the rest and is rethrown.
    static func concurrently(
        _ count: Int,
        threads: Int,
        _ body: @escaping @Sendable (_ i: Int, _ thread: Int) throws -> Void
    ) throws {
        let errors = ErrorBox()
        let next = Counter()
        let catalog = TaskCatalog.scope
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            catalog.run {
                while true {
                    let i = next.increment() - 1
                    if i >= count || errors.first != nil { return }
                    do { try body(i, thread) } catch { errors.set(error) }
                }
            }
        }
        if let error = errors.first { throw error }
    }

    /// Generates `job`'s shard and writes it atomically with its statistics; returns the draw's
    /// fingerprints. A first draw (no `exclusion`) of a split with several shards also writes
    /// them, for `removeRepeats`.
    func write(
        _ job: ShardJob,
        spec: SplitSpec,
        grammar: Grammar,
        meter: ProgressMeter,
        exclusion: FingerprintExclusion? = nil
    ) throws -> ShardDraw {
        let path = outputDirectory + "/" + job.path
        var file = try AtomicFile(path: path)
        var hasher = SHA256()
        var bytes = 0
        var generator = try ShardGenerator(spec: spec, grammar: grammar, seed: recipe.seed)
        generator.exclusion = exclusion
        // A throw before commit drops `file`, which removes its temporary.
        var stats = try generator.generate(job) { chunk in
            hasher.update(bufferPointer: chunk)
            bytes += chunk.count
            try file.write(chunk)
            // A record is one line: a chunk's newlines are the records it finishes.
            if meter.style != .off { meter.add(ProgressMeter.lines(in: chunk)) }
        }
        try file.commit()
        stats.bytes = bytes
        stats.sha256 = hasher.finalize().hex
        let draw = ShardDraw(texts: generator.fingerprints, queried: generator.queried, exclusion: exclusion)
        if exclusion == nil && job.shardCount > 1 {
            try AtomicFile.write(draw.bytes(), to: outputDirectory + "/" + job.fingerprintPath)
        }
        try AtomicFile.write(Array(try JSONDocument.encode(stats)), to: outputDirectory + "/" + job.partPath)
        return draw
    }
}

/// The first error the compile workers hit; later ones are dropped.
final class ErrorBox: Sendable {
    private let state = Mutex<(any Error)?>(nil)
    var first: (any Error)? { state.withLock { $0 } }
    func set(_ e: any Error) { state.withLock { if $0 == nil { $0 = e } } }
}

/// A shared running total: the compile workers take shard indices from it.
final class Counter: Sendable {
    private let state = Mutex(0)
    func increment() -> Int { add(1) }
    func add(_ n: Int) -> Int {
        state.withLock {
            $0 += n
            return $0
        }
    }
}

import AxiomCore
import AxiomRecords

/// Integer counters kept in the hot loop, turned into `ShardStats` once per shard.
struct StatCounters {
    var strata: [Int: (yes: Int, no: Int)] = [:]
    var nodes: [Int: Int] = [:]
    var hops: [Int: Int] = [:]
    var given: [Int: Int] = [:]
    var sentences: [Int: Int] = [:]
    var orders: [Int: Int] = [:]
    var axioms: [Int: Int] = [:]
    /// Keyed by catalog index << 8 | question type.
    var types: [Int: Int] = [:]
    /// Records written with a contrastive twin (each pair counts twice).
    var twins = 0

    static func stratumKey(axiom: Int, nodes: Int, given: Int) -> Int { (axiom * 10_000 + nodes) * 1_000 + given }

    func finish(into stats: inout ShardStats, orderNames: [String], axiomNames: [String]) {
        for (key, v) in strata {
            let given = key % 1_000, nodes = (key / 1_000) % 10_000, axiom = key / 10_000_000
            stats.strata["\(axiomNames[axiom])/nodes=\(nodes)/given=\(given)"] = [v.yes, v.no]
        }
        func h(_ d: [Int: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: d.map { ($0.key < 0 ? "null" : String($0.key), $0.value) })
        }
        stats.histograms["nodes"] = h(nodes)
        stats.histograms["hops"] = h(hops)
        stats.histograms["given_size"] = h(given)
        stats.histograms["premise_sentences"] = h(sentences)
        stats.histograms["order"] = Dictionary(uniqueKeysWithValues: orders.map { (orderNames[$0.key], $0.value) })
        if twins > 0 { stats.histograms["twinned"] = ["records": twins] }
        stats.histograms["axiom"] = Dictionary(uniqueKeysWithValues: axioms.map { (axiomNames[$0.key], $0.value) })
        let tasks = TaskCatalog.all()
        stats.histograms["type"] = Dictionary(uniqueKeysWithValues: types.map {
            ("\(axiomNames[$0.key >> 8])/\(tasks[$0.key >> 8].typeNames[$0.key & 0xFF])", $0.value)
        })
    }
}

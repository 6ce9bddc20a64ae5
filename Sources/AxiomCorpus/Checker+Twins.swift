import AxiomCore

/// A split's twinned records, paired as they are read: a pair is checked as soon as its second
/// record arrives and both leave the table, so it holds the records whose twin has not come yet
/// (a twin follows its question, so a handful) rather than every twinned record of the split.
///
/// Twins are reciprocal, with opposite labels, the same names and question, and graphs on the
/// same skeleton with the premise's edge order kept. `TwinMode.some` twins differ in one reversed
/// edge and no cue value; `TwinMode.all` twins in any directions. Twins of a causal model's
/// question (in either mode) have the same graph and cues and differ in the tables.
struct TwinTable {
    let mode: TwinMode
    /// Twinned records read so far.
    private(set) var records = 0
    private var waiting: [String: CheckedRecord] = [:]
    private var problems: [(id: String, problem: String)] = []

    init(mode: TwinMode) { self.mode = mode }

    mutating func add(_ r: CheckedRecord) {
        records += 1
        if let twin = r.twin, let other = waiting[twin], other.twin == r.id, twin != r.id {
            waiting[twin] = nil
            if let p = Self.pairProblem(other, r, mode: mode) { problems.append((other.id, p)) }
            if let p = Self.pairProblem(r, other, mode: mode) { problems.append((r.id, p)) }
        } else {
            waiting[r.id] = r
        }
    }

    /// The problems, by record id: those of the pairs, then of the records left unpaired.
    mutating func finish() -> [(id: String, problem: String)] {
        for (id, a) in waiting {
            if let b = waiting[a.twin!], b.twin == id {
                // Only a record naming itself stays paired with itself here.
                if let p = Self.pairProblem(a, b, mode: mode) { problems.append((id, p)) }
            } else {
                problems.append((id, "its twin '\(a.twin!)' is not in the split or does not name it back"))
            }
        }
        waiting.removeAll()
        return problems.sorted { $0.id < $1.id }
    }

    /// What is wrong with `a` as the twin of `b` (which names it back), or nil.
    static func pairProblem(_ a: CheckedRecord, _ b: CheckedRecord, mode: TwinMode) -> String? {
        let ea = a.graph.edges
        let eb = b.graph.edges
        if a.model != nil || b.model != nil {
            // The premises: the same sentences, digits aside (the tables' numbers).
            func masked(_ premise: String) -> [UInt8] { premise.utf8.map { (0x30...0x39).contains($0) ? 0x23 : $0 } }
            let same = a.label != b.label && a.hypothesis == b.hypothesis && a.names == b.names && ea == eb
            guard same, a.cues == b.cues, a.model?.tables != b.model?.tables, masked(a.premise) == masked(b.premise)
            else {
                return "it and its twin '\(b.id)' must differ in the probability tables and the label only "
                    + "(same names, question, graph, cues and sentences)"
            }
            return nil
        }
        let sameSkeleton =
            ea.count == eb.count
            && zip(ea, eb).allSatisfy { $0 == $1 || ($0.from == $1.to && $0.to == $1.from) }
        let reversed = zip(ea, eb).filter { $0 != $1 }.count
        let same = a.label != b.label && a.hypothesis == b.hypothesis && a.names == b.names && sameSkeleton
        if mode == .all, !same || reversed == 0 {
            return "it and its twin '\(b.id)' must differ in edge directions and the label only "
                + "(same names, question and skeleton, edges listed in the same order)"
        } else if mode != .all, !same || reversed != 1 || a.cues != b.cues {
            return
                "it and its twin '\(b.id)' must differ in one reversed edge and the label only (same names, question and cues)"
        }
        return nil
    }
}

import ArgumentParser
import AxiomCore
import AxiomRecords

extension Axiomc {
    struct Tasks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the tasks: what each asks, its question types, and its difficulty levels.",
            discussion: """
                A recipe's split asks tasks by name ('tasks: [transitivity, mediator]', or with \
                weights 'tasks: {transitivity: 2, mediator: 1}'); 'level: easy | medium | hard | \
                1 … 5' (or per attribute, 'level: {nodes: 4, density: 2}') sets the split keys each \
                attribute stands for, as listed here, unless the split or its defaults set them.

                --json prints an array of {"name", "summary", "premise", "question_types": \
                [{"name", "label"}], "difficulty": {"family", "levels", "presets", "attributes": \
                {ATTRIBUTE: [value at level 1, …]}}}; a range is [min, max].
                """
        )

        @Flag(help: "Print the tasks as a JSON array.") var json = false

        func run() throws {
            let tasks = TaskCatalog.all()
            if json {
                print(JSONValue.array(tasks.map(Self.json)).serialized(pretty: true))
                return
            }
            for task in tasks {
                print("\(task.axiom.rawValue): \(task.summary)")
                let types = zip(task.typeNames, task.typeLabels).map { "\($0) (\($1 ? "Yes" : "No"))" }
                print("  question types: " + types.joined(separator: ", "))
                let d = task.difficulty
                print("  levels \(Difficulty.levels.lowerBound)–\(Difficulty.levels.upperBound) (family \(d.family)):")
                for a in d.attributes {
                    print("    \(a.rawValue): " + Self.values(d, a).map(Self.text).joined(separator: " | "))
                }
            }
            let presets = Difficulty.presets.map { "\($0.name) = \($0.level)" }.joined(separator: ", ")
            print("presets: \(presets)")
        }

        /// Attribute `a`'s value at every level, as JSON.
        static func values(_ d: Difficulty, _ a: Difficulty.Attribute) -> [JSONValue] {
            func range(_ r: ClosedRange<Int>) -> JSONValue {
                .array([.number(Double(r.lowerBound)), .number(Double(r.upperBound))])
            }
            switch a {
            case .nodes: return d.nodes.map(range)
            case .density: return d.density.map { .number($0) }
            case .givenSize: return d.givenSize.map(range)
            case .distractors: return d.distractors.map { .number(Double($0)) }
            case .nameLength: return d.nameLength.map(range)
            case .order: return d.order.map { .array($0.map(JSONValue.string)) }
            }
        }

        static func text(_ v: JSONValue) -> String {
            switch v {
            case let .array(items) where items.allSatisfy({ if case .number = $0 { true } else { false } }):
                items.map(text).joined(separator: "–")
            case let .array(items): items.map(text).joined(separator: "+")
            case let .string(s): s
            default: v.serialized()
            }
        }

        static func json(_ task: any CausalTask) -> JSONValue {
            let d = task.difficulty
            return .object([
                ("name", .string(task.axiom.rawValue)),
                ("summary", .string(task.summary)),
                ("premise", .string(task.premiseStyle.name)),
                (
                    "question_types",
                    .array(
                        zip(task.typeNames, task.typeLabels).map {
                            .object([("name", .string($0)), ("label", .string($1 ? "Yes" : "No"))])
                        }
                    )
                ),
                (
                    "difficulty",
                    .object([
                        ("family", .string(d.family)),
                        ("levels", .number(Double(Difficulty.levels.upperBound))),
                        ("presets", .object(Difficulty.presets.map { ($0.name, .number(Double($0.level))) })),
                        ("attributes", .object(d.attributes.map { ($0.rawValue, .array(values(d, $0))) })),
                    ])
                ),
            ])
        }
    }
}

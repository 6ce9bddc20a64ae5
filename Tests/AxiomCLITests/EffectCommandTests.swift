import AxiomCore
import AxiomRecords
import Foundation
import Testing

@testable import AxiomCLI

@Suite struct ModelDocuments {
    static let simpson = """
        {"variables": ["Z", "X", "Y"],
         "edges": [["Z", "X"], ["Z", "Y"], ["X", "Y"]],
         "tables": {"Z": {"parents": [], "p": [0.5]},
                    "X": {"parents": ["Z"], "p": [0.2, 0.8]},
                    "Y": {"parents": ["Z", "X"], "p": [0.4, 0.3, 0.9, 0.8]}}}
        """

    /// Row i of a document: the first parent is the most significant digit; listing the parents
    /// in another order (with the rows to match) is the same model; writing and reading gives it back.
    @Test func rowsFollowTheListedParents() throws {
        let a = try NamedModel.parse(json: Array(Self.simpson.utf8))
        // Model rows: bit 0 is Z (node 0), bit 1 is X (node 1). P(Y | Z=0, X=1) = 0.30.
        #expect(a.model.tables == [[50], [20, 80], [40, 90, 30, 80]])
        let swapped = Self.simpson.replacingOccurrences(
            of: #""Y": {"parents": ["Z", "X"], "p": [0.4, 0.3, 0.9, 0.8]}"#,
            with: #""Y": {"parents": ["X", "Z"], "p": [0.4, 0.9, 0.3, 0.8]}"#
        )
        #expect(swapped != Self.simpson)
        #expect(try NamedModel.parse(json: Array(swapped.utf8)) == a)
        #expect(try NamedModel.parse(json: Array(a.json.serialized().utf8)) == a)
    }

    @Test func badDocumentsNameTheField() {
        func error(_ replace: String, _ with: String) -> String {
            let text = Self.simpson.replacingOccurrences(of: replace, with: with)
            #expect(text != Self.simpson, "the fixture holds '\(replace)'")
            do {
                _ = try NamedModel.parse(json: Array(text.utf8))
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(
            error("0.9, 0.8]", "0.9, 0.805]")
                == "tables.Y.p[3]: 0.805 is not a probability with two decimals in 0.01…0.99"
        )
        #expect(error("0.9, 0.8]", "0.9, 1]") == "tables.Y.p[3]: 1 is not a probability with two decimals in 0.01…0.99")
        #expect(
            error("[0.2, 0.8]", "[0.2]") == "tables.X.p: 2 probabilities are needed, one per row of the parents' values"
        )
        #expect(
            error(#"["Z", "X"], "p""#, #"["X"], "p""#)
                == "tables.Y.parents: [X] are not the causes the edges give: [Z, X]"
        )
        #expect(
            error(#"["X", "Y"]]"#, #"["X", "Y"], ["Y", "Z"]]"#) == "edges: the edges form a cycle: Z -> X -> Y -> Z"
        )
        #expect(error(#""edges""#, #""edge""#) == "edge: unknown key (a model has 'variables', 'edges' and 'tables')")
        #expect(error(#"[["Z", "X"]"#, #"[["Z", "Q"]"#) == "edges[0][1]: 'Q' is not among the variables")
        // Infinite or huge numbers are refused, not converted.
        #expect(
            error("0.9, 0.8]", "0.9, 1e400]")
                == "tables.Y.p[3]: inf is not a probability with two decimals in 0.01…0.99"
        )
        #expect(
            error("0.9, 0.8]", "0.9, 1e20]")
                == "tables.Y.p[3]: 1e+20 is not a probability with two decimals in 0.01…0.99"
        )
        #expect(
            error(#""edges": [["Z", "X"], ["Z", "Y"], ["X", "Y"]],"#, "")
                == "edges: a list of [cause, effect] pairs is needed ([] for none)"
        )
        #expect(
            error(
                #""Z": {"parents": [], "p": [0.5]},"#,
                #""Z": {"parents": [], "p": [0.5]}, "Z": {"parents": [], "p": [0.6]},"#
            ) == "tables.Z: a second table for 'Z'"
        )
    }
}

@Suite(.serialized) struct EffectCommand {
    @Test func answersAndRejectsBadQuestions() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "axiomc-simpson-\(UUID().uuidString).json"
        ).path
        try ModelDocuments.simpson.write(toFile: file, atomically: true, encoding: .utf8)
        let base = ["effect", "--model", file, "--treatment", "X", "--outcome", "Y"]
        #expect(run(base + ["--quantity", "ate"]) == nil)
        #expect(run(base + ["--quantity", "ate", "--json"]) == nil)
        #expect(run(base + ["--quantity", "nde"]) == "--quantity nde needs --mediator")
        #expect(run(base + ["--quantity", "ate", "--mediator", "Z"]) == "--mediator belongs to nde and nie only")
        #expect(
            run(base + ["--quantity", "risk"])?.hasPrefix("--quantity 'risk' is not one of association, ate") == true
        )
        #expect(
            run(["effect", "--model", file, "--treatment", "Q", "--outcome", "Y", "--quantity", "ate"])
                == "--treatment 'Q' is not a variable of the model (Z, X, Y)"
        )
        #expect(
            run([
                "effect", "--edges", "A->B", "--model", file, "--quantity", "ate", "--treatment", "A", "--outcome", "B",
            ]) == "--model and --edges exclude each other"
        )
        #expect(
            run(["effect", "--edges", "A->B", "--seed", "4", "--quantity", "ett", "--treatment", "A", "--outcome", "B"])
                == nil
        )
    }

    /// The report states the exact value, the route and every stratum (Simpson's reversal).
    @Test func reportShowsTheDerivation() throws {
        let named = try NamedModel.parse(json: Array(ModelDocuments.simpson.utf8))
        var rules = Identification(model: named.model)
        let query = EffectQuery(.ate, treatment: 1, outcome: 2)
        let report = EffectReport(
            names: named.names,
            query: query,
            derivation: rules.derive(query),
            twin: TwinNetwork(model: named.model).value(query)
        )
        #expect(
            report.text == """
                ATE of X on Y = -1/10 (-0.1000)
                  P(Y=1 | do(X=1)) - P(Y=1 | do(X=0))
                  by backdoor adjustment over {Z}
                  P(Z=0) [1/2] * (P(Y=1 | X=1, Z=0) [3/10] - P(Y=1 | X=0, Z=0) [2/5]) = -1/20
                  P(Z=1) [1/2] * (P(Y=1 | X=1, Z=1) [4/5] - P(Y=1 | X=0, Z=1) [9/10]) = -1/20
                  the twin-network enumeration of potential outcomes agrees: -1/10

                """
        )
        let json = JSONValue.object(report.json)
        #expect(json["value"]?.string == "-1/10" && json["route"]?.string == "adjustment")
        #expect(json["adjustment"] == .array([.string("Z")]))
    }
}

import AxiomCore
import Foundation
import Testing

@testable import AxiomGrammar

@Suite struct GrammarLoading {
    @Test func embeddedSchemaMatchesTheFile() throws {
        let file = try String(contentsOfFile: repoRoot + "/Grammars/grammar.xsd", encoding: .utf8)
        #expect(GrammarSchema.xsd + "\n" == file, "run scripts/embed-files.sh")
    }

    @Test func embeddedGrammarsMatchTheFiles() throws {
        let dir = repoRoot + "/Grammars"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".xml") }.sorted()
        #expect(Grammar.embeddedNames == files.map { String($0.dropLast(4)) }, "run scripts/embed-files.sh")
        for file in files {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            #expect(
                Grammar.embeddedText(String(file.dropLast(4))) == text,
                "\(file) differs from its embedded copy: run scripts/embed-files.sh"
            )
        }
    }

    @Test func unsharedCopiesRenderWhatTheGrammarRenders() throws {
        let premise = Array("A causes B.".utf8)
        let hypothesis = Array("Does A cause B?".utf8)
        let embedded = try GrammarCatalog.embedded().grammar("en")
        let onDisk = try Grammar.load(path: repoRoot + "/Grammars/paper.xml")
        for grammar in [embedded, onDisk] {
            let copies = grammar.unshared(3)
            #expect(copies.count == 3 && copies.allSatisfy { $0.file == grammar.file })
            let expected = Renderer(grammar: grammar).prompts(premise: premise, hypothesis: hypothesis)
            #expect(!expected.isEmpty)
            for copy in copies {
                #expect(Renderer(grammar: copy).prompts(premise: premise, hypothesis: hypothesis) == expected)
            }
        }
        // A source that cannot be read again gives the grammar itself.
        var gone = onDisk
        gone.file = "/nonexistent/paper.xml"
        #expect(gone.unshared(2).map(\.file) == [gone.file, gone.file])
    }

    @Test func searchPathListsAxiomcPathRootsThenTheWorkingDirectory() {
        let env = ["AXIOMC_PATH": "/opt/a/::rel/b", "AXIOMC_GRAMMARS": "/g"]
        #expect(SearchPath.roots(environment: env) == ["/opt/a", "rel/b", "."])
        #expect(SearchPath.directories("Corpora", environment: env) == ["/opt/a/Corpora", "rel/b/Corpora", "Corpora"])
        #expect(Grammar.searchDirectories(environment: env) == ["/g", "/opt/a/Grammars", "rel/b/Grammars", "Grammars"])
        #expect(Grammar.searchDirectories(environment: [:]) == ["Grammars"])
    }

    @Test(arguments: ["paper", "en"])
    func shippedGrammarsLoad(name: String) throws {
        let g = try shipped(name)
        #expect(g.name == name)
        #expect(g.explains)
        #expect(g.prompt != nil)
        for word in ["causes", "does", "cause", "yes", "no", "are", "and", "given", "d-separated"] {
            #expect(g.reservedWords.contains(word), "\(word) reserved in \(name)")
        }
    }

    @Test func malformedXMLIsLocated() throws {
        let e = loadError(try paperXML { $0.replacingOccurrences(of: "</edge>", with: "</edg>") })
        #expect(e?.hasPrefix("bad.xml:7:") == true, "\(e ?? "nil")")
    }

    @Test func unknownSlotIsLocated() throws {
        let e = loadError(
            try paperXML {
                $0.replacingOccurrences(of: "<t><x/> causes <y/>.</t></edge>", with: "<t><x/> causes <w/>.</t></edge>")
            }
        )
        #expect(e?.hasPrefix("bad.xml:7:") == true && e?.contains("w") == true, "\(e ?? "nil")")
    }

    @Test func slotOutOfPlaceIsLocated() throws {
        let e = loadError(
            try paperXML {
                $0.replacingOccurrences(of: "<t><x/> causes <y/>.</t></edge>", with: "<t><x/> causes <z/>.</t></edge>")
            }
        )
        #expect(e == "bad.xml:7: error: unknown slot <z/> in <edge>; allowed here: <x/>, <y/>")
    }

    @Test func aTaskMissingOneOfItsQuestionsIsLocated() throws {
        let e = loadError(
            try paperXML {
                $0.replacingOccurrences(
                    of:
                        "<question axiom=\"d-separation\" given=\"some\"><t>Are <x/> and <y/> d-separated given <z/>?</t></question>",
                    with: ""
                )
            }
        )
        #expect(e == "bad.xml:3: error: missing question for d-separation given a set")
    }

    @Test func anUnknownTaskIsLocated() throws {
        let e = loadError(
            try paperXML {
                $0.replacingOccurrences(
                    of: "<question axiom=\"transitivity\">",
                    with: "<question axiom=\"transitivty\">"
                )
            }
        )
        let known = TaskCatalog.names.map(\.rawValue).joined(separator: ", ")
        #expect(e == "bad.xml:8: error: unknown task 'transitivty' (\(known))")
    }

    @Test func aGrammarMayAskOnlySomeTasks() throws {
        let g = try Grammar.load(
            bytes: Array(
                try paperXML {
                    $0.replacingOccurrences(
                        of: "<question axiom=\"transitivity\"><t>Does <x/> cause <y/>?</t></question>",
                        with: ""
                    )
                }.utf8
            ),
            file: "bad.xml"
        )
        #expect(!g.asks(Transitivity()))
        #expect(g.asks(DSeparation()))
        #expect(g.explains(Transitivity()), "explanations are independent of questions")
    }

    @Test func missingSlotIsLocated() throws {
        let e = loadError(
            try paperXML {
                $0.replacingOccurrences(of: "<t>Does <x/> cause <y/>?</t>", with: "<t>Does <x/> cause it?</t>")
            }
        )
        #expect(e == "bad.xml:8: error: <question> template must hold <y/> exactly once")
    }

    @Test func unreadableSlotBoundaryIsRejected() throws {
        let e = loadError(
            try paperXML {
                $0.replacingOccurrences(of: "<t><x/> causes <y/>.</t></edge>", with: "<t><x/>s cause <y/>.</t></edge>")
            }
        )
        #expect(e?.contains("starts with a name character") == true, "\(e ?? "nil")")
    }

    @Test func externalEntitiesAreRefused() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("axiomc-secret.txt").path
        try "SECRET".write(toFile: secret, atomically: true, encoding: .utf8)
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE grammar [ <!ENTITY leak SYSTEM "file://\(secret)"> ]>
            <grammar name="x" version="1"><answers yes="&leak;" no="No"/></grammar>
            """
        let e = loadError(xml)
        #expect(e == "bad.xml:2: error: DOCTYPE declarations and entities are not allowed in grammars")
    }

    @Test func entityBombIsRefused() {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            xml += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">\n"
        }
        xml += "]>\n<grammar>&lol9;</grammar>\n"
        #expect(loadError(xml)?.contains("not allowed") == true)
    }

    @Test func schemaViolationsAreLocated() throws {
        let e = loadError(
            try paperXML {
                $0.replacingOccurrences(of: "<answers yes=\"Yes\" no=\"No\"/>", with: "<answers yes=\"Yes\"/>")
            }
        )
        #expect(e?.hasPrefix("bad.xml:4:") == true && e?.contains("no") == true, "\(e ?? "nil")")
    }
}

import AxiomRecords
internal import CLibXML2

/// A read-only XML element tree with source lines, built from libxml2's tree. This is the only
/// file that touches libxml2.
struct XMLElement: Sendable {
    enum Child: Sendable {
        case text(String)
        case element(XMLElement)
    }
    var name: String
    var attributes: [String: String]
    var children: [Child]
    var line: Int

    var elements: [XMLElement] {
        children.compactMap { if case let .element(e) = $0 { e } else { nil } }
    }
}

/// A located problem in a grammar file.
public struct GrammarError: UserError, Sendable {
    /// `file:line:col: error: what` (see `UserError`).
    public var isLocated: Bool { true }
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        UserErrorLine.located(file: file, line: line, column: column > 0 ? column : nil, message)
    }
}

/// Parses and schema-validates XML with libxml2, refusing DTDs and entities.
enum XMLLoader {
    /// Parses `bytes` (named `file` in errors), validates it against `schema` (XSD text) and
    /// returns its root element.
    ///
    /// The parser never loads external resources (`XML_PARSE_NONET`, no DTD loading, no entity
    /// substitution), and a document with any DOCTYPE is refused, so external entities and
    /// entity-expansion bombs never reach the grammar.
    static func load(_ bytes: [UInt8], file: String, schema: String) throws -> XMLElement {
        var sink = axiomc_xml_errors()
        axiomc_capture_errors(&sink)
        defer { axiomc_release_errors() }

        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlReadMemory($0, Int32(buf.count), file, nil, options)
            }
        }
        guard let doc else {
            throw firstError(&sink, file: file, fallback: "not well-formed XML")
        }
        defer { xmlFreeDoc(doc) }
        if doc.pointee.intSubset != nil || doc.pointee.extSubset != nil {
            throw GrammarError(
                file: file,
                line: 1,
                message: "DOCTYPE declarations and entities are not allowed in grammars"
            )
        }
        try validate(doc, file: file, schema: schema, sink: &sink)
        guard let root = xmlDocGetRootElement(doc) else {
            throw GrammarError(file: file, line: 1, message: "empty document")
        }
        return try convert(root, file: file)
    }

    private static func validate(_ doc: xmlDocPtr, file: String, schema: String, sink: inout axiomc_xml_errors) throws {
        // The parser context reads the schema buffer lazily, so it must outlive xmlSchemaParse.
        let schemaBytes = Array(schema.utf8)
        let compiled = try schemaBytes.withUnsafeBufferPointer { buf -> xmlSchemaPtr in
            try buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { chars -> xmlSchemaPtr in
                guard let parserCtxt = xmlSchemaNewMemParserCtxt(chars, Int32(buf.count)) else {
                    throw GrammarError(file: "<schema>", line: 1, message: "cannot read the grammar schema")
                }
                defer { xmlSchemaFreeParserCtxt(parserCtxt) }
                axiomc_schema_parser_errors(parserCtxt, &sink)
                guard let compiled = xmlSchemaParse(parserCtxt) else {
                    throw firstError(&sink, file: "<schema>", fallback: "invalid grammar schema")
                }
                return compiled
            }
        }
        defer { xmlSchemaFree(compiled) }
        guard let validCtxt = xmlSchemaNewValidCtxt(compiled) else {
            throw GrammarError(file: file, line: 1, message: "cannot create a schema validator")
        }
        defer { xmlSchemaFreeValidCtxt(validCtxt) }
        axiomc_schema_valid_errors(validCtxt, &sink)
        if xmlSchemaValidateDoc(validCtxt, doc) != 0 {
            throw firstError(&sink, file: file, fallback: "does not match the grammar schema")
        }
    }

    private static func firstError(_ sink: inout axiomc_xml_errors, file: String, fallback: String) -> GrammarError {
        guard sink.count > 0 else { return GrammarError(file: file, line: 1, message: fallback) }
        let e = sink.errors.0
        var message = withUnsafeBytes(of: e.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        while message.last == "\n" || message.last == " " { message.removeLast() }
        return GrammarError(file: file, line: Int(e.line), column: Int(e.column), message: message)
    }

    private static func string(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }

    private static func convert(_ node: xmlNodePtr, file: String) throws -> XMLElement {
        var element = XMLElement(
            name: string(node.pointee.name),
            attributes: [:],
            children: [],
            line: Int(xmlGetLineNo(node))
        )
        var attr = node.pointee.properties
        while let a = attr {
            let value = xmlNodeGetContent(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self))
            element.attributes[string(a.pointee.name)] = string(value)
            if let value { axiomc_xml_free(value) }
            attr = a.pointee.next
        }
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                element.children.append(.element(try convert(c, file: file)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                element.children.append(.text(string(c.pointee.content)))
            case XML_ENTITY_REF_NODE, XML_ENTITY_NODE:
                throw GrammarError(
                    file: file,
                    line: Int(xmlGetLineNo(c)),
                    message: "entities are not allowed in grammars"
                )
            default:
                break  // comments, processing instructions
            }
            child = c.pointee.next
        }
        return element
    }
}

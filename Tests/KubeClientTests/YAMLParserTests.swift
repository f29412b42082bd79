import KubeClient
import KubeModels
import Testing

@Suite struct YAMLParserTests {
    @Test func appliesYAML11ScalarRulesToPlainScalarsOnly() throws {
        let value = try YAMLParser.parse(
            """
            a: yes
            b: "yes"
            c: off
            d: 'on'
            e: 42
            f: "42"
            g: 0x1F
            h: 017
            i: 1_000
            j: 3.25
            k: -.5
            l: 1e3
            m: ~
            nn: null
            o: ""
            p:
            q: .inf
            r: True
            s: +12
            t: 1.0.0
            u: n
            v: !!str 12
            w: |
              line one
              line two
            x: >
              folded
              text
            """)
        #expect(value["a"] == true)
        #expect(value["b"] == "yes")
        #expect(value["c"] == false)
        #expect(value["d"] == "on")
        #expect(value["e"] == .int(42))
        #expect(value["f"] == "42")
        #expect(value["g"] == .int(31))
        #expect(value["h"] == .int(15))
        #expect(value["i"] == .int(1000))
        #expect(value["j"] == .double(3.25))
        #expect(value["k"] == .double(-0.5))
        #expect(value["l"] == "1e3")
        #expect(value["m"] == .null)
        #expect(value["nn"] == .null)
        #expect(value["o"] == "")
        #expect(value["p"] == .null)
        #expect(value["q"] == .double(.infinity))
        #expect(value["r"] == true)
        #expect(value["s"] == .int(12))
        #expect(value["t"] == "1.0.0")
        #expect(value["u"] == false)
        #expect(value["v"] == "12")
        #expect(value["w"] == "line one\nline two\n")
        // Clip chomping: no line break follows the last line, so none is kept.
        #expect(value["x"] == "folded text")
    }

    @Test func parsesMultiDocumentStreams() throws {
        let documents = try YAMLParser.parseDocuments(
            """
            ---
            kind: A
            ---
            # only a comment
            ---
            kind: B
            items: [1, two, {x: z, y: n}]
            ...
            """)
        #expect(documents.count == 2)
        #expect(documents[0]["kind"] == "A")
        // YAML 1.1: a plain `y` or `n` is a boolean, even as a key.
        #expect(documents[1]["items"] == [1, "two", ["x": "z", "true": false]])
    }

    @Test func expandsAnchorsAliasesAndMergeKeys() throws {
        let value = try YAMLParser.parse(
            """
            base: &base
              image: nginx
              replicas: 2
            web:
              <<: *base
              replicas: 3
            copy: *base
            1: numeric key
            true: boolean key
            """)
        #expect(value["web"] == ["image": "nginx", "replicas": 3])
        #expect(value["copy"] == ["image": "nginx", "replicas": 2])
        #expect(value["1"] == "numeric key")
        #expect(value["true"] == "boolean key")
    }

    @Test func reportsErrorsWithLineAndColumn() {
        #expect {
            try YAMLParser.parse("a: b\n  c: d\n")
        } throws: { error in
            guard let error = error as? YAMLError else { return false }
            return error.line == 2 && error.description.contains("line 2")
        }
        #expect(throws: YAMLError.self) { try YAMLParser.parse("a: *missing") }
        #expect(throws: YAMLError.self) { try YAMLParser.parse("a: 1\n---\nb: 2\n") }
    }

    @Test func emptyInputIsNull() throws {
        #expect(try YAMLParser.parse("") == .null)
        #expect(try YAMLParser.parseDocuments("").isEmpty)
    }
}

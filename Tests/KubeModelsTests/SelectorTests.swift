import KubeModels
import Testing

@Suite struct LabelSelectorTests {
    @Test func structuredSelectorMatches() {
        let selector = LabelSelector(
            matchLabels: ["app": "web"],
            matchExpressions: [
                .init(key: "tier", operator: .in, values: ["front", "edge"]),
                .init(key: "track", operator: .notIn, values: ["canary"]),
                .init(key: "owner", operator: .exists),
                .init(key: "legacy", operator: .doesNotExist),
            ])
        #expect(selector.matches(["app": "web", "tier": "front", "owner": "x"]))
        #expect(selector.matches(["app": "web", "tier": "edge", "owner": "x", "track": "stable"]))
        #expect(!selector.matches(["app": "web", "tier": "front", "owner": "x", "track": "canary"]))
        #expect(!selector.matches(["app": "web", "tier": "back", "owner": "x"]))
        #expect(!selector.matches(["app": "web", "tier": "front"]))
        #expect(!selector.matches(["app": "web", "tier": "front", "owner": "x", "legacy": ""]))
        #expect(!selector.matches(["app": "api", "tier": "front", "owner": "x"]))
        #expect(LabelSelector().matches([:]))
    }

    @Test func rendersTheSelectorStringSortedByKey() {
        let selector = LabelSelector(
            matchLabels: ["b": "2", "a": "1"],
            matchExpressions: [
                .init(key: "c", operator: .in, values: ["y", "x"]),
                .init(key: "d", operator: .doesNotExist),
                .init(key: "e", operator: .exists),
                .init(key: "f", operator: .notIn, values: ["z"]),
            ])
        #expect(selector.selectorString == "a=1,b=2,c in (x,y),!d,e,f notin (z)")
    }

    @Test func renderedStringParsesBackToAnEquivalentSelector() throws {
        let selector = LabelSelector(matchLabels: ["app": "web"], matchExpressions: [.init(key: "env", operator: .notIn, values: ["dev"])])
        let parsed = try LabelSelector.parse(selector.selectorString)
        for labels: [String: String] in [["app": "web"], ["app": "web", "env": "dev"], ["env": "prod"], ["app": "web", "env": "prod"]] {
            #expect(parsed.matches(labels) == selector.matches(labels))
        }
    }

    @Test func decodesFromKubernetesJSON() throws {
        let value = try JSONValue(parsing: #"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"t","operator":"In","values":["a"]}]}"#)
        let selector = try value.decode(LabelSelector.self)
        #expect(selector.matchExpressions?.first?.operator == .in)
        #expect(selector.matches(["app": "web", "t": "a"]))
        #expect(try JSONValue(encoding: selector) == value)
    }

    @Test func validationNamesTheField() {
        let selector = LabelSelector(matchExpressions: [.init(key: "tier", operator: .in, values: [])])
        #expect {
            try selector.validate(fieldPath: "spec.selector")
        } throws: { error in
            (error as? SelectorParseError)?.description.contains("spec.selector.matchExpressions[0].values") == true
        }
        #expect(throws: SelectorParseError.self) { try LabelSelector(matchLabels: ["bad key": "x"]).validate() }
        #expect(throws: SelectorParseError.self) { try LabelSelector(matchLabels: ["k": "-bad"]).validate() }
        #expect(throws: Never.self) { try LabelSelector(matchLabels: ["example.com/app": "web_1.0"]).validate() }
    }
}

@Suite struct LabelSelectorParserTests {
    @Test func parsesEveryOperator() throws {
        let set = try LabelSelector.parse(" a = b , c==d,e!=f,g in (x, y ,z),h notin (w),!i,j,k>5,l<10 ")
        #expect(set.requirements.map(\.operator) == [.equals, .equals, .notEquals, .in, .notIn, .doesNotExist, .exists, .greaterThan, .lessThan])
        #expect(set.requirements[3].values == ["x", "y", "z"])
        let labels = ["a": "b", "c": "d", "e": "x", "g": "y", "j": "", "k": "6", "l": "9"]
        #expect(set.matches(labels))
        #expect(!set.matches(labels.merging(["i": "1"]) { $1 }))
        #expect(!set.matches(labels.merging(["k": "5"]) { $1 }))
        #expect(!set.matches(labels.merging(["h": "w"]) { $1 }))
        #expect(!set.matches(labels.merging(["e": "f"]) { $1 }))
    }

    @Test func emptySelectorMatchesEverything() throws {
        #expect(try LabelSelector.parse("").isEmpty)
        #expect(try LabelSelector.parse("  ").matches(["x": "y"]))
    }

    @Test func emptyValuesAreAllowed() throws {
        let set = try LabelSelector.parse("a=,b in (,x)")
        #expect(set.matches(["a": "", "b": ""]))
        #expect(!set.matches(["a": "v", "b": ""]))
    }

    @Test func notEqualsMatchesAbsentLabels() throws {
        #expect(try LabelSelector.parse("a!=b").matches([:]))
    }

    @Test func rendersSortedByKey() throws {
        #expect(try LabelSelector.parse("z=1,a in (c,b),!m").description == "a in (b,c),!m,z=1")
    }

    @Test(arguments: [
        ("a=b,", "expected a requirement after ','"),
        ("a in (x", "missing ')'"),
        ("a in ()", "must not be empty"),
        ("a in x", "expected '('"),
        ("a b", "expected an operator"),
        ("=b", "expected a label key"),
        ("a>x", "must be an integer"),
        ("a=b c", "expected ',' or the end"),
        ("-a=b", "must begin and end with an alphanumeric"),
        ("a=b/c", "must consist of"),
        ("!a=b", "expected ','"),
    ])
    func rejectsInvalidSelectors(text: String, fragment: String) {
        #expect {
            try LabelSelector.parse(text)
        } throws: { error in
            guard let error = error as? SelectorParseError else { return false }
            return error.message.contains(fragment) && error.description.contains(text)
        }
    }
}

@Suite struct FieldSelectorTests {
    @Test func parsesAndMatches() throws {
        let selector = try FieldSelector.parse("metadata.name=web,status.phase!=Running,spec.nodeName==n1")
        #expect(selector.requirements.count == 3)
        #expect(selector.matches(["metadata.name": "web", "status.phase": "Pending", "spec.nodeName": "n1"]))
        #expect(!selector.matches(["metadata.name": "web", "status.phase": "Running", "spec.nodeName": "n1"]))
        #expect(!selector.matches(["metadata.name": "api", "spec.nodeName": "n1"]))
    }

    @Test func handlesEscapesAndEmptyTerms() throws {
        let selector = try FieldSelector.parse(#"metadata.name=a\,b\=c\\d,"#)
        #expect(selector.requirements == [.init(field: "metadata.name", operator: .equals, value: #"a,b=c\d"#)])
        #expect(selector.description == #"metadata.name=a\,b\=c\\d"#)
        #expect(try FieldSelector.parse("").isEmpty)
    }

    @Test func missingFieldsCompareAsEmpty() throws {
        #expect(try FieldSelector.parse("spec.nodeName=").matches([:]))
        #expect(try FieldSelector.parse("spec.nodeName!=").matches(["spec.nodeName": "n"]))
    }

    @Test func rejectsTermsWithoutAnOperator() {
        #expect {
            try FieldSelector.parse("metadata.name")
        } throws: { error in
            (error as? SelectorParseError)?.message.contains("expected '=', '==' or '!='") == true
        }
        #expect(throws: SelectorParseError.self) { try FieldSelector.parse("=x") }
        #expect(throws: SelectorParseError.self) { try FieldSelector.parse(#"a=b\x"#) }
    }
}

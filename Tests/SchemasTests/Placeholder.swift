import Testing

@Test func placeholder_SchemasTests() { #expect(Bool(true)) }

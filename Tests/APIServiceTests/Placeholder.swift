import Testing

@Test func placeholder_APIServiceTests() { #expect(Bool(true)) }

import Testing

@Test func placeholder_StorageTests() { #expect(Bool(true)) }

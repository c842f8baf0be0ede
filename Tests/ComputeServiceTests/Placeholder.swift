import Testing

@Test func placeholder_ComputeServiceTests() { #expect(Bool(true)) }

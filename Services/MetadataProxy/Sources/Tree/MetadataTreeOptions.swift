/// What the trees need besides the instance: `[metadata] domain` and the static vendor data.
public struct MetadataTreeOptions: Sendable, Equatable {
    /// Appended to the hostname (`demo.novalocal`); empty gives the bare hostname.
    public var domain: String = "novalocal"
    /// `vendor_data.json` (and `vendor_data2.json`'s `static`): a JSON object's text.
    public var vendorData: String = "{}"

    public init(domain: String = "novalocal", vendorData: String = "{}") {
        self.domain = domain
        self.vendorData = vendorData
    }
}
